package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.vigie.analysis.AnalysisResolver;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.provider.PrometheusMetricProvider;
import io.vigie.api.v1alpha1.AnalysisArg;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.AnalysisTemplate;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.testing.CanaryTraffic;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.PrometheusServer;
import io.vigie.testing.Routes;
import io.vigie.testing.TrafficExporter;
import io.vigie.testing.TrafficExporter.Behaviour;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The analysis through the real operator against a real Prometheus, which scrapes the stable and
 * canary versions of an app every second. Users' requests (40 a second) are split between the two
 * as the cluster routes them at that moment (the share of ready pods): the canary's series appear
 * only once its pods serve, and each version answers as it behaves. The Micrometer templates of
 * examples/analysis are used with their queries as written; only their timing is shortened (a 6 s
 * initial delay, 1 s between measurements, a 10 s rate window, 3 measurements) so that each
 * scenario takes seconds, not minutes.
 */
class PrometheusAnalysisTest {
  private static final Path TEMPLATES = Path.of(System.getProperty("vigie.examples", "../examples"), "analysis", "micrometer.yaml");
  private static final double USERS_RPS = 40;
  private static final Behaviour HEALTHY = new Behaviour(USERS_RPS, 0.0, 0.08);

  private TrafficExporter app;
  private PrometheusServer prometheus;
  private OperatorHarness k8s;
  private long started;
  private String scenario;
  /** How the new version behaves on each request it gets; null: it exports no metrics at all. */
  private volatile Behaviour canaryVersion = HEALTHY;
  /** The users' requests per second, both versions together. */
  private volatile double usersRps = USERS_RPS;
  private java.util.concurrent.ScheduledExecutorService users;

  @BeforeEach
  void start(TestInfo test) throws IOException {
    scenario = test.getDisplayName();
    app = new TrafficExporter();
    app.set("web-stable", HEALTHY);
    prometheus = PrometheusServer.start(app.target());
    k8s = OperatorHarness.startInRealTime(OperatorSettings.defaults("test-operator").withPrometheus(prometheus.address())
        .withAllowedProviderHosts(OperatorHarness.LOOPBACK));
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
    applyTemplates();
    CanaryTraffic routing = new CanaryTraffic(k8s.client(), NS, "web", Routes.REPLICAS, image -> 0.0);
    users = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    users.scheduleWithFixedDelay(() -> {
      try {
        double share = routing.canaryShare() / 100.0;
        Behaviour canary = canaryVersion;
        app.set("web-stable", new Behaviour(usersRps * (1 - share), HEALTHY.errorRatio(), HEALTHY.latencySeconds()));
        app.set("web-canary", new Behaviour(canary == null ? 0 : usersRps * share, canary == null ? 0 : canary.errorRatio(),
            canary == null ? 0 : canary.latencySeconds()));
      } catch (RuntimeException e) {
        // The cluster is going away at the end of the test.
      }
    }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() {
    users.shutdownNow();
    k8s.close();
    prometheus.close();
    app.close();
  }

  @Test
  void aHealthyCanaryIsPromoted() {
    RolloutStatus healthy = canaryBehaving(HEALTHY, RolloutPhase.Healthy);

    assertThat(healthy.getStableRevision()).isEqualTo(healthy.getHistory().get(0).getRevision());
    AnalysisRunStatus step = run(healthy, "step-2");
    assertThat(step.getPhase()).isEqualTo(AnalysisPhase.Successful);
    assertThat(step.getMetrics()).extracting(m -> m.getName()).containsExactly("error-rate", "latency");
    assertThat(step.getMetrics()).allSatisfy(m -> {
      assertThat(m.getMeasured()).isEqualTo(3);
      assertThat(m.getSuccessful()).isEqualTo(3);
    });
    assertThat(step.getMetrics().get(0).getMeasurements()).allSatisfy(m -> assertThat(Double.parseDouble(m.getValue())).isZero());
    assertThat(step.getMetrics().get(1).getMeasurements())
        .allSatisfy(m -> assertThat(Double.parseDouble(m.getValue())).isBetween(0.05, 0.1));
    report(healthy);
  }

  @Test
  void aCanaryWithTwentyPercentErrorsIsRolledBack() {
    RolloutStatus rolledBack = canaryBehaving(new Behaviour(USERS_RPS, 0.20, 0.08), RolloutPhase.RolledBack);

    assertThat(rolledBack.getAbort().getReason()).isEqualTo("AnalysisFailed");
    assertThat(rolledBack.getAbort().getMessage())
        // The template says unit: ratio: the 0.2 measured reads as a percentage.
        .matches("analysis error-rate failed: (1[5-9]|2[0-5])(\\.\\d+)?% .*")
        .contains("does not satisfy result <= 0.05")
        .contains("2 of 2 measurements failed, failureLimit 1");
    assertThat(rolledBack.getCanaryWeight()).isZero();
    assertThat(rolledBack.getRollbackReport().getMetrics()).singleElement().satisfies(e -> {
      assertThat(e.getMetric()).isEqualTo("error-rate");
      assertThat(e.getRun()).isEqualTo("step-2");
      assertThat(e.getRule()).isEqualTo("success when result <= 0.05");
      assertThat(e.getLimits()).isEqualTo("failureLimit 1, inconclusiveLimit 0, consecutiveErrorLimit 4");
      assertThat(e.getMeasurements()).hasSize(2).allSatisfy(m -> assertThat(Double.parseDouble(m.getValue())).isBetween(0.15, 0.25));
    });
    assertThat(rolledBack.getRollbackReport().getChanges()).containsExactly("container app: image shop/web:v1 → shop/web:v2");
    assertThat(rolledBack.getRollbackReport().getSecondsToDecision()).isBetween(0L, 30L);
    k8s.eventually(() -> {
      assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero();
      assertThat(k8s.events("web")).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("RolloutAborted");
        assertThat(e.getMessage()).containsPattern("analysis error-rate failed: (1[5-9]|2[0-5])(\\.\\d+)?% ");
      });
    });
    report(rolledBack);
  }

  @Test
  void aCanaryWith300MillisecondsMoreAtP99IsRolledBack() {
    RolloutStatus rolledBack = canaryBehaving(new Behaviour(USERS_RPS, 0.0, 0.38), RolloutPhase.RolledBack);

    assertThat(rolledBack.getAbort().getReason()).isEqualTo("AnalysisFailed");
    assertThat(rolledBack.getAbort().getMessage()).matches("analysis latency failed: 4\\d\\dms .*").contains("result <= 0.3");
    report(rolledBack);
  }

  @Test
  void aCanaryWithMoreErrorsThanStableIsRolledBackByTheSequentialTest() {
    canaryVersion = new Behaviour(USERS_RPS, 0.20, 0.08);
    startCanary(List.of(template("micrometer-error-rate-sequential")));
    RolloutStatus rolledBack = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.RolledBack && !s.getHistory().isEmpty());

    assertThat(rolledBack.getAbort().getReason()).isEqualTo("AnalysisFailed");
    assertThat(rolledBack.getAbort().getMessage()).startsWith("analysis errors failed: the canary's share of bad requests is "
        + "more than 1.1 times the stable side's with 98% confidence: canary ").containsPattern("canary (19|20)\\.\\d\\d% bad");
    MetricStatus errors = run(rolledBack, "step-2").getMetrics().get(0);
    assertThat(errors.getSequential().getLikelihoodRatio()).isGreaterThanOrEqualTo(50);
    assertThat(errors.getSequential().getStableBad()).isZero();
    report(rolledBack);
  }

  @Test
  void aCanaryWith300MillisecondsMoreIsRolledBackByItsShareOfSlowRequests() {
    canaryVersion = new Behaviour(USERS_RPS, 0.0, 0.38);
    startCanary(List.of(template("micrometer-slow-requests-sequential")));
    RolloutStatus rolledBack = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.RolledBack && !s.getHistory().isEmpty());

    assertThat(rolledBack.getAbort().getMessage()).startsWith("analysis slow-requests failed: the canary's share of bad "
        + "requests is more than 1.1 times the stable side's with 98% confidence: canary 100.00% bad");
    assertThat(run(rolledBack, "step-2").getMetrics().get(0).getSequential().getStableBad()).isZero();
    report(rolledBack);
  }

  @Test
  void aCanaryAsGoodAsStableIsPromotedByTheSequentialTest() {
    canaryVersion = HEALTHY;
    startCanary(List.of(template("micrometer-error-rate-sequential")));
    RolloutStatus healthy = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && !s.getHistory().isEmpty());

    MetricStatus errors = run(healthy, "step-2").getMetrics().get(0);
    assertThat(errors.getPhase()).isEqualTo(AnalysisPhase.Successful);
    assertThat(errors.getMessage()).startsWith("no proof either way yet: canary 0.00% bad").contains("the canary served");
    assertThat(errors.getSequential().getCanaryRequests()).isGreaterThanOrEqualTo(5);
    report(healthy);
  }

  @Test
  void aCanaryWith300MillisecondsMoreIsRolledBackByTheComparisonScore() {
    canaryVersion = new Behaviour(USERS_RPS, 0.0, 0.38);
    startCanary(List.of(template("micrometer-compare")));
    RolloutStatus rolledBack = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.RolledBack && !s.getHistory().isEmpty());

    assertThat(rolledBack.getAbort().getMessage()).isEqualTo("analysis failed: score 33 (pass 95, marginal 75): latency-p99 High");
    AnalysisRunStatus step = run(rolledBack, "step-2");
    assertThat(step.getScore()).isEqualTo(33);
    MetricStatus latency = step.getMetrics().get(0);
    assertThat(latency.getComparison().getResult()).isEqualTo(io.vigie.api.v1alpha1.ComparisonEvidence.Result.High);
    assertThat(latency.getComparison().getSide()).isEqualTo("stable");
    assertThat(latency.getComparison().getCanaryPoints()).isGreaterThanOrEqualTo(5);
    assertThat(latency.getComparison().getLower()).isPositive();
    assertThat(rolledBack.getRollbackReport().getMetrics()).singleElement().satisfies(e -> {
      assertThat(e.getMetric()).isEqualTo("latency-p99");
      assertThat(e.getComparison().getResult()).isEqualTo(io.vigie.api.v1alpha1.ComparisonEvidence.Result.High);
    });
    report(rolledBack);
  }

  @Test
  void aCanaryAsGoodAsStableIsPromotedByTheComparison() {
    canaryVersion = HEALTHY;
    startCanary(List.of(template("micrometer-compare")));
    RolloutStatus healthy = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && !s.getHistory().isEmpty());

    AnalysisRunStatus step = run(healthy, "step-2");
    assertThat(step.getPhase()).isEqualTo(AnalysisPhase.Successful);
    assertThat(step.getScore()).isEqualTo(100);
    assertThat(step.getMetrics()).allSatisfy(m -> assertThat(m.getComparison().getResult())
        .isEqualTo(io.vigie.api.v1alpha1.ComparisonEvidence.Result.Pass));
    report(healthy);
  }

  @Test
  void aTrafficSurgeHoldsTheStepsAndTheyGoOnWhenItPasses() {
    canaryVersion = HEALTHY;
    k8s.createRollout("web", "web", "web", CanaryStep.weight(25), CanaryStep.pauseFor("4s"), CanaryStep.weight(50),
        CanaryStep.pauseFor("4s"));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    io.vigie.api.v1alpha1.SurgeGuard surge = k8s.client().getKubernetesSerialization().unmarshal("""
        provider: {prometheus: {query: 'sum(rate(http_server_requests_seconds_count{service=~"{{args.service}}-(stable|canary)"}[3s]))'}}
        factor: 2
        window: 1m
        interval: 1s
        """, io.vigie.api.v1alpha1.SurgeGuard.class);
    k8s.client().resources(Rollout.class).inNamespace(NS).withName("web").edit(r -> {
      r.getSpec().setGuards(new io.vigie.api.v1alpha1.Guards());
      r.getSpec().getGuards().setSurge(surge);
      return r;
    });
    prometheus.awaitData("http_server_requests_seconds_count{service=\"web-stable\"}");
    started = System.nanoTime();
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitStatus("web", s -> "2/4".equals(s.getStep()));

    usersRps = 3 * USERS_RPS;
    RolloutStatus held = k8s.awaitStatus("web", s -> s.getConditions().stream()
        .anyMatch(c -> "Held".equals(c.getType()) && "True".equals(c.getStatus()) && "TrafficSurge".equals(c.getReason())));
    assertThat(held.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(held.getMessage()).startsWith("held at step ").contains("traffic surge: ").contains("(factor 2)");
    MetricStatus before = run(held, "guard-surge").getMetrics().get(0);
    assertThat(before.getName()).isEqualTo("traffic-before");
    assertThat(before.getPhase()).isEqualTo(AnalysisPhase.Successful);
    // The mean over the window before the release, whose start saw Prometheus' first scrapes.
    assertThat(Double.parseDouble(before.getMeasurements().get(before.getMeasurements().size() - 1).getValue()))
        .as("the rate before the release").isBetween(10.0, 50.0);
    String heldAt = held.getStep();
    // Longer than the pause it was in: the step does not move while the surge lasts.
    org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(5)).atMost(java.time.Duration.ofSeconds(8))
        .until(() -> k8s.status("web"), s -> heldAt.equals(s.getStep()) && s.getPhase() == RolloutPhase.Progressing);

    usersRps = USERS_RPS;
    RolloutStatus healthy = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && !s.getHistory().isEmpty());
    assertThat(healthy.getHistory()).last().satisfies(h -> assertThat(h.getVerdict().name()).isEqualTo("Promoted"));
    assertThat(k8s.events("web")).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("Held");
      assertThat(e.getMessage()).contains("traffic surge");
    });
    report(healthy);
  }

  @Test
  void prometheusStoppedMidCanaryPausesAndNeverPromotes() {
    String v1 = startCanary();
    k8s.awaitStatus("web", s -> s.getAnalysis() != null && s.getAnalysis().stream()
        .anyMatch(r -> r.getMetrics().stream().anyMatch(m -> m.getSuccessful() >= 1)));

    prometheus.stop();

    RolloutStatus paused = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused);
    assertThat(paused.getStableRevision()).isEqualTo(v1);
    assertThat(paused.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Paused");
      assertThat(c.getReason()).isEqualTo("AnalysisError");
    });
    AnalysisRunStatus step = run(paused, "step-2");
    assertThat(step.getPhase()).isEqualTo(AnalysisPhase.Error);
    assertThat(step.getMessage()).contains("could not be measured").contains("cannot reach Prometheus at " + prometheus.address())
        .contains("5 errors in a row, consecutiveErrorLimit 4");
    assertThat(paused.getHistory()).isEmpty();
    // Never promotes: held over several measurement intervals (1 s each), not one snapshot.
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).until(() -> {
      RolloutStatus s = k8s.status("web");
      return s.getPhase() == RolloutPhase.Paused && s.getHistory().isEmpty() && v1.equals(s.getStableRevision());
    });
    report(paused);
  }

  @Test
  void aQueryWithAnEmptyResultIsInconclusiveAndPauses() {
    // The new version exports no metrics (its instrumentation broke): no series of it exists, though
    // it serves, and the queries return an empty vector.
    canaryVersion = null;
    String v1 = startCanary();

    RolloutStatus paused = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused);
    assertThat(paused.getStableRevision()).isEqualTo(v1);
    assertThat(paused.getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("AnalysisInconclusive"));
    assertThat(run(paused, "step-2").getMessage()).contains("is inconclusive").contains("the query returned no data");
    assertThat(paused.getMessage()).contains("Continue with vigie.io/promote, or roll back with vigie.io/abort");
    report(paused);
  }

  @Test
  void theBackgroundAnalysisRollsBackACanaryThatDegradesDuringAPause() {
    RolloutAnalysis background = new RolloutAnalysis();
    background.setTemplates(List.of(template("micrometer-error-rate")));
    background.setArgs(List.of(arg("window", "5s")));
    k8s.createRollout("web", "web", "web", CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
    k8s.editRollout("web", r -> {
      r.getSpec().setAnalysis(background);
      return r;
    });
    String v1 = k8s.awaitPhase("web", RolloutPhase.Healthy).getStableRevision();
    // Prometheus scrapes the app already (the stable version's series is there) before the canary serves.
    prometheus.awaitData("http_server_requests_seconds_count{service=\"web-stable\"}");
    started = System.nanoTime();
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && s.getAnalysis().stream()
        .anyMatch(r -> r.getName().equals("background") && r.getMetrics().get(0).getSuccessful() >= 1));

    canaryVersion = new Behaviour(USERS_RPS, 0.5, 0.08);

    RolloutStatus rolledBack = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.RolledBack);
    assertThat(rolledBack.getStableRevision()).isEqualTo(v1);
    assertThat(rolledBack.getAbort().getMessage()).startsWith("analysis error-rate failed:");
    assertThat(run(rolledBack, "background").getPhase()).isEqualTo(AnalysisPhase.Failed);
    report(rolledBack);
  }

  @Test
  void everyReadyMadeTemplateQueryIsValidPromQl() throws IOException {
    PrometheusMetricProvider provider = new PrometheusMetricProvider(io.vigie.analysis.provider.AddressPolicy.of(
        OperatorHarness.LOOPBACK, Optional.empty()));
    Map<String, String> builtins = Map.of("namespace", NS, "service", "web", "canary-service", "web-canary",
        "stable-service", "web-stable");
    int queries = 0;
    try (var files = Files.list(TEMPLATES.getParent())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          for (HasMetadata item : k8s.client().load(in).items()) {
            if (!"AnalysisTemplate".equals(item.getKind())) {
              continue;
            }
            AnalysisTemplate template = k8s.client().getKubernetesSerialization().convertValue(item, AnalysisTemplate.class);
            RolloutAnalysis analysis = new RolloutAnalysis();
            analysis.setTemplates(List.of(template(template.getMetadata().getName())));
            RolloutSpec spec = new RolloutSpec();
            spec.setAnalysis(analysis);
            AnalysisResolver.Resolution resolution = AnalysisResolver.resolve(spec, builtins,
                ref -> Optional.of(template.getSpec()), ref -> Optional.empty(), TemplateRef::getName,
                Optional.of(prometheus.address()));
            assertThat(resolution.problems()).as("%s in %s", template.getMetadata().getName(), file).isEmpty();
            for (Metric metric : resolution.analysis().background().orElseThrow().metrics()) {
              RawMeasurement m = provider.measure("background", metric, java.time.Instant.now(), ref -> Optional.empty());
              assertThat(m.kind()).as("%s/%s in %s: %s", template.getMetadata().getName(), metric.getName(), file, m.note())
                  .isNotEqualTo(RawMeasurement.Kind.ERROR);
              // An errorRate metric reads both of its queries for each side, a compare metric its one.
              queries += (metric.getProvider().getPrometheus().getRequestsQuery() == null ? 1 : 2)
                  * (metric.getErrorRate() == null && metric.getCompare() == null ? 1 : 2);
            }
          }
        }
      }
    }
    assertThat(queries).isEqualTo(24);
  }

  private RolloutStatus canaryBehaving(Behaviour canary, RolloutPhase end) {
    canaryVersion = canary;
    startCanary();
    return k8s.awaitStatus("web", s -> s.getPhase() == end && !s.getHistory().isEmpty());
  }

  /** Creates the Rollout, waits for it to adopt the Deployment and for data to exist, then sets a new image. */
  private String startCanary() {
    return startCanary(List.of(template("micrometer-error-rate"), template("micrometer-latency")));
  }

  private String startCanary(List<TemplateRef> templates) {
    RolloutAnalysis analysis = new RolloutAnalysis();
    analysis.setTemplates(templates);
    analysis.setArgs(List.of(arg("window", "10s"), arg("max-seconds", "0.3")));
    CanaryStep judge = new CanaryStep();
    judge.setAnalysis(analysis);
    k8s.createRollout("web", "web", "web", CanaryStep.weight(25), judge, CanaryStep.weight(50));
    String v1 = k8s.awaitPhase("web", RolloutPhase.Healthy).getStableRevision();
    prometheus.awaitData("http_server_requests_seconds_count{service=\"web-stable\"}");
    started = System.nanoTime();
    k8s.setImage("web", "shop/web:v2");
    return v1;
  }

  private void report(RolloutStatus status) {
    long ms = (System.nanoTime() - started) / 1_000_000;
    int measurements = status.getAnalysis().stream().flatMap(r -> r.getMetrics().stream()).mapToInt(m -> m.getMeasured()).sum();
    System.out.printf("analysis scenario '%s': verdict %s after %d ms from the image change, %d measurements%n",
        scenario, status.getPhase(), ms, measurements);
  }

  private static AnalysisRunStatus run(RolloutStatus status, String name) {
    return status.getAnalysis().stream().filter(r -> name.equals(r.getName())).findFirst().orElseThrow();
  }

  /** The example templates, with their queries as written and their timing shortened. */
  private void applyTemplates() throws IOException {
    try (InputStream in = Files.newInputStream(TEMPLATES)) {
      for (HasMetadata item : k8s.client().load(in).items()) {
        AnalysisTemplate template = k8s.client().getKubernetesSerialization().convertValue(item, AnalysisTemplate.class);
        for (Metric metric : template.getSpec().getMetrics()) {
          metric.setInterval("1s");
          metric.setInitialDelay("6s");
          metric.setCount(3);
          if (metric.getMinRequests() != null) {
            metric.setMinRequests(5.0);
          }
          if (metric.getErrorRate() != null) {
            metric.getErrorRate().setMinRequests(5.0);
            metric.setCount(8);
          }
          if (metric.getCompare() != null) {
            metric.getCompare().setWindow("8s");
            metric.getCompare().setStep("1s");
            metric.setInitialDelay("8s");
          }
        }
        template.getMetadata().setNamespace(NS);
        k8s.client().resources(AnalysisTemplate.class).inNamespace(NS).resource(template).create();
      }
    }
  }

  private static TemplateRef template(String name) {
    return TemplateRef.named(name);
  }

  private static AnalysisArg arg(String name, String value) {
    return AnalysisArg.of(name, value);
  }
}
