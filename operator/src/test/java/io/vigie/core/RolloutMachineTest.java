package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.Action.PauseTarget;
import io.vigie.core.Action.PointStableService;
import io.vigie.core.Action.RunCanary;
import io.vigie.core.Action.ScaleCanary;
import io.vigie.core.PendingControl.Control;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rollout logic on hand-made observations: each rule of docs/concepts.md once. */
class RolloutMachineTest {
  private final ModelWorld world = new ModelWorld();

  private static RolloutSpec spec(CanaryStep... steps) {
    return Specs.canary(steps);
  }

  private Decision step(RolloutSpec spec, RolloutStatus status) {
    return world.step(spec, status);
  }


  @Test
  void adoptionWaitsForTheTargetsOwnRolloutToFinish() {
    world.newPodsBecomeReady = false;
    world.replicaSets.clear();
    world.replicaSets.put("v0", 4);
    Decision d = RolloutMachine.decide("shop", spec(CanaryStep.weight(10)), null, world.observe());
    assertThat(d.status().getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(d.status().getStableRevision()).isNull();
    assertThat(d.status().getMessage()).isEqualTo("waiting for Deployment web to finish its rollout before adopting it");
    assertThat(d.actions()).isEmpty();
  }

  @Test
  void adoptionPausesTheTargetAndRecordsItsRevision() {
    Decision d = RolloutMachine.decide("shop", spec(CanaryStep.weight(10)), null, world.observe());
    assertThat(d.status().getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(d.status().getStableRevision()).isEqualTo("rev-v1");
    assertThat(d.status().getStablePodTemplateHash()).isEqualTo("hash-v1");
    assertThat(d.actions()).containsExactly(new PointStableService("hash-v1"), new Action.EnsureCanaryService(), new PauseTarget(true));
    assertThat(d.events()).extracting(RolloutEvent::reason).containsExactly("Adopted");
  }

  @Test
  void aSetWeightStepWaitsForReadyCanaryPodsThenMovesOn() {
    RolloutSpec spec = spec(CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    RolloutStatus status = step(spec, null).status();
    world.image = "v2";
    world.canaryPodsBecomeReady = false;

    Decision waiting = step(spec, status);
    assertThat(waiting.actions()).contains(new RunCanary("rev-v2", 4));
    assertThat(waiting.status().getStep()).isEqualTo("1/2");
    assertThat(waiting.status().getCanaryWeight()).isZero();
    assertThat(waiting.status().getMessage()).isEqualTo("step 1/2: setWeight 50, waiting for canary pods: 0/4 ready");
    assertThat(waiting.requeueAfter()).contains(Duration.ofSeconds(600));

    world.canaryPodsBecomeReady = true;
    world.controllersTick();
    Decision paused = step(spec, waiting.status());
    assertThat(paused.status().getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(paused.status().getStep()).isEqualTo("2/2");
    assertThat(paused.status().getCanaryWeight()).isEqualTo(50);
    assertThat(paused.events()).extracting(RolloutEvent::reason).containsExactly("StepCompleted", "Paused");
  }

  @Test
  void aTimedPauseAsksToBeWokenWhenItEnds() {
    RolloutSpec spec = spec(CanaryStep.weight(20), CanaryStep.pauseFor("2m"), CanaryStep.weight(40));
    RolloutStatus status = step(spec, null).status();
    world.image = "v2";
    status = step(spec, status).status();
    Decision pausing = step(spec, status);
    assertThat(pausing.status().getStep()).isEqualTo("2/3");
    assertThat(pausing.requeueAfter()).contains(Duration.ofMinutes(2));

    world.now = world.now.plusSeconds(90);
    Decision later = step(spec, pausing.status());
    assertThat(later.requeueAfter()).contains(Duration.ofSeconds(30));
    assertThat(later.status().getMessage()).isEqualTo("step 2/3: pause 2m until "
        + java.time.Instant.parse(later.status().getStepStartedAt()).plus(Duration.ofMinutes(2)));

    world.now = world.now.plusSeconds(30);
    assertThat(step(spec, later.status()).status().getStep()).isEqualTo("3/3");
  }

  @Test
  void theProgressDeadlineAbortsWithTrafficBackOnStableFirst() {
    RolloutSpec spec = spec(CanaryStep.weight(20));
    spec.setProgressDeadlineSeconds(60);
    RolloutStatus status = step(spec, null).status();
    world.image = "v2";
    world.canaryPodsBecomeReady = false;
    status = step(spec, status).status();

    world.now = world.now.plusSeconds(60);
    Decision abort = step(spec, status);

    assertThat(abort.status().getPhase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(abort.actions().get(0)).isEqualTo(new ScaleCanary(0));
    assertThat(abort.status().getAbort().getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(abort.status().getAbort().getMessage())
        .isEqualTo("canary web-canary has 0/1 ready pods after 60s at step 1/1 (setWeight 20): check its pods (image, crash loop, readiness probe)");
    assertThat(abort.events()).extracting(RolloutEvent::type).containsExactly(RolloutEvent.Type.Warning);
    assertThat(abort.status().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Progressing");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("RolloutAborted");
    });
  }

  @Test
  void aControlAppliesOnceEvenWhenSeenAgainAfterARestart() {
    RolloutSpec spec = spec(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted(), CanaryStep.pauseUntilPromoted(),
        CanaryStep.pauseUntilPromoted());
    RolloutStatus status = step(spec, null).status();
    world.image = "v2";
    status = step(spec, status).status();
    status = step(spec, status).status();
    assertThat(status.getStep()).isEqualTo("2/4");

    world.control = Optional.of(new PendingControl(Control.PROMOTE, "true", "id-1"));
    Decision promoted = RolloutMachine.decide("shop", spec, status, world.observe());
    assertThat(promoted.status().getStep()).isEqualTo("3/4");
    // The operator died before clearing the accepted control: the next one sees it again.
    Decision again = RolloutMachine.decide("shop", spec, promoted.status(), world.observe());
    assertThat(again.status().getStep()).isEqualTo("3/4");
    assertThat(again.clearControl()).isTrue();
    assertThat(again.events()).isEmpty();
  }

  @Test
  void revertingTheTemplateEndsTheCanaryWithoutAPromotion() {
    RolloutSpec spec = spec(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    RolloutStatus status = step(spec, null).status();
    world.image = "v2";
    status = step(spec, status).status();
    world.image = "v1";

    Decision reverted = step(spec, status);

    assertThat(reverted.status().getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(reverted.status().getStableRevision()).isEqualTo("rev-v1");
    assertThat(reverted.actions()).contains(new ScaleCanary(0));
    assertThat(reverted.status().getHistory()).singleElement()
        .satisfies(h -> assertThat(h.getReason()).isEqualTo("the Deployment's template went back to the stable revision"));
  }

  @Test
  void promotionKeepsTheCanaryServingUntilTheTargetHasRolledOut() {
    RolloutSpec spec = spec(CanaryStep.weight(50));
    RolloutStatus status = step(spec, null).status();
    world.image = "v2";
    status = step(spec, status).status();
    world.newPodsBecomeReady = false;

    Decision promoting = RolloutMachine.decide("shop", spec, status, world.observe());
    assertThat(promoting.status().getPhase()).isEqualTo(RolloutPhase.Promoting);
    assertThat(promoting.actions()).containsExactly(
        new Action.EnsureCanaryService(), new RunCanary("rev-v2", 4), new PointStableService(null), new PauseTarget(false));
    promoting.actions().forEach(world::apply);
    world.controllersTick();

    Decision stillRolling = RolloutMachine.decide("shop", spec, promoting.status(), world.observe());
    assertThat(stillRolling.status().getPhase()).isEqualTo(RolloutPhase.Promoting);
    assertThat(stillRolling.actions()).doesNotContain(new ScaleCanary(0));

    world.newPodsBecomeReady = true;
    world.controllersTick();
    Decision done = RolloutMachine.decide("shop", spec, stillRolling.status(), world.observe());
    assertThat(done.status().getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(done.status().getStableRevision()).isEqualTo("rev-v2");
    assertThat(done.actions()).containsExactly(new PointStableService("hash-v2"), new ScaleCanary(0), new PauseTarget(true));
  }

  /** Issue 13, finding 12: after `promote --full` the history said "passed all 4 steps". */
  @Test
  void stepsAPersonSkippedAreRecordedAsSkipped() {
    RolloutSpec spec = spec(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted(), CanaryStep.pauseFor("10m"),
        CanaryStep.weight(50));
    RolloutStatus status = step(spec, null).status();
    world.image = "v2";
    status = step(spec, status).status();
    status = step(spec, status).status();
    assertThat(status.getStep()).isEqualTo("2/4");

    world.control = Optional.of(new PendingControl(Control.PROMOTE, "true", "c1"));
    status = step(spec, status).status();
    assertThat(status.getStep()).isEqualTo("3/4");
    assertThat(status.getSkippedSteps()).as("an indefinite pause released by a promote is passed").isNull();
    world.control = Optional.of(new PendingControl(Control.PROMOTE, "full", "c2"));
    Decision promoting = step(spec, status);
    assertThat(promoting.status().getSkippedSteps()).containsExactly(3, 4);
    assertThat(promoting.events()).anySatisfy(e -> assertThat(e.message()).startsWith("passed 2 of 4 steps; steps 3, 4 "
        + "skipped by a person (vigie.io/promote): rolling Deployment web"));
    status = promoting.status();
    while (status.getPhase() != RolloutPhase.Healthy) {
      status = step(spec, status).status();
    }
    assertThat(status.getHistory()).singleElement().satisfies(h -> assertThat(h.getReason())
        .isEqualTo("passed 2 of 4 steps; steps 3, 4 skipped by a person (vigie.io/promote)"));
    assertThat(status.getSkippedSteps()).isNull();
  }

  /** Invariant 7 under Invalid: a spec that turns Invalid leaves the adopted target paused, and pauses it again if resumed. */
  @Test
  void anInvalidRolloutKeepsItsAdoptedDeploymentPaused() {
    RolloutSpec spec = spec(CanaryStep.weight(20));
    RolloutStatus status = step(spec, null).status();
    RolloutSpec broken = spec(CanaryStep.pauseFor("9999999999999h"));
    world.paused = false;

    Decision invalid = step(broken, status);

    assertThat(invalid.status().getPhase()).isEqualTo(RolloutPhase.Invalid);
    assertThat(invalid.status().getMessage()).contains("'9999999999999h' is longer than any duration Vigie accepts");
    assertThat(invalid.actions()).containsExactly(new PauseTarget(true));
  }

  /** A decision that throws (an input the validation missed) is Invalid with what failed: never a retry loop. */
  @Test
  void aDecisionThatFailsIsInvalidAndStillGuardsTheDeployment() {
    RolloutSpec spec = spec(CanaryStep.weight(20));
    RolloutStatus status = step(spec, null).status();
    world.image = "v2";
    world.paused = false;
    Observation observed = world.observe();
    // A status no Vigie writes (by hand, through the status subresource): a step start that is no time.
    status.setCanaryRevision("rev-v2");
    status.setPhase(RolloutPhase.Progressing);
    status.setCurrentStepIndex(0);
    status.setStepStartedAt("not a time");

    Decision decision = RolloutMachine.decide("shop", spec, status, observed);

    assertThat(decision.status().getPhase()).isEqualTo(RolloutPhase.Invalid);
    assertThat(decision.status().getMessage()).startsWith("Vigie cannot decide on this Rollout (DateTimeParseException: "
        + "Text 'not a time' could not be parsed");
    assertThat(decision.actions()).containsExactly(new PauseTarget(true));
  }

  /** Issue 13, finding 1: a status that cannot be read is rebuilt from what the stable Service selects. */
  @Test
  void aLostStatusIsRebuiltFromTheStableService() {
    RolloutSpec spec = spec(CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
    RolloutStatus status = step(spec, null).status();
    world.image = "v2";
    status = step(spec, status).status();
    status = step(spec, status).status();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);
    RolloutStatus lost = new RolloutStatus();
    lost.setReadProblem("Numeric value (3000000000) out of range of int");

    Decision rebuilt = step(spec, lost);

    assertThat(rebuilt.status().getStableRevision()).isEqualTo("rev-v1");
    assertThat(rebuilt.status().getCanaryRevision()).isEqualTo("rev-v2");
    assertThat(rebuilt.events()).extracting(RolloutEvent::reason).contains("StatusRebuilt", "NewRevision");
    assertThat(rebuilt.events().get(0).message()).startsWith("the status could not be read (Numeric value (3000000000) out "
        + "of range of int) although Deployment web is managed by this Rollout: rebuilt from the cluster, stable revision "
        + "rev-v1");
    assertThat(world.paused).isTrue();
  }
}
