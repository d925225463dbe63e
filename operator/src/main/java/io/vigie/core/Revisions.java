package io.vigie.core;

import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.core.Observation.Target;
import io.vigie.domain.Timestamps;
import java.util.ArrayList;

/** The target's template moved: a new canary starts, the old one is superseded, or the template went back to stable. */
final class Revisions {
  private final DecisionInputs in;
  private final DecisionDraft d;
  private final CanaryTraffic traffic;

  Revisions(DecisionInputs in, DecisionDraft d, CanaryTraffic traffic) {
    this.in = in;
    this.d = d;
    this.traffic = traffic;
  }

  /** Follows the target's template: the canary revision is the template's unless it is the stable one. */
  void follow(Target target) {
    String revision = target.revision();
    if (revision.equals(d.s.getStableRevision())) {
      if (d.s.getCanaryRevision() != null) {
        endByRevert();
      }
    } else if (!revision.equals(d.s.getCanaryRevision())) {
      startCanary(target);
    }
  }

  private void endByRevert() {
    var s = d.s;
    if (s.getPhase() != RolloutPhase.RolledBack) {
      d.record(s.getCanaryRevision(), Verdict.Reverted, "the Deployment's template went back to the stable revision");
    }
    d.normal(EventReason.Reverted, "the Deployment's template is back to stable revision " + s.getStableRevision()
        + ": canary " + s.getCanaryRevision() + " removed");
    traffic.routeAllToStable();
    traffic.removeCanaryPods();
    d.clearCanary();
    s.setAbort(null);
  }

  private void startCanary(Target target) {
    var s = d.s;
    String previous = s.getCanaryRevision();
    if (previous != null && s.getPhase() != RolloutPhase.RolledBack) {
      d.record(previous, Verdict.Superseded, "revision " + target.revision() + " arrived before it finished");
    }
    d.plan.pause(true);
    // A person's pause holds across a new revision: they paused the Rollout, not one revision.
    Boolean userPaused = s.getPhase() == RolloutPhase.RolledBack ? null : s.getUserPaused();
    d.clearCanary();
    // The new revision takes the canary Deployment over: a scale-down due for the last one is void.
    s.setCanaryScaleDownAt(null);
    s.setUserPaused(userPaused);
    if (userPaused != null) {
      s.setPauseStartedAt(Timestamps.format(d.now()));
    }
    s.setAbort(null);
    s.setAnalysis(new ArrayList<>());
    s.setGates(null);
    s.setCanaryRevision(target.revision());
    new ConfigTracking(in, d).recordAtStart();
    s.setCurrentStepIndex(0);
    s.setStepStartedAt(Timestamps.format(d.now()));
    s.setDesiredWeight(0);
    s.setPhase(RolloutPhase.Progressing);
    d.normal(EventReason.NewRevision, "revision " + target.revision() + " (" + target.images() + ") detected"
        + (previous == null ? "" : ", replacing canary " + previous) + (in.blueGreen() ? ": starting green beside blue (step 1/" + in.stepCount() + ", preview)"
        : ": starting the canary at step 1/" + in.stepCount()));
  }

  /** New steps mid-canary: the position in the old ones means nothing in the new, so start over. */
  void restartIfStepsChanged() {
    var s = d.s;
    String hash = in.stepsHash();
    if (ControlRules.inFlight(s) && s.getStepsHash() != null && !hash.equals(s.getStepsHash())) {
      d.normal(EventReason.StepsChanged, "the canary steps (or the strategy) changed at step " + d.stepDisplay()
          + ": starting revision " + s.getCanaryRevision() + " again at step 1/" + in.stepCount());
      s.setCurrentStepIndex(0);
      s.setStepStartedAt(Timestamps.format(d.now()));
      s.setPauseStartedAt(null);
      s.setSkippedSteps(null);
      s.setAnalysis(new ArrayList<>());
      s.setGates(null);
    }
    s.setStepsHash(hash);
  }
}
