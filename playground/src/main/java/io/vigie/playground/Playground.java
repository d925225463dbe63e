package io.vigie.playground;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.runtime.VigieOperator;
import io.vigie.simulator.SimulatedDeploymentController;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

/**
 * A cluster in one process: the fabric8 mock API server (CRUD) on loopback with Vigie's CRDs, the
 * simulated Deployment controller and kubelet, a data plane with users, and, when asked, the real
 * operator. Everything reads one sped-up clock.
 */
final class Playground implements AutoCloseable {
  static final String NS = "shop";
  static final String APP = "web";

  private final Settings settings;
  private final SimClock clock;
  private final KubernetesMockServer server;
  private final PartitionedDispatcher partitions;
  private final KubernetesClient client;
  private final SimulatedDeploymentController controller;
  private final DataPlane dataPlane;
  private final LoadGenerator load;
  private final List<CustomResourceDefinition> crds;
  /** The API server as kubectl and people reach it, started with the first kubeconfig written for them. */
  private KubectlGateway gateway;
  private VigieOperator operator;
  private MetricsBackend metrics;

  /**
   * @param speed how many simulated seconds pass per real second
   * @param replicas the app's Deployment size
   * @param rps users' requests per simulated second
   * @param scrapeSeconds how stale the metrics backend is (its scrape interval)
   * @param seed the data plane's randomness
   */
  /**
   * @param noisy the app and its users behave as in production: error bursts, GC-like latency
   *     spikes, warm-up of new pods ({@link AppVersion.Noise}), and traffic rising and falling by
   *     half over a simulated day ({@link LoadGenerator#DAY})
   */
  record Settings(double speed, int replicas, double rps, long scrapeSeconds, long seed, java.time.Duration readinessDelay,
      MetricsBackend.Choice metrics, boolean noisy, boolean warmUp) {
    Settings(double speed, int replicas, double rps, long scrapeSeconds, long seed) {
      this(speed, replicas, rps, scrapeSeconds, seed, READINESS_DELAY, MetricsBackend.Choice.AUTO, false, false);
    }

    Settings withMetrics(MetricsBackend.Choice choice) {
      return new Settings(speed, replicas, rps, scrapeSeconds, seed, readinessDelay, choice, noisy, warmUp);
    }

    Settings withNoise() {
      return new Settings(speed, replicas, rps, scrapeSeconds, seed, readinessDelay, metrics, true, true);
    }

    /** A quiet app whose new pods, of any version, are slow for their first minute (caches, JIT). */
    Settings withWarmUp() {
      return new Settings(speed, replicas, rps, scrapeSeconds, seed, readinessDelay, metrics, noisy, true);
    }

    AppVersion.Noise noise() {
      return new AppVersion.Noise(noisy, warmUp);
    }
  }

  /** How long a new pod takes to pass its readiness probe (simulated time). */
  static final java.time.Duration READINESS_DELAY = java.time.Duration.ofSeconds(10);

  Playground(Settings settings) throws IOException {
    this(settings, Set.of());
  }

  /**
   * A playground whose API server keeps each of {@code namespaces} apart (see
   * {@link PartitionedDispatcher}), for thousands of Rollouts. With none, one store holds everything.
   */
  Playground(Settings settings, Set<String> namespaces) throws IOException {
    this.settings = settings;
    this.clock = new SimClock(Instant.now(), settings.speed());
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String crd : List.of("rollouts.vigie.io-v1.yml", "analysistemplates.vigie.io-v1.yml",
        "clusteranalysistemplates.vigie.io-v1.yml")) {
      try (InputStream in = Playground.class.getResourceAsStream("/META-INF/fabric8/" + crd)) {
        crds.add(new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class));
      }
    }
    this.partitions = namespaces.isEmpty() ? null : new PartitionedDispatcher(new DiscoveryDispatcher(),
        crds.stream().map(CustomResourceDefinitionContext::fromCrd).toList(), union(namespaces, NS));
    this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        partitions != null ? partitions : new DiscoveryDispatcher(), false);
    server.init(java.net.InetAddress.getLoopbackAddress(), 0);
    this.client = server.createClient();
    crds.forEach(crd -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
    this.crds = List.copyOf(crds);
    union(namespaces, NS).forEach(ns ->
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create());
    this.controller = new SimulatedDeploymentController(server.createClient())
        .withReadinessDelay(clock, settings.readinessDelay()).start();
    this.dataPlane = new DataPlane(server.createClient(), NS, APP, clock, settings.scrapeSeconds(), settings.seed(),
        settings.noise()).start();
    this.load = new LoadGenerator(dataPlane, clock, settings.rps(), settings.noisy()).start();
  }

  private static Set<String> union(Set<String> namespaces, String namespace) {
    Set<String> all = new java.util.TreeSet<>(namespaces);
    all.add(namespace);
    return all;
  }

  SimClock clock() {
    return clock;
  }

  KubernetesClient client() {
    return client;
  }

  /** Requests the API server has answered so far, from every client. */
  int apiRequests() {
    return server.getRequestCount();
  }

  /** Requests sent with this kubeconfig token so far (counted in a partitioned playground only). */
  long apiRequestsFrom(String token) {
    if (partitions == null) {
      throw new IllegalStateException("requests are counted per client only in a partitioned playground");
    }
    return partitions.requestsFrom(token);
  }

  /** Writes sent with this kubeconfig token so far (counted in a partitioned playground only). */
  long apiWritesFrom(String token) {
    if (partitions == null) {
      throw new IllegalStateException("writes are counted per client only in a partitioned playground");
    }
    return partitions.writesFrom(token);
  }

  DataPlane dataPlane() {
    return dataPlane;
  }

  /** The analysis' metrics backend, started on first use (see {@link MetricsBackend.Choice}). */
  synchronized MetricsBackend metrics() throws IOException, InterruptedException {
    if (metrics == null) {
      java.util.Optional<Path> prometheus = MetricsBackend.prometheusBinary();
      if (settings.metrics() == MetricsBackend.Choice.PROMETHEUS && prometheus.isEmpty()) {
        throw new IllegalStateException("no prometheus on PATH (nor in $VIGIE_PROMETHEUS): install it "
            + "(apt-get install prometheus) or use --metrics web");
      }
      metrics = settings.metrics() != MetricsBackend.Choice.WEB && prometheus.isPresent()
          ? PrometheusBackend.start(prometheus.get(), dataPlane.address(), settings.speed(), settings.scrapeSeconds())
          : new DataPlaneStats(dataPlane);
    }
    return metrics;
  }

  /**
   * A kubeconfig for kubectl or `vigie status` against this cluster: through the {@link KubectlGateway},
   * which serves what kubectl needs on top of the mock API server.
   */
  Path writeKubeconfig(Path file) {
    return writeKubeconfig(file, "playground", gateway().address().toString());
  }

  /** The API server as kubectl reaches it. */
  synchronized KubectlGateway gateway() {
    if (gateway == null) {
      // People look at pods: from now on the simulated controllers write them (the benches do without).
      controller.withPods();
      gateway = new KubectlGateway(java.net.URI.create(client.getConfiguration().getMasterUrl()), client,
          DiscoveryDispatcher.kinds(), DiscoveryDispatcher.namespaced(), new OpenApiDocuments(crds), new ServerTables(crds, clock));
    }
    return gateway;
  }

  /** A kubeconfig straight to the mock API server whose requests carry {@code token}, so that they can be told from others'. */
  Path writeKubeconfig(Path file, String token) {
    return writeKubeconfig(file, token, client.getConfiguration().getMasterUrl());
  }

  private Path writeKubeconfig(Path file, String token, String server) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, """
          apiVersion: v1
          kind: Config
          clusters: [{name: playground, cluster: {server: "%s"}}]
          users: [{name: playground, user: {token: %s}}]
          contexts: [{name: playground, context: {cluster: playground, user: playground, namespace: %s}}]
          current-context: playground
          """.formatted(server, token, NS), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The app, as its team runs it: a Deployment of v1 and a Service, with a rolling update strategy. */
  void deployApp(String image) {
    client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName(APP).withNamespace(NS).endMetadata()
        .withNewSpec()
        .withReplicas(settings.replicas())
        .withNewSelector().addToMatchLabels("app", APP).endSelector()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withNewMaxSurge("25%").withNewMaxUnavailable("0").endRollingUpdate().endStrategy()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", APP).endMetadata()
        .withNewSpec().addNewContainer().withName(APP).withImage(image).addNewPort().withContainerPort(8080).endPort()
        .endContainer().endSpec()
        .endTemplate()
        .endSpec()
        .build()).create();
    client.services().inNamespace(NS).resource(new ServiceBuilder()
        .withNewMetadata().withName(APP).withNamespace(NS).endMetadata()
        .withNewSpec().addToSelector("app", APP).addNewPort().withName("http").withPort(80).withNewTargetPort(8080).endPort()
        .endSpec()
        .build()).create();
  }

  /**
   * Puts a Gateway API HTTPRoute in front of the app (as examples/gateway-api does): the users' requests
   * follow its weights, and the Rollout should name it in spec.trafficRouting.
   */
  void routeThroughGatewayApi() {
    dataPlane.viaHttpRoute();
    apply("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          parentRefs: [{name: public, namespace: infra}]
          rules:
            - backendRefs:
                - {name: web-stable, port: 80, weight: 100}
                - {name: web-canary, port: 80, weight: 0}
                - {name: web-baseline, port: 80, weight: 0}
        """);
  }

  /** `kubectl set image deployment/web web=IMAGE`. */
  /** The users' traffic becomes {@code factor} times its usual rate (1 ends the surge). */
  void surge(double factor) {
    load.surge(factor);
  }

  /**
   * The surge guard's provider: the users' request rate per simulated second from the data plane's
   * statistics, whatever the analysis' backend (a Prometheus here runs in real time, and a guard's
   * window of minutes would span the whole playground's life in it).
   */
  String surgeProvider() {
    return "{web: {url: \"" + dataPlane.address() + "/stats?role=all&window=30\", jsonPointer: /rate, timeout: 5s}}";
  }

  /** Starts recording what the metrics backend shows, as `vigie simulate` replays it. */
  SeriesRecorder record() {
    return new SeriesRecorder(dataPlane, clock, settings.scrapeSeconds()).start();
  }

  void release(String image) {
    // A patch, as kubectl sends: the operator writes the Deployment too (its paused flag), and an
    // update of a stale copy would be refused.
    client.apps().deployments().inNamespace(NS).withName(APP).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + image + "\"}]");
  }

  /** Creates Vigie objects from YAML, with the data plane's address in place of DATA_PLANE. */
  void apply(String yaml) {
    String resolved = yaml.replace("DATA_PLANE", dataPlane.address());
    client.load(new java.io.ByteArrayInputStream(resolved.getBytes(StandardCharsets.UTF_8))).inNamespace(NS).create();
  }

  /** The real operator, in this process, on the playground's clock. */
  void startOperator() {
    // The data plane and Prometheus listen on loopback: allowed as an admin would allow an in-house address.
    OperatorSettings operatorSettings = OperatorSettings.defaults("playground-operator").withClockSpeed(settings.speed())
        .withAllowedProviderHosts(java.util.List.of("127.0.0.1"));
    operator = VigieOperator.start(server.createClient(), clock, operatorSettings);
  }

  VigieOperator operator() {
    return operator;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (gateway != null) {
        gateway.close();
      }
    }
    load.close();
    if (operator != null) {
      operator.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    dataPlane.close();
    controller.close();
    client.close();
    server.destroy();
  }
}
