package io.vigie.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.mockwebserver.http.MockResponse;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.chart.HelmChart;
import io.vigie.testkit.MockCluster;
import io.vigie.simulator.SimulatedDeploymentController;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * `vigie operator` as the chart runs it: a separate java process with exactly the arguments and
 * environment of the rendered Deployment (the downward-API values filled in as the kubelet
 * would), against the mock API server through a kubeconfig. Its probes and metrics answer, and it
 * adopts a Deployment; then it is stopped as Kubernetes stops a pod (SIGTERM).
 */
class OperatorProcessTest {
  private static final Duration START = Duration.ofSeconds(90);

  static Stream<Arguments> charts() {
    return Stream.of(
        Arguments.of("defaults", Map.of()),
        Arguments.of("two replicas with leader election", Map.of("replicas", 2, "leaderElection", Map.of("enabled", true))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("charts")
  void theOperatorStartsWithTheChartsArgumentsAndServesHealthReadinessAndMetrics(String name, Map<String, Object> values,
      @TempDir Path dir) throws Exception {
    int port = freePort();
    Map<String, Object> withPort = new HashMap<>(values);
    withPort.put("metrics", Map.of("port", port));
    HelmChart.Rendered chart = HelmChart.render(withPort);
    Container container = chart.deployment().getSpec().getTemplate().getSpec().getContainers().get(0);
    // The Lease the chart's Role lets the operator read and renew (when it renders one).
    String lease = chart.all(io.fabric8.kubernetes.api.model.rbac.Role.class).stream()
        .flatMap(r -> r.getRules().stream()).filter(r -> r.getResourceNames() != null && !r.getResourceNames().isEmpty())
        .map(r -> r.getResourceNames().get(0)).findFirst().orElse("none");

    try (MockCluster cluster = MockCluster.start();
        SimulatedDeploymentController controller = new SimulatedDeploymentController(cluster.newClient("kube-controller-manager")).start()) {
      // The process's client sends no actor header: its requests are the operator's.
      cluster.dispatcher().defaultActor("operator-process");
      cluster.dispatcher().before((w, applied) -> w.path().endsWith("/selfsubjectrulesreviews")
          // No authorizer in the mock server: answer JOSDK's Lease permission check as the chart's Role would.
          ? Optional.of(new MockResponse().setResponseCode(201).setBody("{\"apiVersion\":\"authorization.k8s.io/v1\","
              + "\"kind\":\"SelfSubjectRulesReview\",\"status\":{\"incomplete\":false,\"nonResourceRules\":[],"
              + "\"resourceRules\":[{\"apiGroups\":[\"coordination.k8s.io\"],\"resources\":[\"leases\"],"
              + "\"verbs\":[\"create\"]},{\"apiGroups\":[\"coordination.k8s.io\"],\"resources\":[\"leases\"],"
              + "\"resourceNames\":[\"" + lease + "\"],\"verbs\":[\"get\",\"update\",\"patch\"]}]}}"))
          : Optional.empty());
      for (String ns : List.of(HelmChart.NAMESPACE, "shop")) {
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      }
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: mock, cluster: {server: "%s"}}]
          users: [{name: vigie, user: {token: test}}]
          contexts: [{name: mock, context: {cluster: mock, user: vigie, namespace: %s}}]
          current-context: mock
          """.formatted(cluster.client().getConfiguration().getMasterUrl(), HelmChart.NAMESPACE));

      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "io.vigie.cli.VigieCommand"));
      command.addAll(container.getArgs());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(Path.of("target", "operator-process-" + port + ".log").toFile());
      Map<String, String> env = builder.environment();
      env.remove("KUBERNETES_SERVICE_HOST");
      env.put("KUBECONFIG", kubeconfig.toString());
      for (EnvVar var : container.getEnv()) {
        env.put(var.getName(), var.getValue() != null ? var.getValue() : switch (var.getValueFrom().getFieldRef().getFieldPath()) {
          case "metadata.name" -> "vigie-7d9f8-abcde";
          case "metadata.namespace" -> HelmChart.NAMESPACE;
          default -> throw new AssertionError("unexpected downward API field " + var.getValueFrom().getFieldRef().getFieldPath());
        });
      }

      Process process = builder.start();
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(START).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
          assertThat(process.isAlive()).as("the operator process is alive").isTrue();
          assertThat(get(http, port, "/healthz").statusCode()).isEqualTo(200);
          assertThat(get(http, port, "/readyz").statusCode()).isEqualTo(200);
        });
        assertThat(get(http, port, "/readyz").body()).contains("informers synced");

        var k8s = cluster.client();
        k8s.apps().deployments().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
            .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
            .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
            .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("shop/web:v1").endContainer().endSpec().endTemplate()
            .endSpec().build()).create();
        k8s.services().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
            .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
            .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build()).create();
        Rollout rollout = new Rollout();
        rollout.getMetadata().setName("web");
        rollout.getMetadata().setNamespace("shop");
        rollout.setSpec(new io.vigie.api.v1alpha1.RolloutSpec());
        rollout.getSpec().setTargetRef(new io.vigie.api.v1alpha1.WorkloadRef(io.vigie.api.v1alpha1.TargetKind.Deployment, "web"));
        rollout.getSpec().setService(new io.vigie.api.v1alpha1.ServiceRef("web", 80));
        io.vigie.api.v1alpha1.RolloutStrategy strategy = new io.vigie.api.v1alpha1.RolloutStrategy();
        io.vigie.api.v1alpha1.CanaryStrategy canary = new io.vigie.api.v1alpha1.CanaryStrategy();
        canary.setSteps(List.of(CanaryStep.weight(50), CanaryStep.pauseUntilPromoted()));
        strategy.setCanary(canary);
        rollout.getSpec().setStrategy(strategy);
        k8s.resources(Rollout.class).inNamespace("shop").resource(rollout).create();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          Rollout seen = k8s.resources(Rollout.class).inNamespace("shop").withName("web").get();
          assertThat(seen.getStatus()).isNotNull();
          assertThat(seen.getStatus().getPhase()).isEqualTo(RolloutPhase.Healthy);
          String metrics = get(http, port, "/metrics").body();
          assertThat(OperatorMetricsTest.value(metrics, "vigie_rollout_phase",
              Map.of("namespace", "shop", "rollout", "web", "phase", "Healthy"))).hasValue(1);
          assertThat(OperatorMetricsTest.value(metrics, "vigie_operator_leader", Map.of())).hasValue(1);
          assertThat(metrics).contains("operator_sdk_controllers_execution_reconcile_seconds_count")
              .contains("jvm_memory_used_bytes");
        });
        assertThat(controller.lastError()).isNull();
      } finally {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the operator stops on SIGTERM").isTrue();
        // 143 is the JVM's answer to SIGTERM once its shutdown hooks have run; the log shows they did.
        assertThat(process.exitValue()).isEqualTo(143);
        assertThat(Files.readString(Path.of("target", "operator-process-" + port + ".log")))
            .contains("operator stopped: no reconcile in flight, measurements cancelled");
      }
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
