package io.vigie.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Where a command finds its cluster, as kubectl and fabric8 look: --kubeconfig, else the files of
 * KUBECONFIG, else ~/.kube/config, else the pod's service account. When none is there, fabric8
 * would try https://kubernetes.default.svc and fail with a connection error that hides the cause;
 * this says which places were looked at instead.
 */
final class KubeconfigSource {
  static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private KubeconfigSource() {}

  static Optional<String> problem(String option) {
    return problem(option, System.getenv(), Path.of(System.getProperty("user.home")), SERVICE_ACCOUNT_TOKEN);
  }

  static Optional<String> problem(String option, Map<String, String> env, Path home, Path serviceAccountToken) {
    if (option != null) {
      return Files.isRegularFile(Path.of(option)) ? Optional.empty()
          : Optional.of("--kubeconfig " + option + ": no such file");
    }
    String variable = env.get("KUBECONFIG");
    if (variable != null && !variable.isBlank()) {
      boolean any = Arrays.stream(variable.split(java.io.File.pathSeparator)).filter(f -> !f.isBlank())
          .anyMatch(f -> Files.isRegularFile(Path.of(f)));
      return any ? Optional.empty() : Optional.of("KUBECONFIG=" + variable + ": no such file");
    }
    Path config = home.resolve(".kube").resolve("config");
    boolean inCluster = env.get("KUBERNETES_SERVICE_HOST") != null && Files.isRegularFile(serviceAccountToken);
    if (Files.isRegularFile(config) || inCluster || env.get("KUBERNETES_MASTER") != null) {
      return Optional.empty();
    }
    return Optional.of("no kubeconfig found: --kubeconfig not given, KUBECONFIG not set, no " + config
        + ", and not in a pod (no KUBERNETES_SERVICE_HOST with a service account token at " + serviceAccountToken
        + "). Give --kubeconfig PATH or set KUBECONFIG");
  }
}
