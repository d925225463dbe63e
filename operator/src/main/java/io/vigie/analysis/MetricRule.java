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
    if (metric.getErrorRate() != null) {
      var test = metric.getErrorRate();
      return "the canary's share of bad requests at most " + MeasurementJudge.number(1 + test.tolerance())
          + " times the stable side's (sequential test, " + MeasurementJudge.number(test.confidence() * 100) + "% confidence)";
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
