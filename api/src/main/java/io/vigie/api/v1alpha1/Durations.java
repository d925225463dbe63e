package io.vigie.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;

/** The duration syntax of the API (30s, 5m, 1h, 1h30m), shared by the schema and the operator. */
public final class Durations {
  public static final String PATTERN = "^([0-9]+(h|m|s))+$";
  private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("([0-9]+)(h|m|s)");
  /** Far beyond every limit of the API, and far from overflowing an Instant or a Duration. */
  private static final long CEILING_SECONDS = 100L * 365 * 24 * 3600;

  private Durations() {}

  /**
   * Parses a duration of the API syntax; throws IllegalArgumentException naming the bad text. Never
   * overflows: a duration beyond a century is refused as such.
   */
  public static Duration parse(String text) {
    if (text == null || text.length() > 64 || !text.matches(PATTERN)) {
      throw new IllegalArgumentException(
          "'" + shorten(text) + "' is not a duration: use a number and a unit s, m or h, e.g. 30s, 5m, 1h30m");
    }
    long seconds = 0;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      String digits = m.group(1).replaceFirst("^0+(?=.)", "");
      long unit = switch (m.group(2)) {
        case "h" -> 3600;
        case "m" -> 60;
        default -> 1;
      };
      if (digits.length() > 12) {
        throw tooLong(text);
      }
      seconds += Long.parseLong(digits) * unit;
      if (seconds > CEILING_SECONDS) {
        throw tooLong(text);
      }
    }
    return Duration.ofSeconds(seconds);
  }

  /**
   * Parses a duration and checks it lies in [min, max]; the message names the bounds, e.g.
   * "'0s' is below the minimum 1s".
   */
  public static Duration parseWithin(String text, Duration min, Duration max) {
    Duration d = parse(text);
    if (d.compareTo(min) < 0) {
      throw new IllegalArgumentException("'" + text + "' is below the minimum " + format(min));
    }
    if (d.compareTo(max) > 0) {
      throw new IllegalArgumentException("'" + text + "' is above the maximum " + format(max));
    }
    return d;
  }

  /** A duration in the API syntax: 90s as 1m30s, 720h as 720h. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      out.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0) {
      out.append(s).append('s');
    }
    return out.toString();
  }

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException("'" + shorten(text) + "' is longer than any duration Vigie accepts (see the limits "
        + "in docs/operations.md)");
  }

  private static String shorten(String text) {
    return text != null && text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
