package io.vigie.playground;

import java.util.List;
import java.util.Locale;

/**
 * How the playground's releases are judged: the threshold rules people write today (error rate at
 * most 5%, p99 at most 0.3 s, failureLimit 1), or the sequential test of the canary's share of
 * errors and of slow requests against the stable side's (errorRate, docs/analysis.md).
 */
enum Judge {
  THRESHOLD,
  SEQUENTIAL;

  String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  static List<Judge> of(List<String> words) {
    return words.stream().map(Judge::of).toList();
  }

  static Judge of(String word) {
    for (Judge j : values()) {
      if (j.word().equals(word)) {
        return j;
      }
    }
    throw new IllegalArgumentException("no judge '" + word + "': use threshold or sequential");
  }
}
