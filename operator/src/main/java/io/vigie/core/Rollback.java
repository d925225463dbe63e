package io.vigie.core;

import io.vigie.api.v1alpha1.AbortStatus;
import io.vigie.api.v1alpha1.ControlRecord;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.core.Observation.Target;
import io.vigie.domain.Timestamps;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Taking a canary back: the abort (traffic first), the rolled-back state held, the report. */
final class Rollback {
  /** The trigger of a person's vigie.io/abort. */
  static final String MANUAL_ABORT = "ManualAbort";
  private final DecisionInputs in;
  private final DecisionDraft d;
  private final CanaryTraffic traffic;
  private final GuardGate guards;

  Rollback(DecisionInputs in, DecisionDraft d, CanaryTraffic traffic, GuardGate guards) {
    this.in = in;
    this.d = d;
    this.traffic = traffic;
    this.guards = guards;
  }

  /**
   * Rolls the canary back for this trigger: the route to stable is the first write, and the canary's
   * pods go with it (with a router, once the proxies had time to apply the route). Unless the stable
   * version fails its guard and no person asked (GuardGate).
   */
  void abort(String reason, String message) {
    if (guards.holdsRollback(reason, message)) {
      return;
    }
    var s = d.s;
    traffic.routeAllToStable();
    traffic.takeCanaryAway();
    d.plan.pointStable(s.getStablePodTemplateHash());
    s.setAbort(new AbortStatus(reason, message, s.getCanaryRevision(), Timestamps.format(d.now())));
    s.setRollbackReport(RollbackReports.of(s, reason, message, in.obs(), d.now()));
    s.setDesiredWeight(0);
    s.setCanaryWeight(0);
    s.setUserPaused(null);
    d.conclude(new Outcome(RolloutPhase.RolledBack, Outcome.Reason.RolloutAborted, rolledBackMessage()));
    d.record(s.getCanaryRevision(), Verdict.RolledBack, reason + ": " + message);
    List<String> changes = s.getRollbackReport().getChanges();
    d.warning(EventReason.RolloutAborted, "revision " + s.getCanaryRevision() + " rolled back (" + reason + "): " + message
        + (changes.isEmpty() ? "" : "; it changed: " + String.join("; ", changes)));
    lookAgainUntilTrafficBack();
  }

  /** A rolled-back revision stays rolled back, with nothing of it serving, until retried or replaced. */
  void holdRolledBack(Target target) {
    var s = d.s;
    RollbackReports.trafficBack(s.getRollbackReport(), stillServing(), d.now());
    lookAgainUntilTrafficBack();
    traffic.routeAllToStable();
    traffic.removeCanaryPods();
    d.plan.pointStable(s.getStablePodTemplateHash());
    d.plan.pause(true);
    s.setCanaryWeight(0);
    d.conclude(new Outcome(RolloutPhase.RolledBack, Outcome.Reason.RolloutAborted, rolledBackMessage()));
  }

  /**
   * A Rollout can turn Invalid with a canary serving (its template deleted, a Secret key rotated):
   * its analyses then stop, so a person's abort must still take the canary's traffic away. The route
   * may be what is wrong (one of several deleted, edited): the routers send what they still can to
   * stable, and skip what is gone, before the canary's pods go.
   */
  void abortWhileInvalid(PendingControl control) {
    var s = d.s;
    if (s.getLastControl() != null && control.id().equals(s.getLastControl().getId())) {
      return;
    }
    String why = s.getMessage();
    in.obs().route().ifPresent(r -> d.plan.forceRouteToStable());
    d.plan.activeToStable();
    d.plan.scaleCanary(0);
    s.setAbort(new AbortStatus("ManualAbort", "aborted by vigie.io/abort while the Rollout was Invalid", s.getCanaryRevision(),
        Timestamps.format(d.now())));
    s.setRollbackReport(RollbackReports.of(s, "ManualAbort", s.getAbort().getMessage(), in.obs(), d.now()));
    s.setDesiredWeight(0);
    s.setCanaryWeight(0);
    s.setUserPaused(null);
    d.record(s.getCanaryRevision(), Verdict.RolledBack, "ManualAbort: aborted while the Rollout was Invalid: " + why);
    String result = "aborted revision " + s.getCanaryRevision() + " (the canary no longer serves; the Rollout stays Invalid: "
        + why + ")";
    s.setLastControl(new ControlRecord(control.control().word(), control.value(), control.id(), Timestamps.format(d.now()), result));
    d.warning(EventReason.RolloutAborted, "revision " + s.getCanaryRevision() + " rolled back while the Rollout was Invalid: "
        + why);
  }

  /** Whether the rolled-back revision may still get requests: the route, the active Service's pin, or its ready pods. */
  private int stillServing() {
    if (in.routed()) {
      return in.obs().route().get().shows(0, Optional.empty()) ? 0 : 1;
    }
    if (in.blueGreen()) {
      return in.obs().service().map(sv -> sv.pin().green()).orElse(false) ? 1 : 0;
    }
    return in.canaryReady(d.s.getCanaryRevision());
  }

  private String rolledBackMessage() {
    AbortStatus abort = d.s.getAbort();
    return "rolled back: " + (abort == null ? "" : abort.getMessage()) + "; stable revision " + d.s.getStableRevision()
        + " serves all traffic. Retry with vigie.io/retry, or change the template";
  }

  /**
   * The report's end of harm is observed, not assumed: the decision after the abort's writes
   * records it. Nothing in the cluster may change to wake that decision (a canary that never had a
   * ready pod), so ask for it.
   */
  private void lookAgainUntilTrafficBack() {
    if (d.s.getRollbackReport() != null && d.s.getRollbackReport().getTrafficBackAt() == null) {
      d.requeueIn(Duration.ofSeconds(1));
    }
  }
}
