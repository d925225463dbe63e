package io.vigie.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** Runs one API call and turns what goes wrong into a sentence a person can act on. */
final class ApiCalls {
  private ApiCalls() {}

  /**
   * @param verb what is done, as RBAC names it: get, list, patch, update
   * @param resource what it is done to, as RBAC names it: rollouts.vigie.io, deployments.apps
   */
  static <T> T call(ClusterOptions.Cluster cluster, String verb, String resource, String namespace, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      CliError error = explain(cluster, verb, resource, namespace, e);
      throw new CliError(error.exitCode(), error.getMessage(), e);
    }
  }

  static CliError explain(ClusterOptions.Cluster cluster, String verb, String resource, String namespace,
      KubernetesClientException e) {
    String where = namespace == null ? "" : " in namespace " + namespace;
    if (e.getCode() == 403) {
      return new CliError(CliError.USAGE, "forbidden: you may not " + verb + " " + resource + where
          + " (ask your cluster admin for that permission, or use another --context)");
    }
    if (e.getCode() == 401) {
      return new CliError(CliError.USAGE, "unauthorized by the API server at " + cluster.server()
          + ": your credentials expired or are wrong (log in again, or use another --context)");
    }
    if (e.getCode() == 404 && e.getStatus() != null && e.getStatus().getDetails() != null
        && e.getStatus().getDetails().getName() != null) {
      return new CliError(CliError.USAGE, resource + " " + (namespace == null ? "" : namespace + "/")
          + e.getStatus().getDetails().getName() + " not found (deleted meanwhile?)");
    }
    if (e.getCode() == 404 && resource.startsWith("rollouts")) {
      return new CliError(CliError.USAGE, "the Rollout CRD is not installed in the cluster at " + cluster.server()
          + ": kubectl apply -f crds/ (or install the Helm chart)");
    }
    if (e.getCode() <= 0 && e.getStatus() == null) {
      // No HTTP answer at all: the server was not reached. Name the first cause that says why.
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause.getCause() != null && !(cause instanceof java.net.ConnectException)
          && !(cause instanceof java.net.UnknownHostException)) {
        cause = cause.getCause();
      }
      return new CliError(CliError.USAGE, "cannot reach the Kubernetes API at " + cluster.server() + " ("
          + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
          + "): check KUBECONFIG, --kubeconfig or --context");
    }
    return new CliError(CliError.USAGE, verb + " " + resource + where + " failed: "
        + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
  }
}
