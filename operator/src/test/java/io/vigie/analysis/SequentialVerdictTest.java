package io.vigie.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.analysis.RawMeasurement.SideCounters;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.SequentialErrorRate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An errorRate metric's readings through MetricVerdict: what status shows, and what it keeps. */
class SequentialVerdictTest {
  private Instant at = Instant.parse("2026-01-01T00:00:00Z");

  private static Metric errorRate(int count) {
    Metric metric = Metrics.prometheus("errors", "sum(http_requests_total{role=\"{{side}}\",code=~\"5..\"})");
    metric.getProvider().getPrometheus().setRequestsQuery("sum(http_requests_total{role=\"{{side}}\"})");
    metric.setErrorRate(new SequentialErrorRate());
    metric.setCount(count);
    return metric;
  }

  private void read(MetricStatus status, Metric metric, double canaryRequests, double canaryBad, double stableRequests,
      double stableBad) {
    at = at.plusSeconds(15);
    MetricVerdict.record(status, metric, RawMeasurement.counters("step-1", "errors", at,
        new SideCounters(canaryRequests, canaryBad, stableRequests, stableBad)));
  }

  @Test
  void aCanaryFailingFiveTimesAsOftenFailsAtTheReadingThatProvesItAndSaysWithWhat() {
    Metric metric = errorRate(40);
    MetricStatus status = MetricVerdict.start(metric);
    read(status, metric, 1_000, 10, 9_000, 90);
    assertThat(status.getMeasurements().get(0).getMessage()).isEqualTo("first reading: counting from 1000 canary and 9000 stable requests");
    double canary = 1_000, canaryBad = 10, stable = 9_000, stableBad = 90;
    int readings = 1;
    while (status.getPhase() == AnalysisPhase.Running && readings < 40) {
      canary += 100;
      canaryBad += 5;
      stable += 900;
      stableBad += 9;
      read(status, metric, canary, canaryBad, stable, stableBad);
      readings++;
    }
    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(readings).as("readings until the rollback").isLessThanOrEqualTo(6);
    assertThat(status.getMessage()).startsWith("the canary's share of bad requests is more than 1.1 times the stable side's with "
        + "98% confidence: canary 5.00% bad").contains("stable 1.00%").contains("(bound 50)");
    assertThat(status.getSequential().getLikelihoodRatio()).isGreaterThanOrEqualTo(50);
    assertThat(status.getMessage()).endsWith("(at measurement " + readings + ")");
    assertThat(status.getLimits()).isEqualTo("fails at the first measurement past the test's bound, inconclusiveLimit 0, "
        + "consecutiveErrorLimit 4");
  }

  @Test
  void againstABaselineTheFirstReadingIsEvidenceAgainstStableItIsWhereCountingStarts() {
    Metric metric = errorRate(40);
    MetricStatus againstBaseline = MetricVerdict.start(metric);
    at = at.plusSeconds(15);
    MetricVerdict.record(againstBaseline, metric, RawMeasurement.counters("step-1", "errors", at,
        new SideCounters(200, 40, 200, 2, "baseline")));
    assertThat(againstBaseline.getSequential().getCanaryRequests()).as("both sides' pods started with this canary").isEqualTo(200);
    assertThat(againstBaseline.getSequential().getStableBad()).isEqualTo(2);
    assertThat(againstBaseline.getMeasurements().get(0).getMessage()).contains("canary 20.00% bad (40 of 200), baseline 1.00% (2 of 200)");
    assertThat(againstBaseline.getPhase()).as("20% against 1% over 200 requests each is proof already").isEqualTo(AnalysisPhase.Failed);

    MetricStatus againstStable = MetricVerdict.start(metric);
    read(againstStable, metric, 200, 40, 200, 2);
    assertThat(againstStable.getSequential().getCanaryRequests()).as("stable's counters hold its whole life").isZero();
  }

  @Test
  void theEvidenceSurvivesAStatusRoundTripAndACounterReset() throws Exception {
    Metric metric = errorRate(40);
    MetricStatus status = MetricVerdict.start(metric);
    read(status, metric, 500, 5, 4_500, 45);
    read(status, metric, 600, 10, 5_400, 54);
    double before = status.getSequential().getLikelihoodRatio();
    ObjectMapper json = new ObjectMapper();
    MetricStatus restored = json.readValue(json.writeValueAsString(status), MetricStatus.class);

    // The canary's pod restarted: its counters start again from 0 (here 50 requests, 5 bad since).
    read(restored, metric, 50, 5, 6_300, 63);
    assertThat(restored.getSequential().getCanaryRequests()).as("100 before the reset, 50 since").isEqualTo(150);
    assertThat(restored.getSequential().getCanaryBad()).isEqualTo(10);
    assertThat(restored.getSequential().getLikelihoodRatio()).isGreaterThan(before);
  }

  @Test
  void aCanaryThatServedTooLittleIsInconclusiveAtTheEndOfItsCountNeverSuccessful() {
    Metric metric = errorRate(3);
    metric.getErrorRate().setMinRequests(1_000.0);
    MetricStatus status = MetricVerdict.start(metric);
    read(status, metric, 0, 0, 1_000, 1);
    read(status, metric, 20, 0, 2_000, 2);
    read(status, metric, 40, 0, 3_000, 3);
    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(status.getMessage()).isEqualTo("the canary served 40 requests in 3 measurements, fewer than "
        + "errorRate.minRequests 1000: too few to judge");
  }

  @Test
  void countersThatCannotBeAreAnErrorNotEvidence() {
    Metric metric = errorRate(10);
    MetricStatus status = MetricVerdict.start(metric);
    read(status, metric, 100, 1, 900, Double.NaN);
    assertThat(status.getMeasurements().get(0).getPhase()).isEqualTo(AnalysisPhase.Error);
    assertThat(status.getMeasurements().get(0).getMessage()).startsWith("a counter read [100.0, 1.0, 900.0, NaN]");
    assertThat(status.getSequential()).isNull();
    read(status, metric, 100, 1, -5, 0);
    assertThat(status.getMeasurements().get(1).getPhase()).isEqualTo(AnalysisPhase.Error);
  }

  @Test
  void theRuleIsWordedForPeopleAndTheBadQueryMustNameItsSide() {
    Metric metric = errorRate(10);
    assertThat(MetricRule.describe(metric)).isEqualTo("the canary's share of bad requests at most 1.1 times the comparison "
        + "side's, the baseline or the stable pods (sequential test, 98% confidence)");
    List<String> problems = new ArrayList<>();
    metric.getProvider().getPrometheus().setQuery("sum(http_requests_total{code=~\"5..\"})");
    MetricValidation.check("spec.analysis.metrics[0]", metric, Map.of(), java.util.Optional.empty(), problems);
    assertThat(problems).singleElement().asString().startsWith("spec.analysis.metrics[0]: provider.prometheus.query does not "
        + "name the side: write {{side}}");
    metric.getProvider().getPrometheus().setQuery("sum(x{role=\"{{side}}\"})");
    metric.getProvider().getPrometheus().setRequestsQuery(null);
    metric.setSuccessCondition("result < 1");
    problems.clear();
    MetricValidation.check("m", metric, Map.of(), java.util.Optional.empty(), problems);
    assertThat(problems).containsExactly("m: errorRate is a rule of its own: drop thresholdRange, successCondition and "
        + "failureCondition", "m: errorRate needs provider.prometheus.requestsQuery, the counter of one side's requests "
        + "(query counts its bad ones)");
  }
}
