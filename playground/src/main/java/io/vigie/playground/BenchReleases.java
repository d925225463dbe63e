package io.vigie.playground;

import io.vigie.api.v1alpha1.RolloutPhase;
import java.util.List;
import java.util.SortedMap;

/** The releases the bench judges, and what it records of each: values only, {@link Bench} runs them. */
final class BenchReleases {
  private BenchReleases() {}

  /** A bad release: obvious ones (the threshold judge must catch them) and subtle ones (measured). */
  record BadRelease(String tag, boolean obvious) {
    static final List<BadRelease> ALL = List.of(new BadRelease("v2-errors", true), new BadRelease("v2-slow", true),
        new BadRelease("v2-errors-1pct", false), new BadRelease("v2-p99-20pct", false), new BadRelease("v2-endpoint-2pct", false));

    String image() {
      return "ghcr.io/example/web:" + tag;
    }
  }

  /**
   * A good release, on a quiet app, on a noisy one (bursts, spikes, warm-up, a day's traffic), or on
   * a quiet one whose new pods warm up (slower for their first minute, whatever their version).
   */
  record GoodRelease(String tag, boolean noisy, boolean warmUp) {
    static final List<GoodRelease> ALL = List.of(new GoodRelease("v2", false, false), new GoodRelease("v2-noisy", true, true),
        new GoodRelease("v2-warmup", false, true));

    boolean quiet() {
      return !noisy && !warmUp;
    }
  }

  /**
   * Good releases of one kind: how each ended, how long the promoted ones took, and for the rolled
   * back ones, how many times each metric was among the failed ones in the rollback report.
   */
  record GoodRuns(List<RolloutPhase> verdicts, List<Double> promoteSeconds, SortedMap<String, Integer> causes) {
    int rolledBack() {
      return (int) verdicts.stream().filter(v -> v == RolloutPhase.RolledBack).count();
    }

    int held() {
      return (int) verdicts.stream().filter(v -> v != RolloutPhase.RolledBack && v != RolloutPhase.Healthy).count();
    }
  }

  /**
   * @param verdict how the release ended (RolledBack, or Healthy for a bad release let through, or
   *     null for the plain rolling update, which no one judges)
   * @param secondsToRollback from the first bad request the new version served to the moment the
   *     data plane sent the canary no more traffic (its weight 0), when it was rolled back
   */
  /**
   * @param secondsToSwitchBack blue-green: from the operator's decision (the rollback report's
   *     decidedAt) to the data plane sending no user to green
   */
  record Harm(long bad, RolloutPhase verdict, java.util.Optional<Double> secondsToRollback,
      java.util.Optional<Double> secondsToSwitchBack) {
    Harm(long bad, RolloutPhase verdict, java.util.Optional<Double> secondsToRollback) {
      this(bad, verdict, secondsToRollback, java.util.Optional.empty());
    }
  }
}
