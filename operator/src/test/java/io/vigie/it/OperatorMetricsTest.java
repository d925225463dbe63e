package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricProvider;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.ThresholdRange;
import io.vigie.api.v1alpha1.WebProvider;
import io.vigie.health.OpsServer;
import io.vigie.testkit.HttpStub;
import io.vigie.testing.OperatorHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scrapes the operator's /metrics while the real operator drives a canary that passes its steps,
 * measures a metric (good, then bad) and rolls back; then the Rollout is deleted.
 */
class OperatorMetricsTest {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)$");

  private OperatorHarness k8s;
  private OpsServer ops;
  private HttpStub app;
  private volatile String errorRate = "0.01";
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    k8s = OperatorHarness.start();
    ops = OpsServer.start(0, k8s.operator().metrics(), k8s.operator().health());
    app = HttpStub.serving(() -> "{\"errorRate\":" + errorRate + "}");
  }

  @AfterEach
  void stop() {
    ops.close();
    app.close();
    k8s.close();
  }

  @Test
  void theMetricsFollowACanaryThatRollsBackAndGoWithTheRollout() throws Exception {
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20), CanaryStep.pauseFor("1m"), CanaryStep.weight(50),
        analysisStep(app.url("/stats")));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").body()).contains("informers synced");
    k8s.eventually(() -> {
      String m = scrape();
      assertThat(value(m, "vigie_rollout_phase", Map.of("namespace", NS, "rollout", "web", "phase", "Healthy"))).hasValue(1);
      assertThat(value(m, "vigie_rollout_phase", Map.of("rollout", "web", "phase", "Progressing"))).hasValue(0);
      assertThat(value(m, "vigie_rollout_canary_weight", Map.of("rollout", "web"))).hasValue(0);
      assertThat(value(m, "vigie_rollout_step", Map.of("rollout", "web"))).hasValue(0);
      assertThat(value(m, "vigie_operator_leader", Map.of())).hasValue(1);
    });

    k8s.setImage("web", "shop/web:v2");
    k8s.awaitStatus("web", s -> "2/4".equals(s.getStep()));
    k8s.eventually(() -> {
      String m = scrape();
      assertThat(value(m, "vigie_rollout_phase", Map.of("rollout", "web", "phase", "Progressing"))).hasValue(1);
      assertThat(value(m, "vigie_rollout_phase", Map.of("rollout", "web", "phase", "Healthy"))).hasValue(0);
      assertThat(value(m, "vigie_rollout_canary_weight", Map.of("rollout", "web"))).hasValue(20);
      assertThat(value(m, "vigie_rollout_step", Map.of("rollout", "web"))).hasValue(2);
    });

    k8s.advance("web", Duration.ofMinutes(1));
    k8s.awaitStatus("web", s -> "4/4".equals(s.getStep()) && s.getAnalysis().stream()
        .anyMatch(r -> r.getMetrics().stream().anyMatch(mt -> mt.getSuccessful() >= 1)));
    k8s.eventually(() -> {
      String m = scrape();
      assertThat(value(m, "vigie_rollout_canary_weight", Map.of("rollout", "web"))).hasValue(50);
      assertThat(value(m, "vigie_rollout_step", Map.of("rollout", "web"))).hasValue(4);
      assertThat(value(m, "vigie_analysis_measurements_total", Map.of("result", "Successful"))).hasValue(1);
      // Every reason's series exists from the start, at 0, so that increase() sees the first rollback.
      assertThat(value(m, "vigie_rollbacks_total", Map.of("reason", "AnalysisFailed"))).hasValue(0);
      assertThat(value(m, "vigie_rollbacks_total", Map.of("reason", "ManualAbort"))).hasValue(0);
      assertThat(value(m, "vigie_rollbacks_total", Map.of("reason", "GateFailed"))).hasValue(0);
    });

    errorRate = "0.5";
    k8s.advance("web", Duration.ofSeconds(10));
    k8s.awaitPhase("web", RolloutPhase.RolledBack);
    k8s.eventually(() -> {
      String m = scrape();
      assertThat(value(m, "vigie_rollout_phase", Map.of("rollout", "web", "phase", "RolledBack"))).hasValue(1);
      assertThat(value(m, "vigie_rollout_phase", Map.of("rollout", "web", "phase", "Progressing"))).hasValue(0);
      assertThat(value(m, "vigie_rollout_canary_weight", Map.of("rollout", "web"))).hasValue(0);
      assertThat(value(m, "vigie_analysis_measurements_total", Map.of("result", "Successful"))).hasValue(1);
      assertThat(value(m, "vigie_analysis_measurements_total", Map.of("result", "Failed"))).hasValue(1);
      assertThat(value(m, "vigie_rollbacks_total", Map.of("reason", "AnalysisFailed"))).hasValue(1);
      // First traffic at the image change, verdict 70 s of simulated time later (pause 60 s + interval 10 s).
      assertThat(value(m, "vigie_rollout_duration_seconds_count", Map.of("verdict", "RolledBack"))).hasValue(1);
      assertThat(value(m, "vigie_rollout_duration_seconds_sum", Map.of("verdict", "RolledBack"))).hasValue(70);
      assertThat(value(m, "vigie_rollout_duration_seconds_bucket", Map.of("verdict", "RolledBack", "le", "60.0"))).hasValue(0);
      assertThat(value(m, "vigie_rollout_duration_seconds_bucket", Map.of("verdict", "RolledBack", "le", "120.0"))).hasValue(1);
    });

    // Reconcile timings from JOSDK, one series per controller: no Rollout name or namespace in them.
    String m = scrape();
    assertThat(value(m, "operator_sdk_controllers_execution_reconcile_seconds_count", Map.of("controller", "rollout")).orElse(0))
        .isGreaterThan(3);
    assertThat(m.lines().filter(l -> l.startsWith("operator_sdk_")))
        .isNotEmpty()
        .noneMatch(l -> l.contains("resource_name=") || l.contains("resource_namespace=") || l.contains("\"web\""));

    // More reconciles of the rolled-back Rollout count nothing again.
    k8s.afterReconciles("web", () -> { });
    assertThat(value(scrape(), "vigie_rollbacks_total", Map.of("reason", "AnalysisFailed"))).hasValue(1);

    k8s.client().resources(Rollout.class).inNamespace(NS).withName("web").delete();
    k8s.eventually(() -> {
      String after = scrape();
      assertThat(after.lines().filter(l -> l.startsWith("vigie_rollout_")).filter(l -> l.contains("rollout=\"web\""))).isEmpty();
      assertThat(value(after, "vigie_rollbacks_total", Map.of("reason", "AnalysisFailed"))).hasValue(1);
    });
  }

  private static CanaryStep analysisStep(String url) {
    WebProvider web = new WebProvider();
    web.setUrl(url);
    web.setJsonPointer("/errorRate");
    MetricProvider provider = new MetricProvider();
    provider.setWeb(web);
    Metric metric = new Metric();
    metric.setName("error-rate");
    metric.setProvider(provider);
    metric.setInterval("10s");
    metric.setCount(3);
    ThresholdRange range = new ThresholdRange();
    range.setMax(0.05);
    metric.setThresholdRange(range);
    metric.setFailureLimit(0);
    RolloutAnalysis analysis = new RolloutAnalysis();
    analysis.setMetrics(List.of(metric));
    CanaryStep step = new CanaryStep();
    step.setAnalysis(analysis);
    return step;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String scrape() throws IOException, InterruptedException {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    return response.body();
  }

  /** The value of the one sample of this metric whose labels include these, if any. */
  static OptionalDouble value(String exposition, String name, Map<String, String> labels) {
    double[] found = exposition.lines().map(SAMPLE::matcher).filter(Matcher::matches)
        .filter(s -> s.group(1).equals(name))
        .filter(s -> labels.entrySet().stream().allMatch(l -> (s.group(3) == null ? "" : s.group(3))
            .matches("(.*,)?" + Pattern.quote(l.getKey() + "=\"" + l.getValue() + "\"") + "(,.*)?")))
        .mapToDouble(s -> Double.parseDouble(s.group(4))).toArray();
    assertThat(found.length).as("samples of %s%s", name, labels).isLessThanOrEqualTo(1);
    return found.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(found[0]);
  }
}
