package io.vigie.core;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.CanaryStrategy;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStrategy;
import io.vigie.api.v1alpha1.ServiceRef;
import io.vigie.api.v1alpha1.TargetKind;
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

  static RolloutSpec canary(CanaryStep... steps) {
    return canary(List.of(steps));
  }
}
