package io.vigie.analysis;

import io.vigie.api.v1alpha1.Guards;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.SurgeGuard;
import io.vigie.api.v1alpha1.ThresholdRange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** spec.guards resolved into the metrics {@link GuardRuns} measures, with the problems that keep them from running. */
final class GuardsResolution {
  private GuardsResolution() {}

  /**
   * The surge guard as two metrics of one provider: the rate before the release (its mean over the
   * window, read once at the canary's start) and the rate now; the stable guard's metrics with
   * {{side}} filled with stable. Both are resolved like an analysis (templates, args, checks).
   */
  static ResolvedAnalysis.Guards of(Guards spec, BiFunction<String, RolloutAnalysis, ResolvedAnalysis.Run> resolve,
      List<String> problems) {
    Optional<ResolvedAnalysis.Run> surge = Optional.empty();
    double factor = 0;
    if (spec.getSurge() != null) {
      SurgeGuard guard = spec.getSurge();
      factor = guard.factor();
      // The schema bounds these; an API server that stores objects without it must not make a guard
      // that holds forever (a factor below 1) or never (an unbounded one).
      if (!(factor >= 1.1 && factor <= 100)) {
        problems.add("spec.guards.surge: factor is " + MeasurementJudge.number(factor) + ": use 1.1 to 100");
      }
      MetricValidation.duration("spec.guards.surge", "window", guard.window(), java.time.Duration.ofMinutes(1),
          java.time.Duration.ofHours(24), problems);
      Metric traffic = new Metric();
      traffic.setName(GuardRuns.TRAFFIC);
      traffic.setProvider(guard.getProvider());
      traffic.setInterval(guard.interval());
      // The guard judges the rate against factor times the rate before; this rule only says a rate is a rate.
      ThresholdRange aRate = new ThresholdRange();
      aRate.setMin(0.0);
      traffic.setThresholdRange(aRate);
      RolloutAnalysis analysis = new RolloutAnalysis();
      analysis.setMetrics(List.of(traffic));
      ResolvedAnalysis.Run run = resolve.apply("spec.guards.surge", analysis);
      if (!run.metrics().isEmpty()) {
        Metric now = run.metrics().get(0);
        surge = Optional.of(new ResolvedAnalysis.Run(List.of(GuardRuns.before(now, guard.window()), now),
            OnMetricsError.Pause, Map.of(), run.adminMetrics(), run.scoreThresholds()));
      }
    }
    Optional<ResolvedAnalysis.Run> stable = Optional.empty();
    if (spec.getStable() != null) {
      ResolvedAnalysis.Run run = resolve.apply("spec.guards.stable", spec.getStable());
      for (Metric metric : run.metrics()) {
        if (metric.getErrorRate() != null || metric.getCompare() != null || metric.dryRun()) {
          problems.add("spec.guards.stable metric " + metric.getName() + ": a guard judges the stable side alone, "
              + "every measurement: give it thresholdRange, successCondition or failureCondition (no errorRate, compare or "
              + "dryRun)");
        }
      }
      stable = Optional.of(new ResolvedAnalysis.Run(run.metrics().stream().map(GuardRuns::onStableSide).toList(),
          OnMetricsError.Pause, run.conditionArgs(), run.adminMetrics(), run.scoreThresholds()));
    }
    return new ResolvedAnalysis.Guards(surge, factor, stable);
  }
}
