package io.vigie.core;

/**
 * A write the reconciler makes to the cluster. Each is idempotent: applying it to a cluster that
 * is already in the described state changes nothing. None of them can write the target
 * Deployment's replicas or template: there is no action for that.
 */
public sealed interface Action {

  /**
   * Sets spec.paused of the target Deployment; pausing also marks it as this Rollout's (annotation
   * vigie.io/rollout), so that no other Rollout unpauses it.
   */
  record PauseTarget(boolean paused) implements Action {}

  /**
   * The Rollout that adopted the target is deleted: the target is unpaused and its mark removed, and
   * Kubernetes runs it alone again.
   */
  record ReleaseTarget() implements Action {}

  /**
   * Makes the canary Deployment run this revision with this many replicas: created from the
   * target's template when missing, replaced when it runs another revision, scaled otherwise.
   */
  record RunCanary(String revision, int replicas) implements Action {}

  /** Scales the canary Deployment, whatever revision it runs; nothing when it does not exist. */
  record ScaleCanary(int replicas) implements Action {}

  /**
   * Makes the baseline Deployment run the stable revision (the template of the target's ReplicaSet
   * of this pod-template-hash) with this many replicas: created when missing, replaced when it runs
   * another revision, scaled otherwise.
   */
  record RunBaseline(String revision, String podTemplateHash, int replicas) implements Action {}

  /** Scales the baseline Deployment; nothing when it does not exist. */
  record ScaleBaseline(int replicas) implements Action {}

  /**
   * Points the Vigie-owned stable Service at the target's pods of this pod-template-hash, or at all
   * the target's pods when null (during a promotion, so that no request finds no endpoint).
   */
  record PointStableService(String podTemplateHash) implements Action {}

  /**
   * Pins the user's Service (the active one of a blue-green release without a traffic router) to one
   * side, or unpins it ({@link io.vigie.domain.ActivePin#NONE}): the switch, and the switch back,
   * are each this one write.
   */
  record PointActiveService(io.vigie.domain.ActivePin pin) implements Action {}

  /**
   * Makes the preview Service of a blue-green release select the green pods: the Vigie-owned
   * {@code <service>-preview}, or the user's spec.strategy.blueGreen.previewService.
   */
  record EnsurePreviewService() implements Action {}

  /** Makes the Vigie-owned canary Service select the canary pods. */
  record EnsureCanaryService() implements Action {}

  /** Makes the Vigie-owned baseline Service select the baseline pods. */
  record EnsureBaselineService() implements Action {}

  /**
   * Sets the route's weights (the stable, canary and baseline Services', which sum to 100: invariant
   * 1, checked by the tests on what is written) and its header route, in every rule Vigie manages.
   * Only with a traffic router.
   */
  record SetRoute(int stableWeight, int canaryWeight, int baselineWeight, java.util.Optional<HeaderMatch> header)
      implements Action {
    /** This weight to the canary, the rest of 100 to stable. */
    public static SetRoute of(int canaryWeight, java.util.Optional<HeaderMatch> header) {
      return new SetRoute(100 - canaryWeight, canaryWeight, 0, header);
    }

    /**
     * The weight of the experiment shared between canary and baseline, the canary's half rounded up;
     * the baseline's half goes to stable (the same version) while the baseline has no ready pod.
     */
    public static SetRoute shared(int weight, boolean baselineReady, java.util.Optional<HeaderMatch> header) {
      int baseline = baselineReady ? weight / 2 : 0;
      int canary = weight - weight / 2;
      return new SetRoute(100 - canary - baseline, canary, baseline, header);
    }

    public static SetRoute allToStable() {
      return of(0, java.util.Optional.empty());
    }
  }

  /**
   * The Rollout is being deleted: the route sends everything to stable, loses its header routes and
   * Vigie's own route objects (the NGINX canary Ingress) go away.
   */
  record ReleaseRoute() implements Action {}

  /**
   * Deletes the canary Deployment and the Vigie-owned Services (the Rollout is being deleted). With
   * a traffic router the Services stay, handed over to the user and selecting all the target's
   * pods, since the user's route still points at them.
   */
  record RemoveVigieObjects(boolean keepServices) implements Action {}
}
