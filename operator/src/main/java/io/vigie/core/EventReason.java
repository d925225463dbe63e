package io.vigie.core;

import io.vigie.api.v1alpha1.AnalysisPhase;

/** Every reason of the Events a decision records (docs/concepts.md lists them). */
public enum EventReason {
  Adopted,
  AnalysisError,
  AnalysisFailed,
  AnalysisInconclusive,
  AnalysisStarted,
  AnalysisSuccessful,
  ConfigChanged,
  ControlApplied,
  ControlIgnored,
  DryRunVerdict,
  GateFailed,
  GatePassed,
  Held,
  Invalid,
  NewRevision,
  /** A notification channel could not be reached (retrying), or was given up on; never blocks a decision. */
  NotificationFailed,
  Paused,
  Promoted,
  Promoting,
  Reverted,
  RolloutAborted,
  RouteRestored,
  StatusRebuilt,
  StepCompleted,
  StepsChanged,
  /** Blue-green: the active Service (or the route) moved to green. */
  Switched,
  Valid;

  /** The Event of an analysis run that ended in this phase. */
  static EventReason analysisEnded(AnalysisPhase phase) {
    return switch (phase) {
      case Successful -> AnalysisSuccessful;
      case Failed -> AnalysisFailed;
      case Inconclusive -> AnalysisInconclusive;
      case Error -> AnalysisError;
      case Running -> throw new IllegalArgumentException("a running analysis has not ended");
    };
  }
}
