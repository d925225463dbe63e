package io.vigie.analysis;

import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.ThresholdRange;
import java.util.ArrayList;
import java.util.List;

/** A metric's rule and limits in words, for status, reports and the CLI. */
public final class MetricRule {
  private MetricRule() {}

  public static String describe(Metric metric) {
    return describe(metric, java.util.Map.of());
  }

  /** @param args the values of the args its conditions name, shown in their place */
  public static String describe(Metric metric, java.util.Map<String, String> args) {
    if (JobMetrics.isJob(metric)) {
      return "the Job succeeds";
    }
    if (metric.getErrorRate() != null) {
      var test = metric.getErrorRate();
      return "the canary's share of bad requests at most " + MeasurementJudge.number(1 + test.tolerance())
          + " times the comparison side's, the baseline or the stable pods (sequential test, "
          + MeasurementJudge.number(test.confidence() * 100) + "% confidence)";
    }
    if (metric.getCompare() != null) {
      var c = metric.getCompare();
      String worse = switch (c.direction()) {
        case INCREASE -> "higher";
        case DECREASE -> "lower";
        case EITHER -> "higher or lower";
      };
      return "the canary not " + worse + " than the comparison side by more than " + MeasurementJudge.number(c.tolerance() * 100)
          + "% of its median (Mann-Whitney, " + MeasurementJudge.number(c.confidence() * 100) + "% interval, last "
          + c.window() + "); " + (c.critical() ? "critical" : "weight " + c.weight() + " in the score");
    }
    ThresholdRange range = metric.getThresholdRange();
    if (range != null) {
      return Quantity.range(metric.getUnit(), range);
    }
    List<String> parts = new ArrayList<>();
    if (metric.getSuccessCondition() != null) {
      parts.add("success when " + MeasurementJudge.shown(metric.getSuccessCondition(), args));
    }
    if (metric.getFailureCondition() != null) {
      parts.add("failure when " + MeasurementJudge.shown(metric.getFailureCondition(), args));
    }
    return String.join("; ", parts);
  }

  public static String limits(Metric metric) {
    if (metric.getCompare() != null && !metric.getCompare().critical()) {
      // A normal compare metric weighs in the analysis' score; its own failures count there.
      return "judged by the analysis' score, inconclusiveLimit " + orZero(metric.getInconclusiveLimit())
          + ", consecutiveErrorLimit " + (metric.getConsecutiveErrorLimit() == null
              ? MetricVerdict.DEFAULT_CONSECUTIVE_ERROR_LIMIT : metric.getConsecutiveErrorLimit());
    }
    if (metric.getErrorRate() != null) {
      // The sequential test bounds its own false alarms: no failure limit applies.
      return "fails at the first measurement past the test's bound, inconclusiveLimit " + orZero(metric.getInconclusiveLimit())
          + ", consecutiveErrorLimit " + (metric.getConsecutiveErrorLimit() == null
              ? MetricVerdict.DEFAULT_CONSECUTIVE_ERROR_LIMIT : metric.getConsecutiveErrorLimit());
    }
    return "failureLimit " + orZero(metric.getFailureLimit()) + ", inconclusiveLimit " + orZero(metric.getInconclusiveLimit())
        + ", consecutiveErrorLimit " + (metric.getConsecutiveErrorLimit() == null
            ? MetricVerdict.DEFAULT_CONSECUTIVE_ERROR_LIMIT : metric.getConsecutiveErrorLimit());
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
