package io.vigie.analysis;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {{side}} in an errorRate metric's queries: "canary" for the canary's series, "stable" (or
 * "baseline", when the Rollout runs one) for the side it is compared with, so that one query
 * template reads both (Vigie's Services are {@code <service>-canary}, {@code <service>-stable} and
 * {@code <service>-baseline}, and its pods' {@code vigie.io/role} label says the same).
 */
public enum SidePlaceholder {
  CANARY("canary"),
  STABLE("stable"),
  /** The comparison side of a Rollout that runs a baseline. */
  BASELINE("baseline");

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
