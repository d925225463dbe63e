package io.vigie.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Option;

/** How a command reaches the cluster, as kubectl does: kubeconfig, context and namespace. */
final class ClusterOptions {
  @Option(names = "--kubeconfig", paramLabel = "PATH", description = "kubeconfig file. Default: KUBECONFIG, else ~/.kube/config.")
  String kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context to use.")
  String context;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace. Default: the context's, else default.")
  String namespace;

  /** A client and the namespace to work in. */
  Cluster connect() {
    KubeconfigSource.problem(kubeconfig).ifPresent(problem -> {
      throw new CliError(CliError.USAGE, problem);
    });
    java.io.File file = kubeconfig == null ? null : new java.io.File(kubeconfig);
    Config config = file == null ? Config.autoConfigure(context) : Config.fromKubeconfig(context, file);
    // fabric8 falls back to the current context when the one asked for does not exist: a typo
    // must not send a command to another cluster.
    if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
      throw new CliError(CliError.USAGE, "no context '" + context + "' in the kubeconfig: its contexts are "
          + config.getContexts().stream().map(c -> c.getName()).sorted().toList());
    }
    // A person waits for an answer: fail fast rather than retry an unreachable server for long.
    config.setRequestRetryBackoffLimit(1);
    config.setConnectionTimeout(5_000);
    String ns = namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
    return new Cluster(new KubernetesClientBuilder().withConfig(config).build(), ns, config.getMasterUrl());
  }

  /** A connected client, the namespace it works in, and where the API server is (for messages). */
  record Cluster(KubernetesClient client, String namespace, String server) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }
}
