package io.vigie.traffic;

import io.vigie.core.HeaderMatch;
import io.vigie.core.Observation;
import java.util.Optional;

/**
 * Splits traffic between the Vigie-owned {@code <service>-stable} and {@code <service>-canary}
 * Services through an object of the user's: a Gateway API HTTPRoute, an Istio VirtualService, an
 * NGINX Ingress. Replica-ratio routing needs none: the pods' share is the split.
 */
public interface TrafficRouter {

  /** Reads what the route sends to the canary now, and what keeps Vigie from routing through it. */
  Observation.Route observe(RouteTarget target);

  /**
   * Makes the route send these weights to stable, canary and baseline (the decision's, written as
   * given: the tests check from the writes that they sum to 100), with this header route or none.
   * Writes only when the route shows something else. A baseline weight is 0 for a route without
   * a baseline backend.
   */
  void apply(RouteTarget target, int stableWeight, int canaryWeight, int baselineWeight, Optional<HeaderMatch> header);

  /** The Rollout is deleted: everything to stable, no header route, Vigie's own route objects gone. */
  default void release(RouteTarget target) {
    apply(target, 100, 0, 0, Optional.empty());
  }
}
