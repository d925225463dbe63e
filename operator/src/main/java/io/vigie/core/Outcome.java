package io.vigie.core;

import io.vigie.api.v1alpha1.RolloutPhase;

/**
 * Where one decision leaves the Rollout: its phase, why (the reason its conditions show) and the
 * message a person reads. Handlers conclude with one; the last one a decision reaches is the one
 * {@link StatusBuilder} writes.
 */
record Outcome(RolloutPhase phase, Reason reason, String message) {

  /** Why a Rollout is in its phase: the reason of its Paused or Progressing condition. */
  enum Reason {
    /** No stable revision yet, or the Deployment rolls to the stable one. */
    Adopting,
    CanaryInProgress,
    /** A weight increase waits for a measurement that vouches for the canary. */
    AwaitingSuccessfulMeasurement,
    PauseStep,
    /** Blue-green: green is ready on the preview and the switch waits for vigie.io/promote. */
    AwaitingPromotion,
    UserPaused,
    AnalysisInconclusive,
    AnalysisError,
    TargetScaledToZero,
    /** A guard holds the release: the Service's traffic surges (spec.guards.surge). */
    TrafficSurge,
    /** A guard holds the release: the stable version fails its own metrics (spec.guards.stable). */
    StableUnhealthy,
    /** The release waits for a gate's first answer (spec.gates). */
    AwaitingGate,
    /** A gate answered no: the release holds and asks again every interval. */
    GateHeld,
    /** A ConfigMap or Secret of the pod template changed since the canary started (vigie.io/track-configs). */
    ConfigChanged,
    Promoting,
    PromotionDeadlineExceeded,
    RolloutAborted,
    RolloutCompleted,
    InvalidSpec
  }

  static Outcome healthy(String message) {
    return new Outcome(RolloutPhase.Healthy, Reason.RolloutCompleted, message);
  }

  static Outcome progressing(Reason reason, String message) {
    return new Outcome(RolloutPhase.Progressing, reason, message);
  }

  static Outcome paused(Reason reason, String message) {
    return new Outcome(RolloutPhase.Paused, reason, message);
  }
}
