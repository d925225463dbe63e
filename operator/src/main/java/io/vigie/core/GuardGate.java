package io.vigie.core;

import io.vigie.analysis.GuardRuns;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.core.Observation.Target;
import java.util.Optional;

/**
 * The guards between the canary and more traffic (spec.guards, docs/guards.md): while one holds, no
 * step passes and no weight grows, but the canary keeps what it earned and its analyses go on, so a
 * failing canary is still rolled back. A rollback itself waits while the stable version fails its
 * guard: moving traffic onto a failing version is a person's call (vigie.io/abort).
 */
final class GuardGate {
  private final DecisionInputs in;
  private final DecisionDraft d;
  private final CanaryTraffic traffic;

  GuardGate(DecisionInputs in, DecisionDraft d, CanaryTraffic traffic) {
    this.in = in;
    this.d = d;
    this.traffic = traffic;
  }

  private ResolvedAnalysis.Guards guards() {
    return in.obs().analysis().resolved().guards();
  }

  /** The guards start with the canary: the surge guard's first reading is the rate before the release. */
  void startWithCanary() {
    if (guards().any() && d.runs().stream().noneMatch(r -> GuardRuns.isGuard(r.getName()))) {
      d.runs().addAll(GuardRuns.start(guards(), d.now()));
    }
  }

  Optional<GuardRuns.Hold> hold() {
    return guards().any() ? GuardRuns.hold(d.runs()) : Optional.empty();
  }

  /** The stable guard's failing reading, while a reading shows the stable version failing. */
  Optional<String> stableFailing() {
    return guards().stable().isPresent() ? GuardRuns.stableFailing(d.runs()) : Optional.empty();
  }

  /** The steps wait where they are: the canary keeps the weight it earned, its analyses keep measuring. */
  void holdSteps(Target target, String revision, GuardRuns.Hold hold) {
    traffic.keepCanary(target, revision);
    conclude(hold.reason(), "held at step " + d.stepDisplay() + ": " + hold.message() + ". The canary keeps its traffic and its "
        + "analyses; the steps go on when the guard passes (vigie.io/abort rolls back)");
  }

  /**
   * True when the rollback for {@code trigger} must wait: a reading shows the stable version failing
   * its guard, and only a person may send all traffic to it. The canary keeps its traffic meanwhile.
   */
  boolean holdsRollback(String trigger, String message) {
    Optional<String> failing = stableFailing();
    if (failing.isEmpty() || Rollback.MANUAL_ABORT.equals(trigger)) {
      return false;
    }
    in.obs().target().ifPresent(t -> traffic.keepCanary(t, d.s.getCanaryRevision()));
    conclude(GuardRuns.Reason.StableUnhealthy, "the canary would be rolled back (" + trigger + ": " + message + "), but "
        + failing.get() + ": traffic stays where it is until the stable version passes its guard; vigie.io/abort rolls back now");
    return true;
  }

  private void conclude(GuardRuns.Reason reason, String message) {
    Outcome.Reason why = reason == GuardRuns.Reason.TrafficSurge ? Outcome.Reason.TrafficSurge : Outcome.Reason.StableUnhealthy;
    boolean heldBefore = d.s.getConditions().stream().anyMatch(c -> Conditions.HELD.equals(c.getType())
        && "True".equals(c.getStatus()) && why.name().equals(c.getReason()));
    if (!heldBefore) {
      d.warning(EventReason.Held, message);
    }
    d.conclude(Outcome.progressing(why, message));
  }
}
