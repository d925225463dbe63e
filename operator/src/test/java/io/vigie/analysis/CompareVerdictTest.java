package io.vigie.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.CompareRule;
import io.vigie.api.v1alpha1.ComparisonEvidence;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.ScoreThresholds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Compare metrics through MetricVerdict and the analysis' score: what status shows, and when a run fails. */
class CompareVerdictTest {
  private Instant at = Instant.parse("2026-01-01T00:00:00Z");
  private final Random random = new Random(7);

  private static Metric compare(String name, CompareRule.Direction direction, CompareRule.Criticality criticality, int weight) {
    Metric metric = Metrics.prometheus(name, "histogram_quantile(0.99, sum by (le) (rate(x{role=\"{{side}}\"}[1m])))");
    CompareRule rule = new CompareRule();
    rule.setDirection(direction);
    rule.setCriticality(criticality);
    rule.setWeight(weight);
    metric.setCompare(rule);
    return metric;
  }

  /** 20 points around a median, ±2% of noise. */
  private double[] around(double median) {
    double[] points = new double[20];
    for (int i = 0; i < points.length; i++) {
      points[i] = median * (1 + (random.nextDouble() - 0.5) * 0.04);
    }
    return points;
  }

  private RawMeasurement points(String metric, double[] canary, double[] other) {
    at = at.plusSeconds(60);
    return RawMeasurement.points("step-1", metric, at, new RawMeasurement.SidePoints(canary, other, "baseline"));
  }

  @Test
  void aCriticalMetricWhoseCanaryIsHigherFailsSayingByHowMuchAndKeepsTheComparison() {
    Metric latency = compare("latency", CompareRule.Direction.INCREASE, CompareRule.Criticality.CRITICAL, 1);
    MetricStatus status = MetricVerdict.start(latency);
    MetricVerdict.record(status, latency, points("latency", around(0.30), around(0.20)));

    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(status.getMessage()).startsWith("High: higher by 5").contains("of the baseline's median (tolerance 10.0%)")
        .contains("canary median 0.3").contains("(20 points), baseline median 0.2").contains("at 98% confidence");
    ComparisonEvidence c = status.getComparison();
    assertThat(c.getResult()).isEqualTo(ComparisonEvidence.Result.High);
    assertThat(c.getSide()).isEqualTo("baseline");
    assertThat(c.getCanaryPoints()).isEqualTo(20);
    assertThat(c.getShift()).isBetween(0.09, 0.11);
    assertThat(c.getLower()).isPositive();
    assertThat(c.getPValue()).isLessThan(0.001);
    assertThat(status.getRule()).isEqualTo("the canary not higher than the comparison side by more than 10% of its median "
        + "(Mann-Whitney, 98% interval, last 5m); critical");
  }

  @Test
  void aShiftWithinToleranceOrInTheDirectionThatIsNotWorsePasses() {
    Metric latency = compare("latency", CompareRule.Direction.INCREASE, CompareRule.Criticality.CRITICAL, 1);
    MetricStatus status = MetricVerdict.start(latency);
    MetricVerdict.record(status, latency, points("latency", around(0.205), around(0.20)));
    assertThat(status.getMeasurements().get(0).getMessage()).startsWith("Pass: ");
    MetricVerdict.record(status, latency, points("latency", around(0.10), around(0.20)));
    assertThat(status.getMeasurements().get(1).getPhase()).isEqualTo(AnalysisPhase.Successful);
    assertThat(status.getMeasurements().get(1).getMessage()).startsWith("Low, which is not worse (direction increase)");
    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Running);

    Metric throughput = compare("throughput", CompareRule.Direction.DECREASE, CompareRule.Criticality.CRITICAL, 1);
    MetricStatus down = MetricVerdict.start(throughput);
    MetricVerdict.record(down, throughput, points("throughput", around(80), around(100)));
    assertThat(down.getPhase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(down.getMessage()).startsWith("Low: lower by");
  }

  @Test
  void tooFewPointsAreInconclusiveAndPointsThatAreNotNumbersAnErrorNeverAPass() {
    Metric latency = compare("latency", CompareRule.Direction.INCREASE, CompareRule.Criticality.NORMAL, 1);
    MetricStatus status = MetricVerdict.start(latency);
    MetricVerdict.record(status, latency, points("latency", new double[] {0.2, 0.2}, around(0.2)));
    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(status.getMessage()).startsWith("NoData: the canary has 2 points and the baseline side 20: each needs 5 (minPoints 5)");

    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      MetricStatus s = MetricVerdict.start(latency);
      double[] canary = around(0.2);
      canary[3] = bad;
      MetricVerdict.record(s, latency, points("latency", canary, around(0.2)));
      assertThat(s.getMeasurements().get(0).getPhase()).isEqualTo(AnalysisPhase.Error);
      assertThat(s.getMeasurements().get(0).getMessage()).startsWith("the canary side has a point that is " + bad);
    }
  }

  @Test
  void theScoreIsTheWeightedShareThatPassAndDecidesTheRunAgainstItsThresholds() {
    Metric latency = compare("latency", CompareRule.Direction.INCREASE, CompareRule.Criticality.NORMAL, 3);
    Metric errors = compare("errors", CompareRule.Direction.INCREASE, CompareRule.Criticality.NORMAL, 1);
    ResolvedAnalysis.Run spec = new ResolvedAnalysis.Run(List.of(latency, errors), OnMetricsError.Pause, Map.of(), java.util.Set.of(),
        new ScoreThresholds(95, 70));

    // Both pass: 100.
    AnalysisRunStatus run = AnalysisRuns.start("step-1", spec, at);
    AnalysisRuns.fold(run, spec, List.of(points("latency", around(0.2), around(0.2)), points("errors", around(0.01), around(0.01))));
    assertThat(run.getScore()).isEqualTo(100);
    assertThat(run.getPhase()).isEqualTo(AnalysisPhase.Running);
    assertThat(run.getMessage()).contains("score 100 (pass 95, marginal 70)");

    // The errors (weight 1 of 4) worse: 75, marginal: a person decides.
    run = AnalysisRuns.start("step-1", spec, at);
    AnalysisRuns.fold(run, spec, List.of(points("latency", around(0.2), around(0.2)), points("errors", around(0.05), around(0.01))));
    assertThat(run.getScore()).isEqualTo(75);
    assertThat(run.getPhase()).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(run.getMessage()).isEqualTo("analysis is inconclusive: score 75 (pass 95, marginal 70): errors High: marginal, "
        + "a person decides (promote or abort)");
    assertThat(AnalysisRuns.metricStatus(run, "errors").orElseThrow().getPhase())
        .as("a normal metric's failure counts in the score, not on its own").isEqualTo(AnalysisPhase.Running);

    // The latency (weight 3 of 4) worse: 25, below marginal: the run fails.
    run = AnalysisRuns.start("step-1", spec, at);
    AnalysisRuns.fold(run, spec, List.of(points("latency", around(0.3), around(0.2)), points("errors", around(0.01), around(0.01))));
    assertThat(run.getScore()).isEqualTo(25);
    assertThat(run.getPhase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(run.getMessage()).isEqualTo("analysis failed: score 25 (pass 95, marginal 70): latency High");

    // No score until every compare metric has been compared; a NoData one is left out of it.
    run = AnalysisRuns.start("step-1", spec, at);
    AnalysisRuns.fold(run, spec, List.of(points("latency", around(0.2), around(0.2))));
    assertThat(run.getScore()).isNull();
    AnalysisRuns.fold(run, spec, List.of(points("errors", new double[] {0.01}, around(0.01))));
    assertThat(run.getScore()).as("errors has NoData: latency alone").isEqualTo(100);
  }
}
