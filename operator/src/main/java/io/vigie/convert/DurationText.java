package io.vigie.convert;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the peers write them (a number of seconds, Go's "1m30s", "500ms", "1.5h") in Vigie's
 * form (whole hours, minutes and seconds: "90s", "1m30s"), or nothing when there is none.
 */
final class DurationText {
  private static final Pattern VIGIE = Pattern.compile("^([0-9]+(h|m|s))+$");
  private static final Pattern GO_PART = Pattern.compile("([0-9]*\\.?[0-9]+)(h|ms|m|s)");

  private DurationText() {}

  /** The duration in Vigie's form; a change worth saying is noted against {@code field}. */
  static Optional<String> of(JsonNode value, String field, Notes notes) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (value.isNumber()) {
      String seconds = value.asLong() + "s";
      notes.changed(field, value.asText() + " -> " + seconds + " (a number is seconds)");
      return Optional.of(seconds);
    }
    String text = value.asText().trim();
    if (VIGIE.matcher(text).matches()) {
      return Optional.of(text);
    }
    if (text.matches("[0-9]+")) {
      notes.changed(field, "\"" + text + "\" -> " + text + "s (a number is seconds)");
      return Optional.of(text + "s");
    }
    if (text.contains("{{")) {
      notes.dropped(field, "\"" + text + "\" is filled from an arg; Vigie's durations are literal, so the default applies: "
          + "write the duration here");
      return Optional.empty();
    }
    Optional<Long> millis = goMillis(text);
    if (millis.isEmpty()) {
      notes.dropped(field, "\"" + text + "\" is not a duration Vigie reads (like 30s, 5m, 1h30m)");
      return Optional.empty();
    }
    long seconds = Math.max(1, (millis.get() + 999) / 1000);
    String converted = seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    notes.changed(field, "\"" + text + "\" -> " + converted + " (whole seconds)");
    return Optional.of(converted);
  }

  /** Seconds of a Vigie duration (for sums such as iterations x interval). */
  static long seconds(String vigie) {
    return goMillis(vigie).orElseThrow() / 1000;
  }

  private static Optional<Long> goMillis(String text) {
    Matcher m = GO_PART.matcher(text);
    int end = 0;
    double millis = 0;
    while (m.find()) {
      if (m.start() != end) {
        return Optional.empty();
      }
      double n = Double.parseDouble(m.group(1));
      millis += n * switch (m.group(2)) {
        case "h" -> 3_600_000;
        case "m" -> 60_000;
        case "s" -> 1_000;
        default -> 1;
      };
      end = m.end();
    }
    return end == text.length() && end > 0 ? Optional.of(Math.round(millis)) : Optional.empty();
  }
}
