package io.vigie.traffic;

import io.vigie.api.v1alpha1.Rollout;
import io.vigie.workload.VigieServices;

/**
 * What a router routes for: the Rollout (owner of any object the router creates) and the Vigie-owned
 * Services in front of the stable and canary pods, and of the baseline's when the Rollout runs one
 * (the route must then name it too).
 */
public record RouteTarget(Rollout rollout, String namespace, String stableService, String canaryService, String baselineService,
    boolean withBaseline) {
  public static RouteTarget of(Rollout rollout) {
    String service = rollout.getSpec().getService().getName();
    boolean baseline = rollout.getSpec().getStrategy() != null && rollout.getSpec().getStrategy().getCanary() != null
        && rollout.getSpec().getStrategy().getCanary().withBaseline();
    return new RouteTarget(rollout, rollout.getMetadata().getNamespace(), VigieServices.stableName(service),
        VigieServices.canaryName(service), VigieServices.baselineName(service), baseline);
  }
}
