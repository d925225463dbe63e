package io.vigie.traffic;

import io.vigie.api.v1alpha1.Rollout;
import io.vigie.workload.VigieServices;

/**
 * What a router routes for: the Rollout (owner of any object the router creates) and the two
 * Vigie-owned Services in front of the stable and canary pods.
 */
public record RouteTarget(Rollout rollout, String namespace, String stableService, String canaryService) {
  public static RouteTarget of(Rollout rollout) {
    String service = rollout.getSpec().getService().getName();
    return new RouteTarget(rollout, rollout.getMetadata().getNamespace(), VigieServices.stableName(service),
        VigieServices.canaryName(service));
  }
}
