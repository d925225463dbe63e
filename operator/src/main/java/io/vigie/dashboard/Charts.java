package io.vigie.dashboard;

import io.vigie.api.v1alpha1.MeasurementStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small inline SVG charts: the canary's weight over time, and a metric's measurements against its
 * limits. Each has a text alternative (role="img" and a title) for screen readers.
 */
final class Charts {
  private static final int WIDTH = 480;
  private static final int HEIGHT = 120;
  private static final int PAD = 24;
  private static final Pattern NUMBER = Pattern.compile("(-?[0-9]+(?:\\.[0-9]+)?(?:[eE]-?[0-9]+)?)\\s*(%|ms|s\\b)?");
  private static final String QUANTITY = "(-?[0-9][0-9.eE-]*\\s*(?:%|ms|s\\b)?)";
  private static final Pattern LIMIT = Pattern.compile("(at most|at least|between)\\s+" + QUANTITY + "(?:\\s+and\\s+" + QUANTITY
      + ")?");

  private Charts() {}

  /** The weight as a step line, 0 to 100%, from the first point to now. */
  static String traffic(List<RolloutWatch.TrafficPoint> points, Instant now) {
    if (points.isEmpty()) {
      return "<p class=\"muted\">No traffic change seen since the dashboard started.</p>";
    }
    Instant start = points.get(0).at();
    double span = Math.max(1, Duration.between(start, now).toMillis());
    StringBuilder path = new StringBuilder();
    int previous = -1;
    for (RolloutWatch.TrafficPoint p : points) {
      double x = x(Duration.between(start, p.at()).toMillis() / span);
      if (previous >= 0) {
        path.append(" L").append(fmt(x)).append(',').append(fmt(y(previous / 100.0)));
      }
      path.append(previous < 0 ? "M" : " L").append(fmt(x)).append(',').append(fmt(y(p.weight() / 100.0)));
      previous = p.weight();
    }
    path.append(" L").append(fmt(x(1))).append(',').append(fmt(y(previous / 100.0)));
    String summary = "Canary weight over time: " + points.stream().map(p -> p.weight() + "%").distinct()
        .reduce((a, b) -> a + ", " + b).orElse("") + "; now " + previous + "%";
    return svg(summary, "<path class=\"line\" d=\"" + path + "\"/>" + axis("100%", "0%"));
  }

  /** The measurements as points colored by their verdict, with the limit lines when the rule has them. */
  static String metric(String name, List<MeasurementStatus> measurements, String rule) {
    List<Double> values = measurements.stream().map(m -> value(m.getValue()).orElse(Double.NaN)).toList();
    List<Double> limits = limits(rule);
    double max = 0;
    double min = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
    }
    for (double l : limits) {
      max = Math.max(max, l);
      min = Math.min(min, l);
    }
    if (max == min) {
      max = min + 1;
    }
    double top = max + (max - min) * 0.1;
    StringBuilder body = new StringBuilder();
    for (double l : limits) {
      double y = y((l - min) / (top - min));
      body.append("<line class=\"limit\" x1=\"").append(PAD).append("\" x2=\"").append(WIDTH - PAD / 2).append("\" y1=\"")
          .append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\"/>");
    }
    int n = values.size();
    for (int i = 0; i < n; i++) {
      double v = values.get(i);
      if (Double.isNaN(v)) {
        continue;
      }
      String phase = measurements.get(i).getPhase() == null ? "" : measurements.get(i).getPhase().name();
      body.append("<circle class=\"m ").append(Html.text(phase.toLowerCase(Locale.ROOT))).append("\" r=\"4\" cx=\"")
          .append(fmt(x(n == 1 ? 0.5 : (double) i / (n - 1)))).append("\" cy=\"").append(fmt(y((v - min) / (top - min))))
          .append("\"><title>").append(Html.text(measurements.get(i).getValue() + " " + phase)).append("</title></circle>");
    }
    String summary = name + ": " + n + " measurements" + (rule == null || rule.isBlank() ? "" : ", rule " + rule)
        + (n == 0 ? "" : ", last " + measurements.get(n - 1).getValue());
    return svg(summary, body + axis(label(top), label(min)));
  }

  /**
   * The canary against the side it is compared with (the baseline, or stable): two bars, for a
   * compare metric their medians (with the shift's interval in words), for a sequential error-rate
   * test their shares of bad requests.
   */
  static String versus(String name, String other, String unit, double canary, double otherValue, String detail) {
    double max = Math.max(Math.max(canary, otherValue), 1e-12) * 1.15;
    int height = 64;
    String summary = name + ": canary " + number(canary) + unit + " against " + other + " " + number(otherValue) + unit
        + (detail.isEmpty() ? "" : "; " + detail);
    String bars = bar(0, "canary", canary / max, number(canary) + unit, "canary") + bar(1, other, otherValue / max,
        number(otherValue) + unit, "other");
    return "<svg class=\"chart versus\" viewBox=\"0 0 " + WIDTH + " " + height + "\" role=\"img\" aria-label=\""
        + Html.text(summary) + "\"><title>" + Html.text(summary) + "</title>" + bars + "</svg>";
  }

  private static String bar(int row, String label, double fraction, String value, String css) {
    int y = 6 + row * 28;
    double width = Math.max(1, fraction * (WIDTH - 190));
    return "<text x=\"2\" y=\"" + (y + 14) + "\">" + Html.text(label) + "</text><rect class=\"bar " + css + "\" x=\"90\" y=\""
        + y + "\" height=\"20\" width=\"" + fmt(width) + "\"/><text x=\"" + fmt(96 + width) + "\" y=\"" + (y + 14) + "\">"
        + Html.text(value) + "</text>";
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /** A measurement's value as a number on one scale: "12.5%" is 0.125, "300ms" 0.3 (seconds). */
  static Optional<Double> value(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = NUMBER.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2);
    return Optional.of("%".equals(unit) ? v / 100 : "ms".equals(unit) ? v / 1000 : v);
  }

  static List<Double> limits(String rule) {
    if (rule == null) {
      return List.of();
    }
    Matcher m = LIMIT.matcher(rule);
    if (!m.find()) {
      return List.of();
    }
    Optional<Double> first = value(m.group(2));
    Optional<Double> second = m.group(3) == null ? Optional.empty() : value(m.group(3));
    return java.util.stream.Stream.of(first, second).flatMap(Optional::stream).toList();
  }

  private static String label(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }

  private static String axis(String top, String bottom) {
    return "<text x=\"2\" y=\"" + (PAD / 2 + 4) + "\">" + Html.text(top) + "</text><text x=\"2\" y=\"" + (HEIGHT - PAD / 2 + 4)
        + "\">" + Html.text(bottom) + "</text><line class=\"axis\" x1=\"" + PAD + "\" x2=\"" + PAD + "\" y1=\"" + PAD / 2
        + "\" y2=\"" + (HEIGHT - PAD / 2) + "\"/>";
  }

  private static String svg(String summary, String body) {
    return "<svg class=\"chart\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\" role=\"img\" aria-label=\"" + Html.text(summary)
        + "\"><title>" + Html.text(summary) + "</title>" + body + "</svg>";
  }

  private static double x(double fraction) {
    return PAD + fraction * (WIDTH - PAD * 1.5);
  }

  private static double y(double fraction) {
    return HEIGHT - PAD / 2.0 - fraction * (HEIGHT - PAD);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
