package io.vigie.cli;

import io.vigie.api.v1alpha1.Durations;
import java.time.Duration;

/** Durations on the command line: those of the Rollout spec (30s, 5m, 1h30m), and milliseconds (500ms). */
final class CliDurations {
  private CliDurations() {}

  /** The longest duration a command accepts: a week, well within what a deadline in nanoseconds holds. */
  private static final Duration MAX = Duration.ofDays(7);

  static Duration parse(String value, String option) {
    Duration parsed;
    try {
      if (value.matches("\\d{1,9}ms")) {
        parsed = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      } else {
        parsed = Durations.parse(value);
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CliError(CliError.USAGE, option + ": " + e.getMessage());
    }
    if (parsed.compareTo(MAX) > 0) {
      throw new CliError(CliError.USAGE, option + ": " + value + " is longer than a week");
    }
    return parsed;
  }

  /** A polling interval: at least 100 ms, so that a 0s does not hammer the API server. */
  static Duration interval(String value, String option) {
    Duration parsed = parse(value, option);
    return parsed.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : parsed;
  }
}
