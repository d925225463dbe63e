package io.vigie.core;

import io.vigie.api.v1alpha1.ControlRecord;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.domain.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;

/**
 * A person's control (promote, abort, retry, pause, resume): applied when {@link ControlRules}
 * allows it in this state, else recorded as ignored with the reason; each control once (by its id).
 */
final class Controls {
  private final DecisionInputs in;
  private final DecisionDraft d;
  private final AnalysisGate gate;
  private final Rollback rollback;

  Controls(DecisionInputs in, DecisionDraft d, AnalysisGate gate, Rollback rollback) {
    this.in = in;
    this.d = d;
    this.gate = gate;
    this.rollback = rollback;
  }

  void apply(PendingControl control) {
    if (alreadyApplied(control)) {
      return;
    }
    String result = switch (control.control()) {
      case PROMOTE -> promote(control);
      case ABORT -> abort();
      case RETRY -> retry();
      case PAUSE -> pause();
      case RESUME -> resume();
    };
    recordResult(control, result);
  }

  /** The control does nothing while the Rollout cannot act: said so, once. */
  void ignore(PendingControl control, String why) {
    if (!alreadyApplied(control)) {
      recordResult(control, "ignored: " + why);
    }
  }

  private boolean alreadyApplied(PendingControl control) {
    return d.s.getLastControl() != null && control.id().equals(d.s.getLastControl().getId());
  }

  private void recordResult(PendingControl control, String result) {
    d.s.setLastControl(new ControlRecord(control.control().word(), control.value(), control.id(), Timestamps.format(d.now()),
        result));
    if (result.startsWith("ignored")) {
      d.warning(EventReason.ControlIgnored, control.control().annotation() + ": " + result);
    } else {
      d.normal(EventReason.ControlApplied, control.control().annotation() + ": " + result);
    }
  }

  /** "ignored: why" when the control does nothing in this state (the rule the CLI checks too). */
  private Optional<String> refused(PendingControl.Control control) {
    return ControlRules.refusal(control, d.s).map(why -> "ignored: " + why);
  }

  private String promote(PendingControl control) {
    Optional<String> refused = refused(PendingControl.Control.PROMOTE);
    if (refused.isPresent()) {
      return refused.get();
    }
    var s = d.s;
    s.setUserPaused(null);
    if (in.blueGreen()) {
      return BlueGreenStrategy.promote(in, d);
    }
    Optional<String> restarted = gate.restartStuckBackground();
    if (restarted.isPresent() && !control.full()) {
      return "background analysis restarted after: " + restarted.get();
    }
    int index = s.getCurrentStepIndex();
    if (index >= in.steps().size()) {
      Optional<String> accepted = new ConfigTracking(in, d).acceptByHand();
      if (accepted.isPresent()) {
        return accepted.get() + ": promoting revision " + s.getCanaryRevision();
      }
    }
    if (index == 0 && !control.full() && GateKeeper.passPreRolloutByHand(d)) {
      return "the pre-rollout gates passed by hand: starting step " + d.stepDisplay();
    }
    // An indefinite pause waits for exactly a promote: it is passed. Any other step is cut short by a person.
    boolean release = index < in.steps().size() && in.steps().get(index).getPause() != null
        && in.steps().get(index).getPause().getDuration() == null;
    if (control.full()) {
      for (int i = release ? index + 1 : index; i < in.steps().size(); i++) {
        d.skipped(i);
      }
      s.setCurrentStepIndex(in.steps().size());
      return "skipped the remaining steps: promoting revision " + s.getCanaryRevision();
    }
    String done = d.stepDisplay();
    if (!release) {
      d.skipped(index);
    }
    d.completeStep(release ? "promoted" : "completed by hand, unchecked");
    return "step " + done + (release ? " promoted" : " completed by hand");
  }

  private String abort() {
    if (!ControlRules.inFlight(d.s)) {
      return refused(PendingControl.Control.ABORT).orElse("ignored: no canary in progress while the Rollout is " + d.phase());
    }
    rollback.abort(Rollback.MANUAL_ABORT, "aborted by vigie.io/abort at step " + d.stepDisplay());
    return "aborted revision " + d.s.getCanaryRevision();
  }

  private String retry() {
    Optional<String> refused = refused(PendingControl.Control.RETRY);
    if (refused.isPresent()) {
      return refused.get();
    }
    var s = d.s;
    s.setAbort(null);
    s.setCanaryScaleDownAt(null);
    s.setAnalysis(new ArrayList<>());
    s.setGates(null);
    s.setSkippedSteps(null);
    s.setCurrentStepIndex(0);
    s.setStepStartedAt(Timestamps.format(d.now()));
    s.setDesiredWeight(0);
    s.setPhase(RolloutPhase.Progressing);
    return "retrying revision " + s.getCanaryRevision() + " from step 1/" + in.stepCount();
  }

  private String pause() {
    Optional<String> refused = refused(PendingControl.Control.PAUSE);
    if (refused.isPresent()) {
      return refused.get();
    }
    d.s.setUserPaused(true);
    d.s.setPauseStartedAt(Timestamps.format(d.now()));
    return "paused at step " + d.stepDisplay();
  }

  private String resume() {
    Optional<String> refused = refused(PendingControl.Control.RESUME);
    if (refused.isPresent()) {
      return refused.get();
    }
    var s = d.s;
    // The time spent paused does not count against timed pauses or the progress deadline.
    if (s.getPauseStartedAt() != null && s.getStepStartedAt() != null) {
      Duration paused = Duration.between(Timestamps.parse(s.getPauseStartedAt()), d.now());
      s.setStepStartedAt(Timestamps.format(Timestamps.parse(s.getStepStartedAt()).plus(paused)));
    }
    s.setUserPaused(null);
    s.setPauseStartedAt(null);
    return "resumed at step " + d.stepDisplay();
  }
}
