package io.vigie.api.v1alpha1;

/** Where a Rollout is; see docs/concepts.md for the transitions. */
public enum RolloutPhase {
  /** Stable serves everything, nothing in progress. */
  Healthy,
  /** A canary is moving through its steps. */
  Progressing,
  /** Waiting for a person: an indefinite pause step, a manual pause, or an inconclusive analysis. */
  Paused,
  /** Every step passed: the target is rolling to the new revision. */
  Promoting,
  /** An update was aborted; stable serves everything. */
  RolledBack,
  /** The spec or a referenced object is wrong; nothing was touched. */
  Invalid
}
