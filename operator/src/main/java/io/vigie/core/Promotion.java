package io.vigie.core;

import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.core.Observation.Target;
import io.vigie.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;

/** Every step passed: the target rolls to the canary's template while the canary keeps serving. */
final class Promotion {
  private final DecisionInputs in;
  private final DecisionDraft d;
  private final CanaryTraffic traffic;

  Promotion(DecisionInputs in, DecisionDraft d, CanaryTraffic traffic) {
    this.in = in;
    this.d = d;
    this.traffic = traffic;
  }

  /**
   * The target rolls to the new template while {@code serving} serves: Promoting, said late once the
   * progress deadline has passed (the promotion goes on: nothing is rolled back at this point).
   */
  static void awaitRollout(DecisionInputs in, DecisionDraft d, Target target, String revision, String serving, String whileServing) {
    Instant due = Timestamps.parse(d.s.getPromotionStartedAt()).plus(in.progressDeadline());
    String pods = "Deployment " + in.targetName() + " has " + target.availableReplicas() + "/" + target.replicas()
        + " available pods";
    if (!d.now().isBefore(due)) {
      d.conclude(new Outcome(RolloutPhase.Promoting, Outcome.Reason.PromotionDeadlineExceeded, "promotion of revision "
          + revision + " is taking longer than " + in.progressDeadline().toSeconds() + "s: " + pods
          + "; check its pods (" + serving + " keeps serving meanwhile)"));
    } else {
      d.conclude(new Outcome(RolloutPhase.Promoting, Outcome.Reason.Promoting, "promoting revision " + revision + whileServing
          + ": " + pods));
      d.requeueIn(Duration.between(d.now(), due));
    }
  }

  void start(Target target) {
    d.s.setPromotionStartedAt(Timestamps.format(d.now()));
    d.s.setCurrentStepIndex(in.steps().size());
    d.s.setPhase(RolloutPhase.Promoting);
    d.normal(EventReason.Promoting, d.stepsVerdict() + ": rolling Deployment " + in.targetName() + " to revision "
        + d.s.getCanaryRevision());
    promote(target);
  }

  void promote(Target target) {
    var s = d.s;
    String revision = s.getCanaryRevision();
    // Complete is read from the ReplicaSets, not from the paused flag: after a crash between the
    // re-pause and the status write, a paused, fully rolled-out target still reads complete.
    boolean complete = target.rolledOut() && target.podTemplateHash().isPresent();
    if (!complete) {
      // The canary covers the pods the rolling update may take down, so that serving capacity
      // never falls below the Deployment's replicas.
      int weight = s.getDesiredWeight() == null ? 0 : s.getDesiredWeight();
      int canary = Math.max(traffic.canaryReplicasFor(weight, target), target.maxUnavailable());
      traffic.serveEarned(target, revision);
      d.plan.runCanary(revision, canary);
      // Old and new pods of the target alike serve as stable while it rolls, so that capacity
      // never falls below the target's replicas and no request finds no endpoint.
      d.plan.pointStable(null);
      d.plan.pause(false);
      awaitRollout(in, d, target, revision, "the canary", "");
      return;
    }
    String hash = target.podTemplateHash().get();
    d.plan.pointStable(hash);
    traffic.routeAllToStable();
    traffic.takeCanaryAway();
    d.plan.pause(true);
    d.record(revision, Verdict.Promoted, d.stepsVerdict());
    d.normal(EventReason.Promoted, "revision " + revision + " (" + target.images() + ") is stable and serves all traffic");
    s.setStableRevision(revision);
    s.setStablePodTemplateHash(hash);
    d.clearCanary();
    d.conclude(Outcome.healthy("revision " + revision + " serves all traffic"));
  }
}
