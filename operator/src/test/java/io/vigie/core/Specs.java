package io.vigie.core;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.CanaryStrategy;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricProvider;
import io.vigie.api.v1alpha1.PrometheusProvider;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStrategy;
import io.vigie.api.v1alpha1.ServiceRef;
import io.vigie.api.v1alpha1.TargetKind;
import io.vigie.api.v1alpha1.ThresholdRange;
import io.vigie.api.v1alpha1.WorkloadRef;
import java.util.ArrayList;
import java.util.List;

/** Rollout specs for the web Deployment and Service of {@link ModelWorld}. */
final class Specs {
  private Specs() {}

  static RolloutSpec canary(List<CanaryStep> steps) {
    RolloutSpec spec = new RolloutSpec();
    spec.setTargetRef(new WorkloadRef(TargetKind.Deployment, "web"));
    spec.setService(new ServiceRef("web", 80));
    CanaryStrategy canary = new CanaryStrategy();
    canary.setSteps(new ArrayList<>(steps));
    RolloutStrategy strategy = new RolloutStrategy();
    strategy.setCanary(canary);
    spec.setStrategy(strategy);
    return spec;
  }

  /** Target Deployment web, Service web:80, strategy.blueGreen as given. */
  static RolloutSpec blueGreen(io.vigie.api.v1alpha1.BlueGreenStrategy blueGreen) {
    RolloutSpec spec = canary(List.of(CanaryStep.weight(1)));
    spec.getStrategy().setCanary(null);
    spec.getStrategy().setBlueGreen(blueGreen);
    return spec;
  }

  static io.vigie.api.v1alpha1.BlueGreenStrategy blueGreen(Integer autoPromotionSeconds, Integer scaleDownDelaySeconds) {
    var blueGreen = new io.vigie.api.v1alpha1.BlueGreenStrategy();
    blueGreen.setAutoPromotionSeconds(autoPromotionSeconds);
    blueGreen.setScaleDownDelaySeconds(scaleDownDelaySeconds);
    return blueGreen;
  }

  static RolloutSpec canary(CanaryStep... steps) {
    return canary(List.of(steps));
  }

  /** setWeight before, an analysis step (its metrics come resolved in the observation), setWeight after. */
  static RolloutSpec withAnalysisStep(int before, int after) {
    CanaryStep analysis = new CanaryStep();
    analysis.setAnalysis(new RolloutAnalysis());
    return canary(CanaryStep.weight(before), analysis, CanaryStep.weight(after));
  }

  /** An error-rate metric with a maximum of 0.05, measured every 30 s. */
  static Metric errorRate(Integer count) {
    Metric metric = new Metric();
    metric.setName("error-rate");
    ThresholdRange range = new ThresholdRange();
    range.setMax(0.05);
    metric.setThresholdRange(range);
    metric.setCount(count);
    metric.setInterval("30s");
    PrometheusProvider p = new PrometheusProvider();
    p.setQuery("q");
    MetricProvider provider = new MetricProvider();
    provider.setPrometheus(p);
    metric.setProvider(provider);
    return metric;
  }
}
