package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.vigie.api.schema.CrdSchemaValidator;
import io.vigie.api.v1alpha1.AnalysisTemplate;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.testkit.MockCluster;
import io.vigie.testing.OperatorHarness;
import io.vigie.testing.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The files under examples/ are applied as a user would, and do what their comments say. */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of(System.getProperty("vigie.examples", "../examples"));
  private OperatorHarness k8s;

  @BeforeEach
  void start() {
    k8s = OperatorHarness.start(OperatorSettings.defaults("test-operator").withPrometheus("http://prometheus.monitoring:9090"));
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void basicCanaryRunsFromSetImageToHealthyOnTheNewRevision() throws IOException {
    apply(EXAMPLES.resolve("basic-canary"));
    String v1 = k8s.awaitPhase("web", RolloutPhase.Healthy).getStableRevision();

    k8s.setImage("web", "ghcr.io/example/web:1.1.0");
    RolloutStatus pausing = k8s.awaitStatus("web", s -> "2/4".equals(s.getStep()));
    assertThat(pausing.getCanaryWeight()).isEqualTo(20);
    k8s.advance("web", Duration.ofMinutes(1));
    RolloutStatus waiting = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(waiting.getCanaryWeight()).isEqualTo(50);

    k8s.annotate("web", "vigie.io/promote", "true");

    RolloutStatus healthy = k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(healthy.getStableRevision()).isNotEqualTo(v1).isEqualTo(waiting.getCanaryRevision());
    assertThat(healthy.getHistory()).singleElement().satisfies(h -> assertThat(h.getVerdict()).isEqualTo(Verdict.Promoted));
    assertThat(k8s.deployment("web").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/example/web:1.1.0");
  }

  @Test
  void theAnalysisExampleResolvesItsTemplatesAndAdoptsTheDeployment() throws IOException {
    apply(EXAMPLES.resolve("basic-canary").resolve("deployment.yaml"));
    apply(EXAMPLES.resolve("basic-canary").resolve("service.yaml"));
    apply(EXAMPLES.resolve("analysis"));

    RolloutStatus healthy = k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(healthy.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Invalid");
      assertThat(c.getStatus()).isEqualTo("False");
    });
    assertThat(k8s.client().resources(AnalysisTemplate.class).inNamespace(NS).list().getItems()).hasSize(11);
  }

  @Test
  void theGuardsExampleResolvesAndAReleaseWhoseGuardCannotReadTrafficDoesNotStart() throws IOException {
    apply(EXAMPLES.resolve("basic-canary").resolve("deployment.yaml"));
    apply(EXAMPLES.resolve("basic-canary").resolve("service.yaml"));
    apply(EXAMPLES.resolve("analysis").resolve("micrometer.yaml"));
    apply(EXAMPLES.resolve("guards"));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(k8s.rollout("web").getSpec().getAnalysis().getMetrics().get(0).getDryRun()).isTrue();

    // This test's Prometheus address leads nowhere: the guards cannot read, so the release holds at its first step.
    k8s.setImage("web", "ghcr.io/example/web:1.1.0");
    RolloutStatus held = k8s.awaitStatus("web", s -> s.getCanaryRevision() != null && s.getConditions().stream()
        .anyMatch(c -> "Held".equals(c.getType()) && "True".equals(c.getStatus())));
    assertThat(held.getStep()).isEqualTo("1/4");
    assertThat(held.getCanaryWeight()).isZero();
    assertThat(held.getMessage()).startsWith("held at step 1/4: ");
  }

  @ParameterizedTest
  @CsvSource({"gateway-api, GATEWAY_API, 3/6, 10", "istio, ISTIO, 2/6, 0", "nginx, NGINX, 3/5, 20"})
  void theRouterExamplesSendTheCanaryItsWeightAndHeaderRouteThroughTheirRoute(String dir, Routes routes, String pauseStep,
      int weight) throws IOException {
    Routes.apply(k8s.client(), EXAMPLES.resolve("basic-canary").resolve("deployment.yaml"));
    Routes.apply(k8s.client(), EXAMPLES.resolve("basic-canary").resolve("service.yaml"));
    for (Path file : yamlFiles(EXAMPLES.resolve(dir))) {
      Routes.apply(k8s.client(), file);
    }
    k8s.awaitPhase("web", RolloutPhase.Healthy);

    k8s.setImage("web", "ghcr.io/example/web:1.1.0");

    RolloutStatus paused = k8s.awaitStatus("web", s -> pauseStep.equals(s.getStep()));
    assertThat(paused.getCanaryWeight()).isEqualTo(weight);
    k8s.eventually(() -> assertThat(routes.split(k8s.client()))
        .isEqualTo(new Routes.Split(weight, java.util.Optional.of("x-canary=true"))));
    k8s.annotate("web", "vigie.io/promote", "full");
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.eventually(() -> assertThat(routes.split(k8s.client())).isEqualTo(new Routes.Split(0, java.util.Optional.empty())));
  }

  @Test
  void theBaselineExampleRunsTheStableVersionNextToTheCanaryAndSharesItsWeight() throws IOException {
    Routes.apply(k8s.client(), EXAMPLES.resolve("basic-canary").resolve("deployment.yaml"));
    Routes.apply(k8s.client(), EXAMPLES.resolve("basic-canary").resolve("service.yaml"));
    for (Path file : yamlFiles(EXAMPLES.resolve("baseline"))) {
      Routes.apply(k8s.client(), file);
    }
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    String stableImage = k8s.deployment("web").getSpec().getTemplate().getSpec().getContainers().get(0).getImage();

    k8s.setImage("web", "ghcr.io/example/web:1.1.0");

    RolloutStatus paused = k8s.awaitStatus("web", s -> "2/4".equals(s.getStep()));
    assertThat(paused.getCanaryWeight()).isEqualTo(10);
    k8s.eventually(() -> {
      assertThat(backendWeights()).containsExactly("web-stable=90", "web-canary=5", "web-baseline=5");
      var baseline = k8s.deployment("web-baseline");
      assertThat(baseline.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(stableImage);
      assertThat(baseline.getSpec().getReplicas()).isEqualTo(k8s.deployment("web-canary").getSpec().getReplicas());
      assertThat(k8s.service("web-baseline").getSpec().getSelector()).containsEntry("vigie.io/role", "baseline");
    });
    k8s.annotate("web", "vigie.io/promote", "full");
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.eventually(() -> assertThat(backendWeights()).containsExactly("web-stable=100", "web-canary=0", "web-baseline=0"));
    // No longer routed, the canary's and the baseline's pods stay scaleDownDelaySeconds (default 30) more.
    k8s.awaitStatus("web", s -> s.getCanaryScaleDownAt() != null);
    assertThat(k8s.deployment("web-baseline").getSpec().getReplicas()).isPositive();
    k8s.advance("web", Duration.ofSeconds(30));
    k8s.eventually(() -> {
      assertThat(k8s.deployment("web-baseline").getSpec().getReplicas()).as("no baseline pod once promoted").isZero();
      assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero();
    });
  }

  private List<String> backendWeights() {
    return k8s.client().resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(NS).withName("web")
        .get().getSpec().getRules().get(0).getBackendRefs().stream().map(r -> r.getName() + "=" + r.getWeight()).toList();
  }

  @Test
  void theBlueGreenExamplePreviewsGreenAtFullSizeWhileUsersStayOnBlue() throws IOException {
    apply(EXAMPLES.resolve("basic-canary").resolve("deployment.yaml"));
    apply(EXAMPLES.resolve("basic-canary").resolve("service.yaml"));
    apply(EXAMPLES.resolve("analysis").resolve("micrometer.yaml"));
    apply(EXAMPLES.resolve("blue-green").resolve("rollout.yaml"));
    String blue = k8s.awaitPhase("web", RolloutPhase.Healthy).getStablePodTemplateHash();
    assertThat(k8s.service("web").getSpec().getSelector()).containsEntry("pod-template-hash", blue);

    k8s.setImage("web", "ghcr.io/example/web:1.1.0");
    RolloutStatus preview = k8s.awaitStatus("web", s -> "1/2".equals(s.getStep())
        && s.getAnalysis().stream().anyMatch(r -> r.getName().equals("pre-promotion")));
    assertThat(preview.getBlueGreen().getActiveRevision()).isEqualTo(preview.getStableRevision());
    assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).as("green at the target's size").isEqualTo(4);
    assertThat(k8s.service("web-preview").getSpec().getSelector()).containsEntry("vigie.io/role", "canary");
    assertThat(k8s.service("web").getSpec().getSelector()).containsEntry("pod-template-hash", blue);
  }

  @Test
  void theBlueGreenGatewayApiExampleSwitchesByAWeightFlipAndLeavesTheServiceAlone() throws IOException {
    Routes.apply(k8s.client(), EXAMPLES.resolve("basic-canary").resolve("deployment.yaml"));
    Routes.apply(k8s.client(), EXAMPLES.resolve("basic-canary").resolve("service.yaml"));
    Routes.apply(k8s.client(), EXAMPLES.resolve("gateway-api").resolve("httproute.yaml"));
    Routes.apply(k8s.client(), EXAMPLES.resolve("blue-green").resolve("gateway-api.yaml"));
    k8s.awaitPhase("web", RolloutPhase.Healthy);

    k8s.setImage("web", "ghcr.io/example/web:1.1.0");
    k8s.awaitStatus("web", s -> s.getBlueGreen() != null && s.getBlueGreen().getAutoPromotionAt() != null);
    k8s.advance("web", Duration.ofSeconds(60));
    k8s.eventually(() -> assertThat(Routes.GATEWAY_API.split(k8s.client()))
        .isEqualTo(new Routes.Split(100, java.util.Optional.empty())));
    assertThat(k8s.service("web").getSpec().getSelector()).isEqualTo(Map.of("app", "web"));
    k8s.advance("web", Duration.ofSeconds(300));
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && s.getHistory().size() == 1);
    k8s.eventually(() -> assertThat(Routes.GATEWAY_API.split(k8s.client())).isEqualTo(new Routes.Split(0, java.util.Optional.empty())));
  }

  @Test
  void theNotificationsExampleOwesTheChannelsTheirMessagesAndTheReleaseGoesOnWhileTheyAreUnreachable() throws IOException {
    apply(EXAMPLES.resolve("basic-canary").resolve("deployment.yaml"));
    apply(EXAMPLES.resolve("basic-canary").resolve("service.yaml"));
    apply(EXAMPLES.resolve("notifications"));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(k8s.client().resources(io.vigie.api.v1alpha1.NotificationChannel.class).inNamespace(NS).list().getItems())
        .extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder("team-chat", "on-call", "release-log");

    k8s.setImage("web", "ghcr.io/example/web:1.1.0");
    // The example's receivers do not exist here (and are refused as far as the operator's address policy
    // goes): the release reaches its pause all the same, the messages owed in status.
    RolloutStatus paused = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(paused.getNotifications()).extracting(n -> n.getChannel() + " " + n.getEvent())
        .contains("team-chat Started", "release-log Started", "team-chat Paused", "release-log Paused");
    assertThat(k8s.client().resources(io.vigie.api.v1alpha1.ClusterNotificationChannel.class).withName("platform-releases").get()
        .getSpec().getSecretsNamespace()).isEqualTo("vigie-system");
  }

  @Test
  void theGatesExampleHoldsTheReleaseUntilTheChangeCalendarAnswers() throws IOException {
    apply(EXAMPLES.resolve("basic-canary").resolve("deployment.yaml"));
    apply(EXAMPLES.resolve("basic-canary").resolve("service.yaml"));
    apply(EXAMPLES.resolve("gates"));
    k8s.awaitPhase("web", RolloutPhase.Healthy);

    k8s.setImage("web", "ghcr.io/example/web:1.1.0");
    // The example's change calendar does not exist here: no answer is no permission, and the canary gets no traffic.
    RolloutStatus held = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(held.getMessage()).startsWith("held at step 1/4: gate freeze (preRollout) answered ")
        .contains("http://change-calendar.platform.svc/api/freeze");
    assertThat(held.getCanaryWeight()).isZero();
    assertThat(held.getGates()).as("no load test before the canary may serve").extracting(g -> g.getName() + " " + g.getPhase())
        .containsExactly("freeze Waiting");
  }

  @Test
  void theJobMetricsExampleRunsTheIntegrationSuiteAsAJobAgainstTheCanary() throws IOException {
    k8s.jobController(Duration.ofMinutes(3));
    apply(EXAMPLES.resolve("basic-canary").resolve("deployment.yaml"));
    apply(EXAMPLES.resolve("basic-canary").resolve("service.yaml"));
    apply(EXAMPLES.resolve("job-metrics"));
    k8s.awaitPhase("web", RolloutPhase.Healthy);

    k8s.setImage("web", "ghcr.io/example/web:1.1.0");
    k8s.eventually(() -> assertThat(k8s.client().batch().v1().jobs().inNamespace(NS).list().getItems()).singleElement()
        .satisfies(job -> assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
            .containsExactly("--suite", "checkout", "--base-url", "http://web-canary." + NS)));
    k8s.advance("web", Duration.ofMinutes(3));
    k8s.awaitStatus("web", s -> s.getCurrentStepIndex() != null && s.getCurrentStepIndex() == 3);
    k8s.advance("web", Duration.ofMinutes(1));
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && s.getHistory().size() == 1);
  }

  @Test
  void everyExampleIsAcceptedByItsCrdSchema() throws IOException {
    Map<String, CrdSchemaValidator> schemas = Map.of(
        "kind: Rollout", CrdSchemaValidator.forCrd(MockCluster.CRDS.resolve("rollouts.vigie.io-v1.yml"), "v1alpha1"),
        "kind: AnalysisTemplate", CrdSchemaValidator.forCrd(MockCluster.CRDS.resolve("analysistemplates.vigie.io-v1.yml"), "v1alpha1"),
        "kind: ClusterNotificationChannel", CrdSchemaValidator.forCrd(MockCluster.CRDS.resolve(
            "clusternotificationchannels.vigie.io-v1.yml"), "v1alpha1"),
        "kind: ClusterAnalysisTemplate", CrdSchemaValidator.forCrd(MockCluster.CRDS.resolve("clusteranalysistemplates.vigie.io-v1.yml"),
            "v1alpha1"),
        "kind: NotificationChannel", CrdSchemaValidator.forCrd(MockCluster.CRDS.resolve("notificationchannels.vigie.io-v1.yml"),
            "v1alpha1"));
    int checked = 0;
    for (Path file : yamlFiles(EXAMPLES)) {
      for (String document : Files.readString(file).split("(?m)^---$")) {
        for (Map.Entry<String, CrdSchemaValidator> schema : schemas.entrySet()) {
          if (document.contains(schema.getKey() + "\n")) {
            assertThat(schema.getValue().validate(document)).as("schema errors in %s", file).isEmpty();
            checked++;
          }
        }
      }
    }
    assertThat(checked).as("Vigie objects among the examples").isGreaterThanOrEqualTo(10);
  }

  /** What `kubectl apply -n shop -f PATH` does, on a server without server-side apply. */
  private void apply(Path path) throws IOException {
    for (Path file : Files.isDirectory(path) ? yamlFiles(path) : List.of(path)) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata item : k8s.client().load(in).items()) {
          if ("ClusterAnalysisTemplate".equals(item.getKind())) {
            var template = k8s.client().getKubernetesSerialization().convertValue(item,
                io.vigie.api.v1alpha1.ClusterAnalysisTemplate.class);
            k8s.client().resources(io.vigie.api.v1alpha1.ClusterAnalysisTemplate.class).resource(template).create();
          } else if ("ClusterNotificationChannel".equals(item.getKind())) {
            var channel = k8s.client().getKubernetesSerialization().convertValue(item,
                io.vigie.api.v1alpha1.ClusterNotificationChannel.class);
            k8s.client().resources(io.vigie.api.v1alpha1.ClusterNotificationChannel.class).resource(channel).create();
          } else {
            item.getMetadata().setNamespace(NS);
            k8s.client().resource(item).inNamespace(NS).create();
          }
        }
      }
    }
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }
}
