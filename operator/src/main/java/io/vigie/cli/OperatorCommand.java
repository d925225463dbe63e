package io.vigie.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.runtime.VigieOperator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = {
        "Runs the Vigie operator: watches Rollouts and drives their canaries.",
        "Connects like kubectl: in-cluster service account, else KUBECONFIG or ~/.kube/config."})
final class OperatorCommand implements Callable<Integer> {
  @Option(names = "--namespaces", split = ",", paramLabel = "NS",
      description = "Namespaces to watch, comma-separated. Default: all namespaces.")
  List<String> namespaces = List.of();

  @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context to use.")
  String context;

  @Option(names = "--prometheus-address", paramLabel = "URL",
      description = "Prometheus API used by metrics that name no address, e.g. http://prometheus.monitoring:9090.")
  String prometheusAddress;

  @Option(names = "--leader-election", negatable = true, defaultValue = "false",
      description = "Take part in leader election on a Lease, so that of several replicas one acts (needed with 2 or more). "
          + "The Lease lives in POD_NAMESPACE (or --lease-namespace); the identity is POD_NAME.")
  boolean leaderElection;

  @Option(names = "--lease-namespace", paramLabel = "NS", description = "Namespace of the leader-election Lease. "
      + "Default: POD_NAMESPACE, else default.")
  String leaseNamespace;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Log format: text or json (one JSON object per line). Default: ${DEFAULT-VALUE}.")
  LogFormat logFormat;

  @Override
  public Integer call() throws InterruptedException {
    logFormat.install();
    Config config = context == null ? Config.autoConfigure(null) : Config.autoConfigure(context);
    Set<String> watched = new LinkedHashSet<>();
    namespaces.stream().map(String::trim).filter(n -> !n.isEmpty()).forEach(watched::add);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    OperatorSettings settings = new OperatorSettings(Set.copyOf(watched), instance(), java.util.Optional.ofNullable(prometheusAddress));
    if (leaderElection) {
      String ns = leaseNamespace != null ? leaseNamespace
          : java.util.Optional.ofNullable(System.getenv("POD_NAMESPACE")).filter(n -> !n.isBlank()).orElse("default");
      settings = settings.withLeaderElection(OperatorSettings.LeaderElection.defaults(ns));
    }
    VigieOperator operator = VigieOperator.start(client, Clock.systemUTC(), settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      client.close();
      stopped.countDown();
    }, "vigie-shutdown"));
    stopped.await();
    return 0;
  }

  private static String instance() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "vigie";
    }
  }
}
