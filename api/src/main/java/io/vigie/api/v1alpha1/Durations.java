package io.vigie.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;

/** The duration syntax of the API (30s, 5m, 1h, 1h30m), shared by the schema and the operator. */
public final class Durations {
  public static final String PATTERN = "^([0-9]+(h|m|s))+$";
  private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("([0-9]+)(h|m|s)");

  private Durations() {}

  /** Parses a duration of the API syntax; throws IllegalArgumentException naming the bad text. */
  public static Duration parse(String text) {
    if (text == null || !text.matches(PATTERN)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: use a number and a unit s, m or h, e.g. 30s, 5m, 1h30m");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
    }
    return total;
  }
}
