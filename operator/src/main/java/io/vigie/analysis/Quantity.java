package io.vigie.analysis;

import io.vigie.api.v1alpha1.MetricUnit;
import io.vigie.api.v1alpha1.ThresholdRange;
import java.util.Locale;

/** A metric's numbers as people read them, in the metric's unit: 17.3% rather than 0.173, 740ms rather than 0.74. */
public final class Quantity {
  private Quantity() {}

  public static String show(MetricUnit unit, double value) {
    if (unit == null || Double.isNaN(value) || Double.isInfinite(value)) {
      return MeasurementJudge.number(value);
    }
    // From the value as stored (four significant digits), so that the text and the stored value agree.
    double stored = Double.parseDouble(MeasurementJudge.number(value));
    return switch (unit) {
      case ratio -> significant(stored * 100) + "%";
      case seconds -> Math.abs(stored) < 1 ? significant(stored * 1000) + "ms" : significant(stored) + "s";
    };
  }

  /** A stored value (a number as text, or "-" when there was none) in the unit. */
  public static String show(MetricUnit unit, String stored) {
    if (stored == null) {
      return "-";
    }
    try {
      return show(unit, Double.parseDouble(stored));
    } catch (NumberFormatException e) {
      return stored;
    }
  }

  /** A threshold range in words: at most 5%, at least 100, between 1 and 2. */
  public static String range(MetricUnit unit, ThresholdRange range) {
    if (range.getMin() != null && range.getMax() != null) {
      return "between " + show(unit, range.getMin()) + " and " + show(unit, range.getMax());
    }
    if (range.getMax() != null) {
      return "at most " + show(unit, range.getMax());
    }
    return range.getMin() != null ? "at least " + show(unit, range.getMin()) : "any value";
  }

  /** Three significant digits at most, no trailing zeros: 17.3, 5, 0.125, 1230. */
  private static String significant(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    double magnitude = Math.abs(value);
    int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
    String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
    return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
  }
}
