package io.vigie.core;

import static io.vigie.api.v1alpha1.RolloutPhase.Healthy;
import static io.vigie.api.v1alpha1.RolloutPhase.Invalid;
import static io.vigie.api.v1alpha1.RolloutPhase.Progressing;
import static io.vigie.api.v1alpha1.RolloutPhase.Promoting;
import static io.vigie.api.v1alpha1.RolloutPhase.RolledBack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.Observation.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollout logic: a pure function from (spec, status, observation) to (new status, actions).
 * It reads no clock and touches no cluster; the reconciler feeds it and carries out its decision.
 *
 * <p>One decision: the spec is validated (Invalid says why and keeps an adopted target guarded);
 * the target is adopted, or the stable revision rebuilt when status was lost; then the strategy
 * decides; {@link StatusBuilder} plans the writes and sets the conditions. See docs/design.md for the
 * handlers, the planner's ordering rules and the invariants the tests check.
 */
public final class RolloutMachine {
  /** How many past revisions status.history keeps. */
  public static final int HISTORY_LIMIT = DecisionDraft.HISTORY_LIMIT;

  private static final ObjectMapper COPIER = new ObjectMapper();

  private RolloutMachine() {}

  public static Decision decide(String namespace, RolloutSpec spec, RolloutStatus status, Observation observation) {
    // A status that could not be read is lost: the decision rebuilds it from the cluster.
    String lost = status == null ? null : status.getReadProblem();
    RolloutStatus start = lost != null ? new RolloutStatus() : copy(status);
    try {
      DecisionInputs in = DecisionInputs.of(namespace, spec, observation, start, lost);
      DecisionDraft d = new DecisionDraft(in, start);
      decide(in, d);
      return StatusBuilder.finish(in, d);
    } catch (RuntimeException e) {
      // Whatever input the validation missed must not leave the Rollout in a retry loop with a
      // stale status, nor its Deployment unguarded: Invalid, saying what failed, and nothing else.
      return InvalidDecision.of(spec, lost != null ? new RolloutStatus() : copy(status), observation,
          "Vigie cannot decide on this Rollout (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "): check the "
              + "values of its spec against the limits in docs/operations.md");
    }
  }

  /**
   * What to write when the Rollout is deleted: the Deployment becomes plain Kubernetes again, if this
   * Rollout is the one that adopted it (a duplicate Rollout's deletion must not unguard another's).
   */
  public static List<Action> cleanup(RolloutStatus status, Observation observation) {
    List<Action> actions = new ArrayList<>();
    // A route that cannot be read or written (deleted, edited) must not block the deletion.
    observation.route().filter(r -> r.problems().isEmpty()).ifPresent(r -> actions.add(new Action.ReleaseRoute()));
    // A blue-green active Service selects what its owner wrote again, blue and green alike, before green goes.
    observation.service().filter(sv -> !sv.pin().equals(io.vigie.domain.ActivePin.NONE))
        .ifPresent(sv -> actions.add(new Action.PointActiveService(io.vigie.domain.ActivePin.NONE)));
    actions.add(new Action.RemoveVigieObjects(observation.route().isPresent()));
    boolean adopted = status != null && status.getStableRevision() != null;
    observation.target()
        .filter(t -> t.manager() == Target.Manager.THIS || (t.manager() == Target.Manager.NONE && adopted && t.paused()))
        .ifPresent(t -> actions.add(new Action.ReleaseTarget()));
    return actions;
  }

  private static void decide(DecisionInputs in, DecisionDraft d) {
    RolloutStatus s = d.s;
    s.setObservedGeneration(in.obs().generation());
    CanaryTraffic traffic = new CanaryTraffic(in, d);
    GuardGate guards = new GuardGate(in, d, traffic);
    Rollback rollback = new Rollback(in, d, traffic, guards);
    AnalysisGate gate = new AnalysisGate(in, d, traffic, rollback, guards);
    Controls controls = new Controls(in, d, gate, rollback);
    List<String> problems = SpecValidation.problems(in.namespace(), in.spec(), in.obs());
    if (!problems.isEmpty()) {
      invalid(in, d, String.join("; ", problems), rollback, controls);
      return;
    }
    Target target = in.obs().target().orElseThrow();
    Adoption adoption = new Adoption(in, d, traffic);
    if (s.getStableRevision() == null) {
      adoption.recoverStable(target);
    }
    if (s.getStableRevision() == null) {
      adoption.adopt(target);
      if (s.getStableRevision() == null) {
        in.obs().control().ifPresent(c -> controls.ignore(c, "the Rollout has not adopted its Deployment yet"));
      }
      return;
    }
    if (s.getPhase() == Invalid || s.getPhase() == null) {
      s.setPhase(phaseBeforeInvalid(in, s));
      d.normal(EventReason.Valid, "the Rollout is valid again: " + s.getPhase());
    }
    if (in.blueGreen()) {
      new BlueGreenStrategy(in, d, adoption, traffic, rollback, gate, controls).decide(target);
    } else {
      new CanaryStrategy(in, d, adoption, traffic, rollback, gate, guards, controls).decide(target);
    }
  }

  /** Invalid says why; an adopted target stays guarded; only an abort of a canary that serves still applies. */
  private static void invalid(DecisionInputs in, DecisionDraft d, String message, Rollback rollback, Controls controls) {
    RolloutStatus s = d.s;
    RolloutPhase before = s.getPhase() == Invalid ? phaseBeforeInvalid(in, s) : s.getPhase();
    if (s.getPhase() != Invalid || !message.equals(s.getMessage())) {
      d.warning(EventReason.Invalid, message);
    }
    d.conclude(new Outcome(Invalid, Outcome.Reason.InvalidSpec, message));
    if (InvalidDecision.keepGuarded(s, in.obs()).isPresent()) {
      d.plan.pause(true);
    }
    in.obs().control().ifPresent(c -> {
      if (c.control() == PendingControl.Control.ABORT && canAbortWhileInvalid(in, s, before)) {
        rollback.abortWhileInvalid(c);
      } else {
        controls.ignore(c, "the Rollout is Invalid: " + s.getMessage());
      }
    });
  }

  /**
   * A Rollout can turn Invalid with a canary serving (its template deleted, a Secret key rotated):
   * its analyses then stop, so a person's abort must still take the canary's traffic away.
   */
  private static boolean canAbortWhileInvalid(DecisionInputs in, RolloutStatus s, RolloutPhase before) {
    return s.getCanaryRevision() != null && s.getAbort() == null && (before == Progressing || before == RolloutPhase.Paused)
        && in.obs().target().isPresent() && in.spec() != null && in.spec().getTargetRef() != null;
  }

  private static RolloutPhase phaseBeforeInvalid(DecisionInputs in, RolloutStatus s) {
    if (s.getCanaryRevision() == null) {
      return Healthy;
    }
    if (s.getAbort() != null) {
      return RolledBack;
    }
    return s.getPromotionStartedAt() != null && s.getCurrentStepIndex() != null
        && s.getCurrentStepIndex() >= in.stepCount() ? Promoting : Progressing;
  }

  private static RolloutStatus copy(RolloutStatus status) {
    return status == null ? new RolloutStatus() : COPIER.convertValue(status, RolloutStatus.class);
  }
}
