package io.vigie.analysis;

import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.ScoreThresholds;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics a Rollout's analyses run, with their templates expanded and args substituted.
 *
 * @param background the analysis that runs for the whole canary, if any
 * @param steps the analysis of each analysis step, by step index
 * @param blueGreen a blue-green release's analyses, before and after the switch
 */
public record ResolvedAnalysis(Optional<Run> background, Map<Integer, Run> steps, Guards guards, BlueGreen blueGreen) {

  public ResolvedAnalysis(Optional<Run> background, Map<Integer, Run> steps) {
    this(background, steps, Guards.NONE);
  }

  public ResolvedAnalysis(Optional<Run> background, Map<Integer, Run> steps, Guards guards) {
    this(background, steps, guards, BlueGreen.NONE);
  }

  /**
   * @param prePromotion judged on the preview, before the switch ({@link AnalysisRuns#PRE_PROMOTION})
   * @param postPromotion judged on live traffic after the switch ({@link AnalysisRuns#POST_PROMOTION})
   */
  public record BlueGreen(Optional<Run> prePromotion, Optional<Run> postPromotion) {
    public static final BlueGreen NONE = new BlueGreen(Optional.empty(), Optional.empty());

    /** A blue-green strategy's analyses, each resolved by {@code run} (where in the spec, the analysis). */
    static BlueGreen of(io.vigie.api.v1alpha1.RolloutStrategy strategy,
        java.util.function.BiFunction<String, io.vigie.api.v1alpha1.RolloutAnalysis, Run> run) {
      var blueGreen = strategy == null ? null : strategy.getBlueGreen();
      if (blueGreen == null) {
        return NONE;
      }
      return new BlueGreen(
          Optional.ofNullable(blueGreen.getPrePromotionAnalysis()).map(a -> run.apply("spec.strategy.blueGreen.prePromotionAnalysis", a)),
          Optional.ofNullable(blueGreen.getPostPromotionAnalysis()).map(a -> run.apply("spec.strategy.blueGreen.postPromotionAnalysis", a)));
    }
  }

  /**
   * The guards' metrics (spec.guards), measured like an analysis' but judged by {@link GuardRuns}.
   *
   * @param surge the request rate before the release and now ({@link GuardRuns#TRAFFIC_BEFORE}, {@link GuardRuns#TRAFFIC})
   * @param surgeFactor the surge guard holds above this many times the rate before the release
   * @param stable the stable side's own metrics, {{side}} filled with stable
   */
  public record Guards(Optional<Run> surge, double surgeFactor, Optional<Run> stable) {
    public static final Guards NONE = new Guards(Optional.empty(), 0, Optional.empty());

    public boolean any() {
      return surge.isPresent() || stable.isPresent();
    }
  }

  /**
   * The metrics of one analysis and what to do when they cannot be measured.
   *
   * @param conditionArgs by metric name, the values of the args its conditions name (bound as CEL
   *     variables when a measurement is judged)
   * @param adminMetrics the metrics that come from a ClusterAnalysisTemplate, the cluster admin's: the
   *     Secrets they name are read without the label a Rollout's author needs
   * @param scoreThresholds how the score of its compare metrics is read
   */
  public record Run(List<Metric> metrics, OnMetricsError onMetricsError, Map<String, Map<String, String>> conditionArgs,
      java.util.Set<String> adminMetrics, ScoreThresholds scoreThresholds) {
    public Run(List<Metric> metrics, OnMetricsError onMetricsError) {
      this(metrics, onMetricsError, Map.of(), java.util.Set.of(), new ScoreThresholds());
    }

    /** True when the metric comes from a ClusterAnalysisTemplate. */
    public boolean fromAdmin(Metric metric) {
      return adminMetrics.contains(metric.getName());
    }

    /** The values of the args this metric's conditions name. */
    public Map<String, String> argsOf(Metric metric) {
      return conditionArgs.getOrDefault(metric.getName(), Map.of());
    }
  }

  public static ResolvedAnalysis none() {
    return new ResolvedAnalysis(Optional.empty(), Map.of());
  }

  public Optional<Run> run(String name) {
    if (AnalysisRuns.BACKGROUND.equals(name)) {
      return background;
    }
    if (GuardRuns.SURGE.equals(name)) {
      return guards.surge();
    }
    if (GuardRuns.STABLE.equals(name)) {
      return guards.stable();
    }
    if (AnalysisRuns.PRE_PROMOTION.equals(name)) {
      return blueGreen.prePromotion();
    }
    if (AnalysisRuns.POST_PROMOTION.equals(name)) {
      return blueGreen.postPromotion();
    }
    return Optional.ofNullable(steps.get(AnalysisRuns.stepIndex(name)));
  }
}
