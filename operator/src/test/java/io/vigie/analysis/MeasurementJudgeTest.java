package io.vigie.analysis;

import static io.vigie.api.v1alpha1.AnalysisPhase.Error;
import static io.vigie.api.v1alpha1.AnalysisPhase.Failed;
import static io.vigie.api.v1alpha1.AnalysisPhase.Inconclusive;
import static io.vigie.api.v1alpha1.AnalysisPhase.Successful;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.analysis.MeasurementJudge.Judgement;
import io.vigie.api.v1alpha1.Metric;

import io.vigie.api.v1alpha1.AnalysisPhase;
import java.time.Instant;
import java.util.Map;
import io.vigie.api.v1alpha1.MetricUnit;
import org.junit.jupiter.api.Test;

class MeasurementJudgeTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static Judgement judge(Metric metric, double value) {
    return MeasurementJudge.judge(metric, RawMeasurement.value("step-1", metric.getName(), T, value, null));
  }

  @Test
  void aThresholdRangeJudgesBothBounds() {
    Metric metric = Metrics.withMax("error-rate", 0.05);
    metric.getThresholdRange().setMin(0.0);
    assertThat(judge(metric, 0.21)).isEqualTo(new Judgement(Failed, "0.21 > max 0.05"));
    assertThat(judge(metric, 0.05)).isEqualTo(new Judgement(Successful, "0.05 is between 0 and 0.05"));
    assertThat(judge(metric, -1)).isEqualTo(new Judgement(Failed, "-1 < min 0"));
  }

  @Test
  void aMetricWithAUnitIsShownInItWhileItsRuleComparesTheRawNumbers() {
    Metric errors = Metrics.withMax("error-rate", 0.05);
    errors.setUnit(MetricUnit.ratio);
    assertThat(judge(errors, 0.1734)).isEqualTo(new Judgement(Failed, "17.3% > max 5%"));
    assertThat(judge(errors, 0.001)).isEqualTo(new Judgement(Successful, "0.1% is at most 5%"));
    assertThat(judge(errors, 0.0501).phase()).as("compared raw, not as shown").isEqualTo(Failed);
    assertThat(MetricRule.describe(errors)).isEqualTo("at most 5%");

    Metric latency = Metrics.withMax("p99", 0.3);
    latency.setUnit(MetricUnit.seconds);
    latency.getThresholdRange().setMin(0.01);
    assertThat(judge(latency, 0.7412)).isEqualTo(new Judgement(Failed, "741ms > max 300ms"));
    assertThat(judge(latency, 1.25)).isEqualTo(new Judgement(Failed, "1.25s > max 300ms"));
    assertThat(MetricRule.describe(latency)).isEqualTo("between 10ms and 300ms");
    assertThat(Quantity.show(MetricUnit.ratio, "0.25")).isEqualTo("25%");
    assertThat(Quantity.show(MetricUnit.ratio, "NaN")).isEqualTo("NaN");
    assertThat(Quantity.show(null, "0.25")).isEqualTo("0.25");
  }

  @Test
  void noDataAndNaNAreInconclusiveNeverSuccessful() {
    Metric metric = Metrics.withMax("error-rate", 0.05);
    assertThat(judge(metric, Double.NaN).phase()).isEqualTo(Inconclusive);
    assertThat(MeasurementJudge.judge(metric, RawMeasurement.noData("r", "error-rate", T, "empty")))
        .isEqualTo(new Judgement(Inconclusive, "empty"));
    assertThat(MeasurementJudge.judge(metric, RawMeasurement.error("r", "error-rate", T, "refused")))
        .isEqualTo(new Judgement(Error, "refused"));
  }

  @Test
  void infinityComparesAsANumber() {
    assertThat(judge(Metrics.withMax("latency", 0.5), Double.POSITIVE_INFINITY))
        .isEqualTo(new Judgement(Failed, "+Inf > max 0.5"));
  }

  @Test
  void celConditionsJudgeTheResult() {
    Metric success = Metrics.prometheus("latency", "q");
    success.setSuccessCondition("result <= 0.3");
    assertThat(judge(success, 0.4975)).isEqualTo(new Judgement(Failed, "0.4975 does not satisfy result <= 0.3"));
    assertThat(judge(success, 0.2)).isEqualTo(new Judgement(Successful, "0.2 satisfies result <= 0.3"));

    Metric both = Metrics.prometheus("latency", "q");
    both.setSuccessCondition("result < 0.3");
    both.setFailureCondition("result > 0.5");
    assertThat(judge(both, 0.4).phase()).isEqualTo(Inconclusive);
    assertThat(judge(both, 0.6)).isEqualTo(new Judgement(Failed, "0.6 meets the failure condition result > 0.5"));
  }

  @Test
  void aConditionThatFailsOnAValueIsAnErrorNeverAPass() {
    Metric metric = Metrics.prometheus("latency", "q");
    metric.setSuccessCondition("int(result) < 500");
    assertThat(judge(metric, Double.POSITIVE_INFINITY).phase()).isEqualTo(Error);
    assertThat(judge(metric, 120).phase()).isEqualTo(Successful);
  }

  @Test
  void aBadConditionIsReportedNotThrown() {
    assertThat(MeasurementJudge.problemWith("result <")).get().asString().startsWith("'result <' is not a CEL condition");
    assertThat(MeasurementJudge.problemWith("result + 1")).get().asString().contains("is not a CEL condition");
    assertThat(MeasurementJudge.problemWith("result < 0.05 && result >= 0.0")).isEmpty();
    assertThat(MeasurementJudge.problemWith("result <= 500")).as("an int literal against the double result").isEmpty();
  }

  @Test
  void tooFewRequestsMakeAMeasurementInconclusive() {
    Metric metric = Metrics.withMax("error-rate", 0.05);
    metric.setMinRequests(50.0);
    assertThat(MeasurementJudge.judge(metric, RawMeasurement.value("r", "error-rate", T, 0.0, 12.0)))
        .isEqualTo(new Judgement(Inconclusive, "12 requests < minRequests 50: not enough traffic to judge"));
    assertThat(MeasurementJudge.judge(metric, RawMeasurement.value("r", "error-rate", T, 0.0, 80.0)).phase())
        .isEqualTo(Successful);
    assertThat(MeasurementJudge.judge(metric, RawMeasurement.value("r", "error-rate", T, 0.0, null)).phase())
        .isEqualTo(Inconclusive);
  }

  @Test
  void numbersReadAsPeopleWriteThem() {
    assertThat(MeasurementJudge.number(0.05)).isEqualTo("0.05");
    assertThat(MeasurementJudge.number(300)).isEqualTo("300");
    assertThat(MeasurementJudge.number(0.123456)).isEqualTo("0.1235");
    assertThat(MeasurementJudge.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }


  @Test
  void anArgInAConditionIsAVariableOfTheTypeItsValueReads() {
    Metric metric = new Metric();
    metric.setName("error-rate");
    metric.setSuccessCondition("result <= {{args.max}} && {{args.strict}}");
    Map<String, String> args = Map.of("max", "0.05", "strict", "true");
    assertThat(MeasurementJudge.judge(metric, args, RawMeasurement.value("r", "error-rate", T, 0.01, null)))
        .isEqualTo(new Judgement(AnalysisPhase.Successful, "0.01 satisfies result <= 0.05 && true"));
    assertThat(MeasurementJudge.judge(metric, args, RawMeasurement.value("r", "error-rate", T, 0.5, null)).phase())
        .isEqualTo(AnalysisPhase.Failed);
    assertThat(MeasurementJudge.problemWith(metric.getSuccessCondition(), Map.of("max", "0.05 || true", "strict", "true")))
        .get().asString().contains("with max = '0.05 || true' (a string), strict = 'true' (a bool)");
  }

  /** docs/security.md, threat 3: a condition's cost is bounded, whatever its author writes. */
  @Test
  void aConditionThatLoopsTooLongIsAnErrorNotABusyOperator() {
    Metric metric = new Metric();
    metric.setName("loops");
    String ten = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";
    metric.setSuccessCondition("size(" + ten + ".map(a, " + ten + ".map(b, " + ten + ".map(c, " + ten + ".map(d, result))))) > 0");
    assertThat(MeasurementJudge.problemWith(metric.getSuccessCondition())).isEmpty();
    Judgement judgement = MeasurementJudge.judge(metric, RawMeasurement.value("r", "loops", T, 0.5, null));
    assertThat(judgement.phase()).isEqualTo(AnalysisPhase.Error);
    assertThat(judgement.why()).contains("failed on 0.5").containsIgnoringCase("iteration");
  }
}
