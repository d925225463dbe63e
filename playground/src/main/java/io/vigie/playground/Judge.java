package io.vigie.playground;

import java.util.List;
import java.util.Locale;

/**
 * How the playground's releases are judged, and with which canary steps:
 * <ul>
 *   <li>threshold: the rules people write today (error rate at most 5%, p99 at most 0.3 s, every
 *       30 s, failureLimit 1), against the stable pods;</li>
 *   <li>sequential: the sequential test of the canary's share of errors and of slow requests at every
 *       scrape (errorRate, docs/analysis.md), against a baseline;</li>
 *   <li>compare: Kayenta's judge (Mann-Whitney over a window of p99 and error-ratio points, and the
 *       score), against a baseline;</li>
 *   <li>flagger-tutorial and argo-docs: the analyses people copy from the peers' documentation, run by
 *       Vigie's threshold judge with their steps (see {@link #source}).</li>
 * </ul>
 */
enum Judge {
  THRESHOLD(false, null),
  SEQUENTIAL(true, null),
  COMPARE(true, null),
  /**
   * Flagger's tutorials (docs.flagger.app/tutorials/istio-progressive-delivery, the canary's
   * {@code analysis}): interval 1m, threshold 5, maxWeight 50, stepWeight 10, request-success-rate
   * at least 99%, request-duration (p99) at most 500 ms. Five failed checks roll back: failureLimit 4.
   */
  FLAGGER_TUTORIAL(false, """
      - setWeight: 10
      - pause: {duration: 1m}
      - setWeight: 20
      - pause: {duration: 1m}
      - setWeight: 30
      - pause: {duration: 1m}
      - setWeight: 40
      - pause: {duration: 1m}
      - setWeight: 50
      - pause: {duration: 1m}
      - setWeight: 100
      """),
  /**
   * Argo Rollouts' analysis documentation (argo-rollouts.readthedocs.io/en/stable/features/analysis/,
   * "Background Analysis"): steps 20, 40, 60, 80 with 10m pauses, the success-rate template at
   * interval 5m, successCondition result[0] >= 0.95, failureLimit 3.
   */
  ARGO_DOCS(false, """
      - setWeight: 20
      - pause: {duration: 10m}
      - setWeight: 40
      - pause: {duration: 10m}
      - setWeight: 60
      - pause: {duration: 10m}
      - setWeight: 80
      - pause: {duration: 10m}
      """);

  /** The pages the peers' policies come from, for the bench's settings line and the docs. */
  static final String SOURCES = "flagger-tutorial: https://docs.flagger.app/tutorials/istio-progressive-delivery (analysis: "
      + "interval 1m, threshold 5, maxWeight 50, stepWeight 10, request-success-rate min 99, request-duration max 500); "
      + "argo-docs: https://argo-rollouts.readthedocs.io/en/stable/features/analysis/ (Background Analysis: setWeight 20/40/60/80 "
      + "with 10m pauses, success-rate interval 5m, result[0] >= 0.95, failureLimit 3)";

  /** The canary runs a baseline next to it, the side the judge compares with. */
  final boolean baseline;
  private final String steps;

  Judge(boolean baseline, String steps) {
    this.baseline = baseline;
    this.steps = steps;
  }

  String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The policy's own steps, or these. */
  String steps(String otherwise) {
    return steps == null ? otherwise : steps;
  }

  /** A peer's documented policy rather than one of Vigie's judges. */
  boolean peer() {
    return steps != null;
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
    throw new IllegalArgumentException("no judge '" + word + "': use threshold, sequential, compare, flagger-tutorial or "
        + "argo-docs");
  }
}
