package io.vigie.playground;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.RolloutPhase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each `vigie demo` scenario, run as the demo runs it (the real operator on the playground), ends as
 * it should: with a real Prometheus scraping the data plane (./scripts/test installs it), and, for
 * the web provider path, through the data plane's own statistics.
 */
class DemoScenariosTest {

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void theScenarioEndsWithItsResultLineWithARealPrometheus(Scenario scenario) throws Exception {
    assertThat(MetricsBackend.prometheusBinary()).as("prometheus on PATH: ./scripts/test installs it").isPresent();
    Run run = demo(scenario, false, MetricsBackend.Choice.PROMETHEUS);
    String text = run.text();
    List<String> lines = text.lines().toList();

    assertThat(run.phase()).as(text).isEqualTo(scenario.expected);
    assertThat(text).contains("metrics: Prometheus at http://127.0.0.1:");
    assertThat(lines.get(lines.size() - 1)).matches("RESULT phase=" + scenario.expected + " revision=[0-9a-f]{10}");
    switch (scenario) {
      case GOOD -> assertThat(text).contains("Progressing step 2/4, canary weight 20%").contains("canary weight 50%")
          .contains("event Normal Promoted");
      case BAD_ERRORS -> assertThat(text).contains("measured error-rate").contains("-> Failed")
          .contains("Rollback report: revision").contains("changed:   container web: image ghcr.io/example/web:v1 → "
              + "ghcr.io/example/web:v2-errors");
      case BAD_LATENCY -> assertThat(text).contains("measured latency-p99").contains("analysis latency-p99 failed");
      case METRICS_OUTAGE -> assertThat(text).contains("! the metrics backend goes down").contains("cannot reach Prometheus at")
          .contains("event Warning AnalysisError").doesNotContain("Promoted");
    }
  }

  @org.junit.jupiter.api.Test
  void throughAGatewayApiRouteTheCanaryGetsItsExactWeightAndABadReleaseIsRolledBack() throws Exception {
    Run run = demo(Scenario.BAD_ERRORS, true, MetricsBackend.Choice.WEB);
    String text = run.text();

    assertThat(run.phase()).as(text).isEqualTo(RolloutPhase.RolledBack);
    assertThat(text).contains("metrics: the data plane's statistics")
        .contains("routing: Gateway API HTTPRoute web").contains("canary weight 20%")
        .contains("measured error-rate").contains("-> Failed");
    assertThat(text.lines().reduce((a, b) -> b).orElse("")).matches("RESULT phase=RolledBack revision=[0-9a-f]{10}");
  }

  @org.junit.jupiter.api.Test
  void withTheDataPlanesStatisticsAMetricsOutagePausesTheRolloutToo() throws Exception {
    Run run = demo(Scenario.METRICS_OUTAGE, false, MetricsBackend.Choice.WEB);

    assertThat(run.phase()).as(run.text()).isEqualTo(RolloutPhase.Paused);
    assertThat(run.text()).contains("metrics: the data plane's statistics").contains("answered HTTP 503")
        .contains("event Warning AnalysisError").doesNotContain("Promoted");
  }

  /** What `vigie demo` printed, and where the Rollout ended. */
  private record Run(RolloutPhase phase, String text) {}

  private static Run demo(Scenario scenario, boolean gatewayApi, MetricsBackend.Choice metrics) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    RolloutPhase phase;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      phase = Demo.run(scenario, 20, out, Optional.empty(), gatewayApi, metrics);
    }
    return new Run(phase, printed.toString(StandardCharsets.UTF_8));
  }
}
