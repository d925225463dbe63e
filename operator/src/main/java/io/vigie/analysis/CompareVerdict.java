package io.vigie.analysis;

import io.vigie.analysis.MeasurementJudge.Judgement;
import io.vigie.analysis.judge.Comparison;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.CompareRule;
import io.vigie.api.v1alpha1.ComparisonEvidence;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;

/**
 * A compare metric's measurement judged ({@link Comparison}): Pass is a successful measurement, a
 * shift in the worse direction a failed one, a shift the other way a successful one (said so), too
 * few points an inconclusive one, points that are not finite an error. The comparison is kept in
 * status for people, the CLI and the rollback report.
 */
final class CompareVerdict {
  private CompareVerdict() {}

  static Judgement measure(MetricStatus status, Metric metric, RawMeasurement raw) {
    if (raw.kind() != RawMeasurement.Kind.VALUE || raw.points() == null) {
      return MeasurementJudge.judge(metric, raw);
    }
    CompareRule rule = metric.getCompare();
    RawMeasurement.SidePoints points = raw.points();
    Comparison c;
    try {
      c = Comparison.judge(points.canary(), points.other(), direction(rule), rule.tolerance(), rule.confidence(),
          rule.minPoints());
    } catch (IllegalArgumentException e) {
      return new Judgement(AnalysisPhase.Error, e.getMessage().replace("comparison side", points.side() + " side"));
    }
    status.setComparison(evidence(c, points.side()));
    String seen = "canary median " + number(c.canaryMedian()) + " (" + c.canaryPoints() + " points), " + points.side()
        + " median " + number(c.otherMedian()) + " (" + c.otherPoints() + " points)"
        + c.shift().map(s -> ", shift " + signed(s.shift()) + " [" + signed(s.lower()) + ", " + signed(s.upper()) + "] at "
            + percent(rule.confidence()) + " confidence, p " + number(c.pValue())).orElse("");
    return switch (c.result()) {
      case NO_DATA -> new Judgement(AnalysisPhase.Inconclusive, "NoData: " + c.reason().replace("comparison side", points.side()
          + " side") + " (minPoints " + rule.minPoints() + ")");
      case PASS -> new Judgement(AnalysisPhase.Successful, "Pass: " + reason(c, points.side()) + ": " + seen);
      case HIGH, LOW -> c.result().fails(direction(rule))
          ? new Judgement(AnalysisPhase.Failed, name(c.result()) + ": " + reason(c, points.side()) + ": " + seen)
          : new Judgement(AnalysisPhase.Successful, name(c.result()) + ", which is not worse (direction "
              + rule.direction().name().toLowerCase(java.util.Locale.ROOT) + "): " + seen);
    };
  }

  static Comparison.Direction direction(CompareRule rule) {
    return switch (rule.direction()) {
      case INCREASE -> Comparison.Direction.INCREASE;
      case DECREASE -> Comparison.Direction.DECREASE;
      case EITHER -> Comparison.Direction.EITHER;
    };
  }

  /** True when the metric's last comparison is not a failure in its direction (NoData is not a pass). */
  static boolean lastPassed(MetricStatus status, Metric metric) {
    ComparisonEvidence e = status.getComparison();
    if (e == null || e.getResult() == ComparisonEvidence.Result.NoData) {
      return false;
    }
    return switch (e.getResult()) {
      case High -> metric.getCompare().direction() == CompareRule.Direction.DECREASE;
      case Low -> metric.getCompare().direction() == CompareRule.Direction.INCREASE;
      default -> true;
    };
  }

  private static ComparisonEvidence evidence(Comparison c, String side) {
    ComparisonEvidence e = new ComparisonEvidence();
    e.setSide(side);
    e.setCanaryPoints(c.canaryPoints());
    e.setOtherPoints(c.otherPoints());
    e.setCanaryMedian(finite(c.canaryMedian()));
    e.setOtherMedian(finite(c.otherMedian()));
    c.shift().ifPresent(s -> {
      e.setShift(s.shift());
      e.setLower(s.lower());
      e.setUpper(s.upper());
    });
    e.setPValue(finite(c.pValue()));
    e.setResult(switch (c.result()) {
      case PASS -> ComparisonEvidence.Result.Pass;
      case HIGH -> ComparisonEvidence.Result.High;
      case LOW -> ComparisonEvidence.Result.Low;
      case NO_DATA -> ComparisonEvidence.Result.NoData;
    });
    return e;
  }

  private static String reason(Comparison c, String side) {
    return c.reason().replace("the comparison's median", "the " + side + "'s median");
  }

  private static String name(Comparison.Result result) {
    return result == Comparison.Result.HIGH ? "High" : "Low";
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static String number(double value) {
    return MeasurementJudge.number(value);
  }

  private static String signed(double value) {
    return (value > 0 ? "+" : "") + MeasurementJudge.number(value);
  }

  private static String percent(double ratio) {
    return MeasurementJudge.number(ratio * 100) + "%";
  }
}
