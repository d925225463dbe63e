package io.vigie.core;

/**
 * How many canary pods a weight needs. Replica-ratio routing: the user's Service selects stable and
 * canary pods alike, so the canary's share of traffic is its share of ready pods. Vigie never scales
 * the user's Deployment, so the canary is sized against it: c / (n + c) = w, capped at one canary
 * pod per stable pod (50%). With a traffic router the route sets the share and the canary is sized
 * for its part of the load.
 */
public final class CanarySizing {
  private CanarySizing() {}

  /**
   * Canary replicas for a weight, next to a target of {@code targetReplicas}. A target scaled to 0
   * counts as 1: a weight asks for at least one canary pod to prove the revision runs.
   */
  public static int replicasFor(int weight, int targetReplicas) {
    if (weight <= 0) {
      return 0;
    }
    targetReplicas = Math.max(1, targetReplicas);
    if (weight >= 100) {
      return targetReplicas;
    }
    long exact = Math.round((double) targetReplicas * weight / (100 - weight));
    return (int) Math.max(1, Math.min(targetReplicas, exact));
  }

  /**
   * Canary replicas for a weight set by a traffic router: the canary carries {@code weight}% of the
   * load the target's replicas carry, rounded up; a header route needs one pod even at weight 0.
   */
  public static int routedReplicasFor(int weight, int targetReplicas, boolean headerRoute) {
    if (weight <= 0) {
      return headerRoute ? 1 : 0;
    }
    targetReplicas = Math.max(1, targetReplicas);
    return (int) Math.max(1, Math.min(targetReplicas, Math.ceil(targetReplicas * weight / 100.0)));
  }

  /** The canary's share of traffic, in percent, from the ready pods on both sides. */
  public static int share(int stableReady, int canaryReady) {
    if (canaryReady <= 0) {
      return 0;
    }
    return (int) Math.round(100.0 * canaryReady / (stableReady + canaryReady));
  }
}
