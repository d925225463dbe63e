package io.vigie.cli;

import io.vigie.api.v1alpha1.Durations;
import java.time.Duration;

/** Durations on the command line: those of the Rollout spec (30s, 5m, 1h30m), and milliseconds (500ms). */
final class CliDurations {
  private CliDurations() {}

  static Duration parse(String value, String option) {
    try {
      if (value.matches("\\d+ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CliError(CliError.USAGE, option + ": " + e.getMessage());
    }
  }
}
