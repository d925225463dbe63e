package io.vigie.core;

import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.core.Observation.Target;

/**
 * The canary strategy, for an adopted, valid Rollout: follow the target's template, apply a
 * person's control, fold the measurements in, then the handler of the phase the Rollout is in.
 * A second strategy is a class beside this one, chosen by {@link RolloutMachine}; it shares the
 * handlers it needs (adoption, rollback, analysis gate) and nothing of this one.
 */
final class CanaryStrategy {
  private final DecisionInputs in;
  private final DecisionDraft d;
  private final Adoption adoption;
  private final CanaryTraffic traffic;
  private final Rollback rollback;
  private final AnalysisGate gate;
  private final GuardGate guards;
  private final Controls controls;
  private final Promotion promotion;

  CanaryStrategy(DecisionInputs in, DecisionDraft d, Adoption adoption, CanaryTraffic traffic, Rollback rollback,
      AnalysisGate gate, GuardGate guards, Controls controls) {
    this.in = in;
    this.d = d;
    this.adoption = adoption;
    this.traffic = traffic;
    this.rollback = rollback;
    this.gate = gate;
    this.guards = guards;
    this.controls = controls;
    this.promotion = new Promotion(in, d, traffic);
  }

  void decide(Target target) {
    GateKeeper gates = new GateKeeper(in, d);
    gates.fold();
    Revisions revisions = new Revisions(in, d, traffic);
    revisions.follow(target);
    revisions.restartIfStepsChanged();
    in.obs().control().ifPresent(controls::apply);
    gate.foldMeasurements();
    String canary = d.s.getCanaryRevision();
    if (canary == null) {
      adoption.steady(target);
    } else if (d.phase() == RolloutPhase.RolledBack) {
      rollback.holdRolledBack(target);
    } else if (d.phase() == RolloutPhase.Promoting) {
      promotion.promote(target);
    } else {
      new CanarySteps(in, d, traffic, gate, guards, gates, rollback, promotion).progress(target);
    }
    if (canary != null && d.s.getCanaryRevision() == null && canary.equals(d.s.getStableRevision())) {
      gates.openPostRollout();
    }
    gates.stopLoadTestsOutsideSteps();
    gates.requeue();
  }
}
