package io.vigie.analysis;

import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.ScoreThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The score of an analysis, as Kayenta computes it: the weighted share of its compare metrics whose
 * last comparison passed (a shift in the direction that is not worse passes), 0 to 100, once each
 * has been compared. A NoData comparison is left out (it is neither evidence for nor against: the
 * metric's inconclusiveLimit deals with it); with every one NoData there is no score. At or above scoreThresholds.pass the analysis goes on; below
 * marginal it fails; in between a person decides. Critical metrics fail on their own
 * (MetricVerdict), whatever the score.
 */
final class AnalysisScore {
  /** A score and what it means. */
  record Score(int value, AnalysisPhase phase, String message) {}

  private AnalysisScore() {}

  static Optional<Score> of(AnalysisRunStatus run, ResolvedAnalysis.Run spec) {
    List<Metric> compared = spec.metrics().stream().filter(m -> m.getCompare() != null && !m.dryRun()).toList();
    if (compared.isEmpty()) {
      return Optional.empty();
    }
    int total = 0;
    int passed = 0;
    List<String> failing = new ArrayList<>();
    for (Metric metric : compared) {
      Optional<MetricStatus> status = AnalysisRuns.metricStatus(run, metric.getName());
      if (status.isEmpty() || status.get().getComparison() == null) {
        return Optional.empty();
      }
      if (status.get().getComparison().getResult() == io.vigie.api.v1alpha1.ComparisonEvidence.Result.NoData) {
        continue;
      }
      total += metric.getCompare().weight();
      if (CompareVerdict.lastPassed(status.get(), metric)) {
        passed += metric.getCompare().weight();
      } else {
        failing.add(metric.getName() + " " + status.get().getComparison().getResult());
      }
    }
    if (total == 0) {
      return Optional.empty();
    }
    int value = (int) Math.round(100.0 * passed / total);
    ScoreThresholds t = spec.scoreThresholds();
    String of = "score " + value + " (pass " + t.pass() + ", marginal " + t.marginal() + ")"
        + (failing.isEmpty() ? "" : ": " + String.join(", ", failing));
    if (value >= t.pass()) {
      return Optional.of(new Score(value, AnalysisPhase.Successful, of));
    }
    if (value < t.marginal()) {
      return Optional.of(new Score(value, AnalysisPhase.Failed, of));
    }
    return Optional.of(new Score(value, AnalysisPhase.Inconclusive, of + ": marginal, a person decides (promote or abort)"));
  }
}
