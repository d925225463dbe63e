package io.vigie.core;

import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.PendingControl.Control;
import java.util.Optional;

/**
 * Which manual control does something in which state of a Rollout, and, when it does nothing, why
 * and what would: one rule for the decision (which records "ignored: why") and for the CLI (which
 * refuses before writing the annotation), so that the two never disagree.
 */
public final class ControlRules {
  private ControlRules() {}

  /** Why the control does nothing in this state, or empty when it applies. */
  public static Optional<String> refusal(Control control, RolloutStatus s) {
    RolloutPhase phase = s.getPhase();
    String is = "the Rollout is " + (phase == null ? "not yet seen by the operator" : phase);
    return switch (control) {
      case PROMOTE -> inFlight(s) ? Optional.empty() : Optional.of(phase == RolloutPhase.Promoting
          ? "nothing to promote: every step passed and the Deployment is rolling to the new revision"
          : phase == RolloutPhase.RolledBack
              ? "nothing to promote: the update was rolled back (vigie.io/retry runs it again from step 1)"
              : "nothing to promote while " + is + " (promote moves a canary in progress past its current step; change "
                  + "the Deployment's image to start one)");
      case ABORT -> inFlight(s) || abortableWhileInvalid(s) ? Optional.empty() : Optional.of(phase == RolloutPhase.Promoting
          ? "every step passed and the promotion has started; change the Deployment's template to roll back"
          : "no canary in progress while " + is);
      case RETRY -> phase == RolloutPhase.RolledBack && s.getCanaryRevision() != null ? Optional.empty()
          : Optional.of("retry applies to a rolled-back update, and " + is);
      case PAUSE -> Boolean.TRUE.equals(s.getUserPaused()) ? Optional.of("already paused (vigie.io/resume lets it go on)")
          : inFlight(s) ? Optional.empty() : Optional.of("no canary in progress while " + is);
      case RESUME -> Boolean.TRUE.equals(s.getUserPaused()) ? Optional.empty()
          : Optional.of("the Rollout was not paused with vigie.io/pause" + (phase == RolloutPhase.Paused
              ? " (it waits at a pause step: vigie.io/promote goes on)" : ""));
    };
  }

  /** A canary is in flight: its steps are running or paused. */
  public static boolean inFlight(RolloutStatus s) {
    return s.getCanaryRevision() != null && (s.getPhase() == RolloutPhase.Progressing || s.getPhase() == RolloutPhase.Paused);
  }

  /** An update whose spec turned invalid mid-canary can still be aborted (its canary serves traffic). */
  public static boolean abortableWhileInvalid(RolloutStatus s) {
    return s.getPhase() == RolloutPhase.Invalid && s.getCanaryRevision() != null && s.getAbort() == null;
  }
}
