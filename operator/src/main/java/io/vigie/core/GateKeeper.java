package io.vigie.core;

import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.Gate;
import io.vigie.api.v1alpha1.GateStatus;
import io.vigie.api.v1alpha1.Limits;
import io.vigie.domain.Timestamps;
import io.vigie.gate.GateAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gates of a canary (spec.gates, docs/gates.md) as status remembers them. A handler that reaches
 * a gate opens it; the reconciler calls the open gates whose time has come and hands the answers back;
 * this folds them in. A 2xx passes the gate for this revision (and step); a failing answer holds the
 * release and the gate is asked again every interval, or, with onFailure: Abort, fails it. A load test
 * is called every interval while the canary runs its steps; a post-rollout gate is told once the
 * revision is promoted, and asked again at most {@link #POST_ROLLOUT_CALLS} times if it fails.
 */
final class GateKeeper {
  static final int POST_ROLLOUT_CALLS = 3;

  private final DecisionInputs in;
  private final DecisionDraft d;

  GateKeeper(DecisionInputs in, DecisionDraft d) {
    this.in = in;
    this.d = d;
  }

  /** What the gates of one kind say now. */
  record Check(State state, String message) {
    static final Check PASSED = new Check(State.PASSED, "");
  }

  enum State {
    PASSED,
    /** Asked, no answer yet. */
    WAITING,
    /** A failing answer: asked again every interval. */
    HELD,
    /** A failing answer of a gate whose onFailure is Abort. */
    FAILED
  }

  private List<Gate> gates() {
    return in.spec() == null || in.spec().getGates() == null ? List.of() : in.spec().getGates();
  }

  private Optional<Gate> gate(String name) {
    return gates().stream().filter(g -> g != null && name.equals(g.getName())).findFirst();
  }

  private List<GateStatus> statuses() {
    if (d.s.getGates() == null) {
      d.s.setGates(new ArrayList<>());
    }
    return d.s.getGates();
  }

  private Optional<GateStatus> status(String name, Integer step) {
    return statuses().stream().filter(g -> name.equals(g.getName()) && Objects.equals(step, g.getStep())).findFirst();
  }

  /** The answers that came back, into the statuses of the openings they answer. */
  void fold() {
    for (GateAnswer answer : in.obs().gates().answers()) {
      Optional<GateStatus> status = status(answer.gate(), answer.step()).filter(s -> s.getPhase() == GateStatus.Phase.Waiting
          && Objects.equals(s.getOpenedAt(), answer.openedAt()));
      Optional<Gate> gate = gate(answer.gate());
      if (status.isEmpty() || gate.isEmpty()) {
        continue;
      }
      fold(gate.get(), status.get(), answer);
    }
  }

  private void fold(Gate gate, GateStatus status, GateAnswer answer) {
    Instant last = status.getLastCalledAt() == null ? null : Timestamps.parse(status.getLastCalledAt());
    if (last != null && !answer.calledAt().isAfter(last)) {
      return;
    }
    status.setCalls(status.getCalls() == null ? 1 : status.getCalls() + 1);
    status.setLastCalledAt(Timestamps.format(answer.calledAt()));
    status.setAnswer(answer.answer());
    String next = Timestamps.format(answer.calledAt().plus(interval(gate)));
    String named = describe(gate, status);
    if (answer.passed()) {
      status.setFailures(0);
      if (gate.getType() == Gate.Type.loadTest) {
        status.setNextCallAt(next);
        return;
      }
      status.setPhase(GateStatus.Phase.Passed);
      status.setNextCallAt(null);
      d.normal(EventReason.GatePassed, named + " passed: " + answer.answer());
      return;
    }
    int failures = status.getFailures() == null ? 1 : status.getFailures() + 1;
    status.setFailures(failures);
    if (gate.getType() == Gate.Type.postRollout && status.getCalls() >= POST_ROLLOUT_CALLS) {
      status.setPhase(GateStatus.Phase.Failed);
      status.setNextCallAt(null);
      d.warning(EventReason.GateFailed, named + " failed " + status.getCalls() + " times, last: " + answer.answer()
          + "; the revision stays promoted");
      return;
    }
    if (gate.abortsOnFailure()) {
      status.setPhase(GateStatus.Phase.Failed);
      status.setNextCallAt(null);
      return;
    }
    status.setNextCallAt(next);
    if (failures == 1) {
      d.warning(gate.getType() == Gate.Type.loadTest || gate.getType() == Gate.Type.postRollout ? EventReason.GateFailed
          : EventReason.Held, named + " answered " + answer.answer() + "; asked again every " + Durations.format(interval(gate)));
    }
  }

  /**
   * The gates of this type (a step gate: the one named, at the current step), opened if not yet:
   * passed when all passed (or there are none), else the first that holds, in spec order.
   */
  Check check(Gate.Type type, String only) {
    Integer step = type == Gate.Type.step ? d.s.getCurrentStepIndex() : null;
    Check result = Check.PASSED;
    for (Gate gate : gates()) {
      if (gate == null || gate.getType() != type || (only != null && !only.equals(gate.getName()))) {
        continue;
      }
      GateStatus status = open(gate, step);
      Check check = checkOf(gate, status);
      if (check.state().ordinal() > result.state().ordinal()) {
        result = check;
      }
    }
    return result;
  }

  private Check checkOf(Gate gate, GateStatus status) {
    String named = describe(gate, status);
    return switch (status.getPhase()) {
      case Passed, Stopped -> Check.PASSED;
      case Failed -> new Check(State.FAILED, named + " answered " + status.getAnswer());
      case Waiting -> status.getFailures() != null && status.getFailures() > 0
          ? new Check(State.HELD, named + " answered " + status.getAnswer() + "; asked again at " + status.getNextCallAt())
          : new Check(State.WAITING, "waiting for the answer of " + named);
    };
  }

  /**
   * A person's vigie.io/promote before step 1 passes the pre-rollout gates that have not passed
   * (not the step): true when there was one.
   */
  static boolean passPreRolloutByHand(DecisionDraft d) {
    boolean passed = false;
    for (GateStatus status : d.s.getGates() == null ? List.<GateStatus>of() : d.s.getGates()) {
      if (status.getType() == Gate.Type.preRollout && status.getPhase() == GateStatus.Phase.Waiting) {
        status.setPhase(GateStatus.Phase.Passed);
        status.setNextCallAt(null);
        status.setAnswer("passed by hand (vigie.io/promote)" + (status.getAnswer() == null ? "" : " after: " + status.getAnswer()));
        passed = true;
      }
    }
    return passed;
  }

  /** The load tests run while the canary runs its steps. */
  void runLoadTests() {
    gates().stream().filter(g -> g != null && g.getType() == Gate.Type.loadTest).forEach(g -> open(g, null));
  }

  /** Outside the steps no load test runs. */
  void stopLoadTestsOutsideSteps() {
    boolean inSteps = d.s.getCanaryRevision() != null && d.s.getPromotionStartedAt() == null && d.s.getAbort() == null
        && d.s.getCurrentStepIndex() != null && d.s.getCurrentStepIndex() < in.stepCount();
    if (inSteps || d.s.getGates() == null) {
      return;
    }
    for (GateStatus status : d.s.getGates()) {
      if (status.getType() == Gate.Type.loadTest && status.getPhase() == GateStatus.Phase.Waiting) {
        status.setPhase(GateStatus.Phase.Stopped);
        status.setNextCallAt(null);
      }
    }
  }

  /** The revision is promoted: the post-rollout gates are told. */
  void openPostRollout() {
    gates().stream().filter(g -> g != null && g.getType() == Gate.Type.postRollout).forEach(g -> open(g, null));
  }

  /** Look again when a gate is due: its call starts with the reconcile that follows. */
  void requeue() {
    if (d.s.getGates() == null) {
      return;
    }
    for (GateStatus status : d.s.getGates()) {
      if (status.getPhase() == GateStatus.Phase.Waiting && status.getNextCallAt() != null && gate(status.getName()).isPresent()) {
        d.requeueIn(Duration.between(d.now(), Timestamps.parse(status.getNextCallAt())));
      }
    }
  }

  private GateStatus open(Gate gate, Integer step) {
    Optional<GateStatus> existing = status(gate.getName(), step);
    if (existing.isPresent() && existing.get().getType() == gate.getType()) {
      if (existing.get().getPhase() == GateStatus.Phase.Stopped && gate.getType() == Gate.Type.loadTest) {
        existing.get().setPhase(GateStatus.Phase.Waiting);
        existing.get().setNextCallAt(Timestamps.format(d.now()));
      }
      return existing.get();
    }
    existing.ifPresent(statuses()::remove);
    GateStatus opened = new GateStatus(gate.getName(), gate.getType(), step, Timestamps.format(d.now()));
    statuses().add(opened);
    return opened;
  }

  static Duration interval(Gate gate) {
    return gate.getInterval() == null ? Limits.GATE_INTERVAL_DEFAULT : Durations.parse(gate.getInterval());
  }

  private String describe(Gate gate, GateStatus status) {
    return "gate " + gate.getName() + " (" + gate.getType() + (status.getStep() == null ? "" : " at step "
        + in.stepDisplay(status.getStep())) + ")";
  }
}
