package io.vigie.analysis;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {{side}} in an errorRate metric's queries: "canary" for the canary's series, "stable" for the
 * stable side's, so that one query template reads both (Vigie's Services are
 * {@code <service>-canary} and {@code <service>-stable}).
 */
public enum SidePlaceholder {
  CANARY("canary"),
  STABLE("stable");

  static final Pattern PATTERN = Pattern.compile("\\{\\{\\s*side\\s*}}");

  private final String word;

  SidePlaceholder(String word) {
    this.word = word;
  }

  /** The query of this side. */
  public String fill(String query) {
    return PATTERN.matcher(query).replaceAll(Matcher.quoteReplacement(word));
  }

  public String word() {
    return word;
  }
}
