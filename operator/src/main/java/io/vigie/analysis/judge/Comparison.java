package io.vigie.analysis.judge;

import java.util.Arrays;
import java.util.Optional;

/**
 * The canary's points of one metric against the comparison side's (baseline, or stable): a
 * Mann–Whitney test and the Hodges–Lehmann shift with its interval, judged as Kayenta's judge does.
 * The metric passes when the interval holds 0 (no shift shown) or the shift is within
 * {@code tolerance} of the comparison side's median; otherwise it is High or Low, and fails only in
 * the direction that is worse.
 */
public record Comparison(int canaryPoints, int otherPoints, double canaryMedian, double otherMedian,
    Optional<ShiftEstimate> shift, double pValue, Result result, String reason) {

  public enum Direction { INCREASE, DECREASE, EITHER }

  public enum Result {
    PASS, HIGH, LOW, NO_DATA;

    public boolean fails(Direction worse) {
      return this == HIGH && worse != Direction.DECREASE || this == LOW && worse != Direction.INCREASE;
    }
  }

  public static Comparison judge(double[] canary, double[] other, Direction worse, double tolerance, double confidence,
      int minSamples) {
    requireFinite("canary", canary);
    requireFinite("comparison", other);
    double canaryMedian = median(canary);
    double otherMedian = median(other);
    if (canary.length < minSamples || other.length < minSamples) {
      return new Comparison(canary.length, other.length, canaryMedian, otherMedian, Optional.empty(), Double.NaN,
          Result.NO_DATA, "the canary has " + canary.length + " points and the comparison side " + other.length
              + ": each needs " + minSamples);
    }
    MannWhitney test = MannWhitney.test(canary, other);
    ShiftEstimate shift = ShiftEstimate.of(canary, other, confidence);
    double relative = otherMedian == 0 ? (shift.shift() == 0 ? 0 : Double.POSITIVE_INFINITY)
        : Math.abs(shift.shift() / otherMedian);
    Result result;
    String reason;
    if (shift.includesZero()) {
      result = Result.PASS;
      reason = "no shift shown at " + confidence + " confidence";
    } else if (relative <= tolerance) {
      result = Result.PASS;
      reason = "a shift of " + percent(relative) + " of the comparison's median, within the tolerance of " + percent(tolerance);
    } else {
      result = shift.lower() > 0 ? Result.HIGH : Result.LOW;
      reason = (result == Result.HIGH ? "higher" : "lower") + " by " + percent(relative) + " of the comparison's median"
          + " (tolerance " + percent(tolerance) + ")";
    }
    return new Comparison(canary.length, other.length, canaryMedian, otherMedian, Optional.of(shift), test.pValue(),
        result, reason);
  }

  private static void requireFinite(String side, double[] points) {
    for (double p : points) {
      if (!Double.isFinite(p)) {
        throw new IllegalArgumentException("the " + side + " side has a point that is " + p
            + ": a query that divides by zero or a histogram with no samples; fix the query (e.g. drop such points)");
      }
    }
  }

  private static double median(double[] points) {
    if (points.length == 0) {
      return Double.NaN;
    }
    double[] sorted = points.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static String percent(double ratio) {
    return Double.isInfinite(ratio) ? "an unbounded share" : String.format(java.util.Locale.ROOT, "%.1f%%", ratio * 100);
  }
}
