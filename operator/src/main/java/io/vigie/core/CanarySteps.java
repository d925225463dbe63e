package io.vigie.core;

import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.GuardRuns;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.Gate;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.core.Observation.Target;
import io.vigie.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The canary's steps: each step handler says whether its step is done; the loop passes as many
 * steps as the cluster allows in one decision, then the promotion starts.
 */
final class CanarySteps {
  private final DecisionInputs in;
  private final DecisionDraft d;
  private final CanaryTraffic traffic;
  private final AnalysisGate gate;
  private final GuardGate guards;
  private final GateKeeper gates;
  private final Rollback rollback;
  private final Promotion promotion;

  CanarySteps(DecisionInputs in, DecisionDraft d, CanaryTraffic traffic, AnalysisGate gate, GuardGate guards, GateKeeper gates,
      Rollback rollback, Promotion promotion) {
    this.in = in;
    this.d = d;
    this.traffic = traffic;
    this.gate = gate;
    this.guards = guards;
    this.gates = gates;
    this.rollback = rollback;
    this.promotion = promotion;
  }

  void progress(Target target) {
    var s = d.s;
    d.plan.pause(true);
    d.plan.ensureCanaryService();
    // A hand edit of the stable Service (say, its pod-template-hash dropped) is put back at once.
    d.plan.pointStable(s.getStablePodTemplateHash());
    String revision = s.getCanaryRevision();
    guards.startWithCanary();
    if (target.replicas() == 0) {
      if (!gate.rollbackForced(target, revision)) {
        holdAtZero(target, revision);
      }
      return;
    }
    if (Boolean.TRUE.equals(s.getUserPaused())) {
      // A person's pause holds the steps, not the safety net: a failing analysis still rolls back.
      if (gate.rollbackForced(target, revision)) {
        return;
      }
      traffic.keepCanary(target, revision);
      d.conclude(Outcome.paused(Outcome.Reason.UserPaused, "paused by vigie.io/pause at step " + d.stepDisplay()
          + ": resume with vigie.io/resume"));
      return;
    }
    gate.startBackgroundIfServing(revision);
    if (gate.stops(AnalysisRuns.BACKGROUND, target, revision)) {
      return;
    }
    Optional<GuardRuns.Hold> hold = guards.hold();
    if (hold.isPresent()) {
      // Held, not blind: the current step's analysis still rolls a failing canary back.
      if (!gate.rollbackForced(target, revision)) {
        guards.holdSteps(target, revision, hold.get());
      }
      return;
    }
    if (s.getCurrentStepIndex() == 0 && gateStops(gates.check(Gate.Type.preRollout, null), target, revision)) {
      return;
    }
    // Load for a canary that may serve: not before the pre-rollout gates let it.
    gates.runLoadTests();
    List<CanaryStep> steps = in.steps();
    int firstStep = s.getCurrentStepIndex();
    while (s.getCurrentStepIndex() < steps.size()) {
      CanaryStep step = steps.get(s.getCurrentStepIndex());
      if (s.getCurrentStepIndex() != firstStep && in.lowersWeight(s.getCurrentStepIndex())) {
        // Status is written after the cluster. Shrinking the canary for this step in the same
        // decision that completed the previous one could, after a crash before the status write,
        // leave the old status judging its step against a canary already shrunk: a healthy
        // canary would read as one that lost its pods. Record the step first; shrink next time.
        traffic.keepCanary(target, revision);
        d.conclude(Outcome.progressing(Outcome.Reason.CanaryInProgress, "step " + d.stepDisplay() + ": setWeight "
            + step.getSetWeight() + ", lowering the canary's weight"));
        d.requeueIn(Duration.ofSeconds(1));
        return;
      }
      StepResult result;
      if (step.getSetWeight() != null) {
        result = setWeight(target, revision, step.getSetWeight());
      } else if (step.getSetHeaderRoute() != null) {
        result = setHeaderRoute(target, revision, step);
      } else if (step.getPause() != null) {
        result = pause(step.getPause().getDuration());
      } else if (step.getGate() != null) {
        result = gateStops(gates.check(Gate.Type.step, step.getGate()), target, revision) ? waitingUnlessRolledBack()
            : StepResult.DONE;
      } else {
        result = gate.analysisStep(target, revision) ? StepResult.DONE : waitingUnlessRolledBack();
      }
      if (result == StepResult.ROLLED_BACK) {
        return;
      }
      if (result == StepResult.WAITING) {
        // One write for the canary's size, for the step the loop stopped at: never a smaller
        // size for a step already passed (that would flap traffic).
        traffic.keepCanary(target, revision);
        return;
      }
      d.completeStep(DecisionInputs.describe(step));
    }
    if (gate.backgroundLacksSamples()) {
      traffic.keepCanary(target, revision);
      return;
    }
    if (gateStops(gates.check(Gate.Type.confirmPromotion, null), target, revision)) {
      return;
    }
    if (new ConfigTracking(in, d).holdsPromotion("the promotion of revision " + revision)) {
      traffic.keepCanary(target, revision);
      return;
    }
    promotion.start(target);
  }

  /**
   * True when a gate stops the release here: it waits for the gate's answer, holds on a failing one
   * (Paused, the answer in the message), or rolls back when the gate's onFailure is Abort. The canary
   * keeps the traffic it earned meanwhile.
   */
  private boolean gateStops(GateKeeper.Check check, Target target, String revision) {
    switch (check.state()) {
      case PASSED:
        return false;
      case FAILED:
        rollback.abort("GateFailed", check.message() + " at step " + d.stepDisplay());
        return true;
      case WAITING:
        traffic.keepCanary(target, revision);
        d.conclude(Outcome.progressing(Outcome.Reason.AwaitingGate, "step " + d.stepDisplay() + ": " + check.message()));
        return true;
      default:
        traffic.keepCanary(target, revision);
        d.conclude(Outcome.paused(Outcome.Reason.GateHeld, "held at step " + d.stepDisplay() + ": " + check.message()
            + ". The release goes on when the gate answers 2xx (vigie.io/abort rolls back)"));
        return true;
    }
  }

  /** What a step handler found: its step passed, it waits, or the canary was rolled back. */
  private enum StepResult { DONE, WAITING, ROLLED_BACK }

  private StepResult waitingUnlessRolledBack() {
    return d.phase() == RolloutPhase.RolledBack ? StepResult.ROLLED_BACK : StepResult.WAITING;
  }

  /**
   * The target was scaled to 0 mid-canary: with nothing to serve beside it, any canary pod would take
   * all the traffic. The canary holds with no pod until the target is scaled up; the time held does
   * not count against the step.
   */
  private void holdAtZero(Target target, String revision) {
    traffic.routeAllToStable();
    d.plan.runCanary(revision, 0);
    d.s.setCanaryWeight(0);
    d.s.setStepStartedAt(Timestamps.format(d.now()));
    if (!d.pausedFor(Outcome.Reason.TargetScaledToZero)) {
      d.warning(EventReason.Held, "Deployment " + in.targetName() + " is scaled to 0 replicas: the canary holds at "
          + "step " + d.stepDisplay() + " with no pod until it is scaled up");
    }
    d.conclude(Outcome.paused(Outcome.Reason.TargetScaledToZero, "Deployment " + in.targetName() + " is scaled to 0 replicas: "
        + "the canary holds at step " + d.stepDisplay() + " with no pod until the Deployment is scaled up (or abort with "
        + "vigie.io/abort)"));
  }

  private StepResult setWeight(Target target, String revision, int weight) {
    int earned = in.earnedWeight(d.s.getCurrentStepIndex());
    if (weight > earned) {
      Optional<String> doubt = gate.newestDoubt();
      if (doubt.isPresent()) {
        // More traffic only on good evidence: a failed, inconclusive or missing measurement holds the
        // weight earned so far (a canary that had started to grow for this step shrinks back to it).
        d.s.setDesiredWeight(earned);
        d.conclude(Outcome.progressing(Outcome.Reason.AwaitingSuccessfulMeasurement, "step " + d.stepDisplay()
            + ": setWeight " + weight + " waits for a successful measurement: " + doubt.get()));
        return StepResult.WAITING;
      }
    }
    d.s.setDesiredWeight(weight);
    StepResult pods = canaryHasPods(target, revision, traffic.canaryReplicasFor(weight, target), "setWeight " + weight);
    if (pods != StepResult.DONE) {
      return pods;
    }
    if (in.routed()) {
      traffic.route(weight, in.earnedHeader(d.s.getCurrentStepIndex()));
    } else {
      traffic.observeWeight(target, in.canaryReady(revision));
    }
    return StepResult.DONE;
  }

  /** The header route of this step, once the canary has a ready pod to send those requests to. */
  private StepResult setHeaderRoute(Target target, String revision, CanaryStep step) {
    HeaderMatch header = new HeaderMatch(step.getSetHeaderRoute().getHeader(), step.getSetHeaderRoute().getValue());
    int weight = d.s.getDesiredWeight() == null ? 0 : d.s.getDesiredWeight();
    StepResult pods = canaryHasPods(target, revision, traffic.canaryReplicasFor(weight, target), "setHeaderRoute " + header);
    if (pods != StepResult.DONE) {
      return pods;
    }
    traffic.route(in.earnedWeight(d.s.getCurrentStepIndex()), Optional.of(header));
    return StepResult.DONE;
  }

  /** DONE when the canary runs {@code want} ready pods; else it waits, or rolls back past the progress deadline. */
  private StepResult canaryHasPods(Target target, String revision, int want, String what) {
    int ready = in.canaryReady(revision);
    boolean sized = in.obs().canary().map(c -> c.revision().equals(revision) && c.replicas() >= want).orElse(want == 0);
    if (sized && ready >= want) {
      return StepResult.DONE;
    }
    Duration deadline = in.progressDeadline();
    Instant due = Timestamps.parse(d.s.getStepStartedAt()).plus(deadline);
    if (!d.now().isBefore(due)) {
      rollback.abort("ProgressDeadlineExceeded", "canary " + in.canaryName() + " has " + ready + "/" + want
          + " ready pods after " + deadline.toSeconds() + "s at step " + d.stepDisplay()
          + " (" + what + "): check its pods (image, crash loop, readiness probe)");
      return StepResult.ROLLED_BACK;
    }
    d.conclude(Outcome.progressing(Outcome.Reason.CanaryInProgress, "step " + d.stepDisplay() + ": " + what
        + ", waiting for canary pods: " + ready + "/" + want + " ready"));
    d.requeueIn(Duration.between(d.now(), due));
    return StepResult.WAITING;
  }

  private StepResult pause(String duration) {
    if (duration == null) {
      if (d.phase() != RolloutPhase.Paused) {
        d.normal(EventReason.Paused, "step " + d.stepDisplay() + ": paused until promoted");
      }
      d.s.setPauseStartedAt(d.s.getStepStartedAt());
      d.conclude(Outcome.paused(Outcome.Reason.PauseStep, "step " + d.stepDisplay() + ": paused until promoted (annotate "
          + "vigie.io/promote=true or run: vigie promote <rollout>)"));
      return StepResult.WAITING;
    }
    Instant end = Timestamps.parse(d.s.getStepStartedAt()).plus(Durations.parse(duration));
    if (!d.now().isBefore(end)) {
      return StepResult.DONE;
    }
    // The end, not the time left: a status read later must not show a countdown that stopped.
    d.conclude(Outcome.progressing(Outcome.Reason.CanaryInProgress, "step " + d.stepDisplay() + ": pause " + duration
        + " until " + Timestamps.format(end)));
    d.requeueIn(Duration.between(d.now(), end));
    return StepResult.WAITING;
  }
}
