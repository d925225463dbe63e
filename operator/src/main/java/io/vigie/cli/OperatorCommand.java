package io.vigie.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine;
import io.vigie.health.OperatorHealth;
import io.vigie.dashboard.DashboardServer;
import io.vigie.health.OpsServer;
import io.vigie.metrics.OperatorMetrics;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.runtime.VigieOperator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.Optional;
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

  @Option(names = "--kubeconfig", paramLabel = "PATH", description = "kubeconfig file to use instead of KUBECONFIG or ~/.kube/config.")
  String kubeconfig;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--prometheus-address", paramLabel = "URL",
      description = "Prometheus API used by metrics that name no address, e.g. http://prometheus.monitoring:9090.")
  String prometheusAddress;

  @Option(names = "--allowed-provider-hosts", paramLabel = "HOST", split = ",",
      description = "Host names, IP addresses or CIDR ranges that metric providers may reach although Vigie refuses them by "
          + "default (loopback, link-local, cloud metadata services), e.g. 127.0.0.1,prometheus.local. The API server is "
          + "always refused.")
  List<String> allowedProviderHosts = new java.util.ArrayList<>();

  @Option(names = "--allow-namespaced-job-metrics", defaultValue = "false",
      description = "Let Rollouts and namespaced AnalysisTemplates define job metrics, not only ClusterAnalysisTemplates: "
          + "whoever may write those then runs pods through the Jobs Vigie creates (docs/security.md).")
  boolean namespacedJobMetrics;

  @Option(names = "--default-notification-channel", paramLabel = "NAME",
      description = "A ClusterNotificationChannel every Rollout tells about --default-notification-events, unless annotated "
          + "vigie.io/default-notifications: \"false\" (docs/notifications.md).")
  String defaultChannel;

  @Option(names = "--default-notification-events", paramLabel = "EVENT", split = ",", defaultValue = "RolledBack,Invalid",
      description = "The events the default channel hears about: Started, Paused, Promoted, RolledBack, AnalysisInconclusive, "
          + "Invalid. Default: RolledBack,Invalid.")
  List<io.vigie.api.v1alpha1.NotificationSubscription.Event> defaultEvents = new java.util.ArrayList<>();

  @Option(names = "--leader-election", negatable = true, defaultValue = "false",
      description = "Take part in leader election on a Lease, so that of several replicas one acts (needed with 2 or more). "
          + "The Lease lives in POD_NAMESPACE (or --lease-namespace); the identity is POD_NAME.")
  boolean leaderElection;

  @Option(names = "--lease-namespace", paramLabel = "NS", description = "Namespace of the leader-election Lease. "
      + "Default: POD_NAMESPACE, else default.")
  String leaseNamespace;

  @Option(names = "--shard-selector", paramLabel = "SELECTOR", description = "Drive only the Rollouts this label selector "
      + "selects (e.g. vigie.io/shard=a), so that several installs split a cluster's Rollouts: give each install its own "
      + "selector, with no overlap (vigie.io/shard=a for one, vigie.io/shard!=a for the other). Default: every Rollout.")
  String shardSelector;

  @Option(names = "--lease-name", paramLabel = "NAME", defaultValue = OperatorSettings.LeaderElection.DEFAULT_LEASE,
      description = "Name of the leader-election Lease; two installations in one namespace need two names (the Helm "
          + "chart uses the release's full name). Default: ${DEFAULT-VALUE}.")
  String leaseName;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Log format: text or json (one JSON object per line). Default: ${DEFAULT-VALUE}.")
  LogFormat logFormat;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "8080",
      description = "Port of /metrics (Prometheus), /healthz and /readyz; 0 turns the endpoint off. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--dashboard",
      description = "Also serve the dashboard, read-only, on the metrics port (docs/dashboard.md): every Rollout the operator "
          + "watches (all namespaces, or the one of --namespaces).")
  boolean dashboard;

  @Override
  public Integer call() throws InterruptedException {
    logFormat.install();
    long namespaceCount = namespaces.stream().map(String::trim).filter(n -> !n.isEmpty()).distinct().count();
    if (dashboard && (metricsPort == 0 || namespaceCount > 1)) {
      throw new CliError(CliError.USAGE, metricsPort == 0 ? "--dashboard is served on the metrics port: give --metrics-port"
          : "--dashboard shows all namespaces or one, and --namespaces lists " + namespaceCount + ": drop --dashboard, or run "
              + "`vigie dashboard -n NS` on your machine");
    }
    Optional<String> badShard = shardSelector == null ? Optional.empty() : ShardSelector.problem(shardSelector);
    if (badShard.isPresent()) {
      spec.commandLine().getErr().println("vigie operator: " + badShard.get());
      return 3;
    }
    Optional<String> missing = KubeconfigSource.problem(kubeconfig);
    if (missing.isPresent()) {
      spec.commandLine().getErr().println("vigie operator: " + missing.get());
      return 3;
    }
    if (kubeconfig != null) {
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig);
    }
    Config config = context == null ? Config.autoConfigure(null) : Config.autoConfigure(context);
    // fabric8 falls back to the current context when the one asked for does not exist: never start
    // against another cluster than the one named.
    if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
      spec.commandLine().getErr().println("vigie operator: no context '" + context + "' in the kubeconfig: its contexts are "
          + config.getContexts().stream().map(c -> c.getName()).sorted().toList());
      return 3;
    }
    Set<String> watched = new LinkedHashSet<>();
    namespaces.stream().map(String::trim).filter(n -> !n.isEmpty()).forEach(watched::add);
    Config quick = Config.autoConfigure(context);
    quick.setRequestRetryBackoffLimit(0);
    try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(quick).build()) {
      Optional<String> problem = preflight(probe, quick);
      if (problem.isPresent()) {
        spec.commandLine().getErr().println("vigie operator: " + problem.get());
        return 3;
      }
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    OperatorSettings settings = new OperatorSettings(Set.copyOf(watched), instance(), java.util.Optional.ofNullable(prometheusAddress))
        .withAllowedProviderHosts(allowedProviderHosts).withNamespacedJobMetrics(namespacedJobMetrics);
    if (defaultChannel != null && !defaultChannel.isBlank()) {
      settings = settings.withDefaultNotifications(io.vigie.api.v1alpha1.NotificationSubscription.of(defaultChannel.trim(), true,
          defaultEvents));
    }
    if (shardSelector != null) {
      settings = settings.withShardSelector(shardSelector.trim());
    }
    if (leaderElection) {
      String ns = leaseNamespace != null ? leaseNamespace
          : java.util.Optional.ofNullable(System.getenv("POD_NAMESPACE")).filter(n -> !n.isBlank()).orElse("default");
      settings = settings.withLeaderElection(OperatorSettings.LeaderElection.defaults(leaseName, ns));
    }
    OperatorMetrics metrics = new OperatorMetrics();
    OperatorHealth health = new OperatorHealth(settings.leaderElection().isPresent());
    // Served before the informers sync, so that the kubelet's probes get an answer meanwhile.
    OpsServer ops = metricsPort == 0 ? null : OpsServer.start(metricsPort, metrics, health,
        dashboard ? DashboardServer.THREADS : 0);
    DashboardServer board = dashboard ? ops.mount(server -> DashboardServer.mountReadOnly(server, client,
        watched.stream().findFirst(), Clock.systemUTC())) : null;
    VigieOperator operator = VigieOperator.start(client, Clock.systemUTC(), settings, metrics, health);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      if (board != null) {
        board.close();
      }
      if (ops != null) {
        ops.close();
      }
      client.close();
      stopped.countDown();
    }, "vigie-shutdown"));
    stopped.await();
    return 0;
  }

  /** What keeps the operator from working, said before it starts rather than as a stack trace. */
  private static Optional<String> preflight(KubernetesClient client, Config config) {
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      return Optional.of("cannot reach the Kubernetes API at " + config.getMasterUrl() + " (" + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + "): check KUBECONFIG, --kubeconfig or --context, "
          + "or run it in the cluster");
    }
    try {
      if (client.apiextensions().v1().customResourceDefinitions().withName("rollouts.vigie.io").get() == null) {
        return Optional.of("the Rollout CRD is not installed in this cluster: kubectl apply -f crds/ (or install the Helm chart)");
      }
    } catch (KubernetesClientException e) {
      // Not allowed to read CRDs (a namespaced install): the Rollout informer will say if it is missing.
    }
    return Optional.empty();
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
