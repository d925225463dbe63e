package io.vigie.core;

import io.vigie.analysis.AnalysisRuns;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.Outcome.Reason;
import io.vigie.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends a decision: the writes planned, and the status fields that follow from where it left the
 * Rollout (step display, the first moment the canary kept traffic, conditions) set once.
 */
final class StatusBuilder {
  private StatusBuilder() {}

  static Decision finish(DecisionInputs in, DecisionDraft d) {
    RolloutStatus s = d.s;
    Instant now = in.now();
    int total = in.stepCount();
    if (s.getCanaryRevision() != null && total > 0 && s.getCurrentStepIndex() != null) {
      s.setStep(Math.min(s.getCurrentStepIndex() + 1, total) + "/" + total);
    } else {
      s.setStep(null);
    }
    // Only traffic the canary keeps after this decision counts: a decision that sees its first
    // traffic and takes it away at once leaves nothing in the cluster to recall it by after a
    // crash, and the status must not depend on whether the operator crashed.
    if (s.getCanaryWeight() != null && s.getCanaryWeight() > 0 && s.getCanaryStartedAt() == null
        && !d.plan.takesCanaryAway()) {
      s.setCanaryStartedAt(Timestamps.format(now));
    }
    if (ControlRules.inFlight(s)) {
      AnalysisRuns.nextDue(s.getAnalysis() == null ? List.of() : s.getAnalysis(), in.obs().analysis().resolved())
          .ifPresent(at -> d.requeueIn(Duration.between(now, at)));
    }
    setConditions(in, d);
    List<RolloutEvent> events = new ArrayList<>(d.events);
    List<Action> actions = d.plan.actions(in, s, events);
    return new Decision(s, List.copyOf(actions), List.copyOf(events), in.obs().control().isPresent(), d.requeue());
  }

  private static void setConditions(DecisionInputs in, DecisionDraft d) {
    RolloutStatus s = d.s;
    Instant now = in.now();
    long gen = in.obs().generation();
    RolloutPhase phase = s.getPhase();
    Reason reason = d.outcome().filter(o -> o.phase() == phase).map(Outcome::reason).orElseGet(() -> usual(s));
    var c = s.getConditions();
    Conditions.set(c, Conditions.INVALID, phase == RolloutPhase.Invalid, phase == RolloutPhase.Invalid ? "InvalidSpec" : "Valid",
        phase == RolloutPhase.Invalid ? s.getMessage() : "", now, gen);
    boolean paused = phase == RolloutPhase.Paused;
    Conditions.set(c, Conditions.PAUSED, paused, paused ? reason.name() : "NotPaused", paused ? s.getMessage() : "", now, gen);
    Reason progressing = switch (phase) {
      case Progressing -> s.getCanaryRevision() == null ? Reason.Adopting : reason;
      case Paused -> s.getCanaryRevision() == null ? Reason.Adopting : Reason.CanaryInProgress;
      default -> reason;
    };
    boolean moving = phase == RolloutPhase.Progressing || phase == RolloutPhase.Paused
        || (phase == RolloutPhase.Promoting && reason != Reason.PromotionDeadlineExceeded);
    Conditions.set(c, Conditions.PROGRESSING, moving, progressing.name(), s.getMessage(), now, gen);
    if (in.spec() != null && in.spec().getGuards() != null || c.stream().anyMatch(x -> Conditions.HELD.equals(x.getType()))) {
      boolean held = phase == RolloutPhase.Progressing && (reason == Reason.TrafficSurge || reason == Reason.StableUnhealthy);
      Conditions.set(c, Conditions.HELD, held, held ? reason.name() : "NotHeld", held ? s.getMessage() : "", now, gen);
    }
    boolean done = phase == RolloutPhase.Healthy && s.getCanaryRevision() == null;
    boolean stalled = phase == RolloutPhase.RolledBack || phase == RolloutPhase.Invalid || reason == Reason.PromotionDeadlineExceeded;
    Conditions.setKstatus(c, done, stalled, done ? Reason.RolloutCompleted.name() : phase == RolloutPhase.Invalid
        ? "InvalidSpec" : stalled ? reason.name() : progressing.name(), s.getMessage(), now, gen);
    in.obs().target().ifPresent(t -> {
      boolean available = t.availableReplicas() >= t.replicas();
      Conditions.set(c, Conditions.AVAILABLE, available, available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
          "Deployment " + in.targetName() + " has " + t.availableReplicas() + "/" + t.replicas() + " available pods", now, gen);
    });
  }

  /** The reason of a phase no handler concluded this time (it stayed where the last decision left it). */
  private static Reason usual(RolloutStatus s) {
    return switch (s.getPhase()) {
      case Paused -> Boolean.TRUE.equals(s.getUserPaused()) ? Reason.UserPaused : Reason.PauseStep;
      case Progressing -> s.getCanaryRevision() == null ? Reason.Adopting : Reason.CanaryInProgress;
      case Promoting -> Reason.Promoting;
      case RolledBack -> Reason.RolloutAborted;
      case Healthy -> Reason.RolloutCompleted;
      case Invalid -> Reason.InvalidSpec;
    };
  }
}
