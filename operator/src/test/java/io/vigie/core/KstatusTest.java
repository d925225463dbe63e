package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.PendingControl.Control;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Rollout's conditions as kstatus reads them (Flux health checks, cli-utils, `kubectl wait
 * --for=condition=Ready`): Current only when the newest revision serves all traffic, InProgress while
 * a release is in flight, Failed when it was rolled back or is invalid.
 */
class KstatusTest {
  private final ModelWorld world = new ModelWorld();

  /**
   * kstatus' Compute for a custom resource without type-specific rules, ported from
   * kubernetes-sigs/cli-utils pkg/kstatus/status/status.go (Compute) and generic.go
   * (checkGenericProperties, checkGeneration), Apache-2.0: deletion first, then an unobserved
   * generation, then the first of Reconciling or Stalled that is True, else Current.
   */
  static String kstatus(long generation, RolloutStatus status, boolean deleting) {
    if (deleting) {
      return "Terminating";
    }
    if (status.getObservedGeneration() != null && status.getObservedGeneration() != generation) {
      return "InProgress";
    }
    for (Condition c : status.getConditions()) {
      if ("Reconciling".equals(c.getType()) && "True".equals(c.getStatus())) {
        return "InProgress";
      }
      if ("Stalled".equals(c.getType()) && "True".equals(c.getStatus())) {
        return "Failed";
      }
    }
    return "Current";
  }

  /** What `kubectl wait --for=condition=Ready` waits for. */
  static boolean ready(RolloutStatus status) {
    return condition(status, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static Optional<Condition> condition(RolloutStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** The rule every decision keeps (checked by the property tests over random releases too). */
  static void check(RolloutStatus status) {
    long trues = status.getConditions().stream().filter(c -> List.of("Ready", "Reconciling", "Stalled").contains(c.getType())
        && "True".equals(c.getStatus())).count();
    assertThat(trues).as("exactly one of Ready, Reconciling, Stalled: %s", status.getConditions()).isEqualTo(1);
    long generation = status.getObservedGeneration() == null ? 1 : status.getObservedGeneration();
    boolean newestServes = status.getPhase() == RolloutPhase.Healthy && status.getCanaryRevision() == null;
    boolean bad = status.getPhase() == RolloutPhase.RolledBack || status.getPhase() == RolloutPhase.Invalid;
    assertThat(kstatus(generation, status, false)).as("kstatus of %s: %s", status.getPhase(), status.getMessage())
        .isEqualTo(newestServes ? "Current" : bad ? "Failed"
            : condition(status, "Stalled").filter(c -> "True".equals(c.getStatus())).isPresent() ? "Failed" : "InProgress");
    assertThat(ready(status)).isEqualTo(newestServes);
  }

  @Test
  void eachPhaseReadsAsKstatusAndKubectlWaitExpect() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted(), CanaryStep.weight(60));
    RolloutStatus status = world.step(spec, null).status();
    check(status);
    assertThat(kstatus(1, status, false)).as("adopted").isEqualTo("Current");
    assertThat(condition(status, "Ready")).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("RolloutCompleted"));

    world.image = "v2";
    status = world.step(spec, status).status();
    check(status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(kstatus(1, status, false)).isEqualTo("InProgress");
    assertThat(condition(status, "Reconciling")).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("CanaryInProgress"));
    for (int i = 0; i < 5 && status.getPhase() != RolloutPhase.Paused; i++) {
      status = world.step(spec, status).status();
    }
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);
    check(status);
    assertThat(kstatus(1, status, false)).as("waiting for a person is still in flight").isEqualTo("InProgress");

    world.control = Optional.of(new PendingControl(Control.ABORT, "true", "id-1"));
    status = world.step(spec, status).status();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.RolledBack);
    check(status);
    assertThat(kstatus(1, status, false)).isEqualTo("Failed");
    assertThat(condition(status, "Stalled")).hasValueSatisfying(c -> {
      assertThat(c.getReason()).isEqualTo("RolloutAborted");
      assertThat(c.getMessage()).startsWith("rolled back");
    });

    world.image = "v1";
    for (int i = 0; i < 5 && status.getPhase() != RolloutPhase.Healthy; i++) {
      status = world.step(spec, status).status();
    }
    check(status);
    assertThat(kstatus(1, status, false)).as("back on the stable template").isEqualTo("Current");
    assertThat(kstatus(2, status, false)).as("a spec change the operator has not seen yet").isEqualTo("InProgress");
    assertThat(kstatus(1, status, true)).isEqualTo("Terminating");

    RolloutSpec invalid = Specs.canary(CanaryStep.weight(150));
    status = world.step(invalid, status).status();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Invalid);
    check(status);
    assertThat(condition(status, "Stalled")).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("InvalidSpec"));
  }

  @Test
  void aPromotionInFlightIsInProgressAndHealthyOnTheNewRevisionIsCurrent() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(50));
    RolloutStatus status = world.step(spec, null).status();
    world.image = "v2";
    boolean sawPromoting = false;
    String v2 = ModelWorld.revisionOf("v2");
    for (int i = 0; i < 20 && !(status.getPhase() == RolloutPhase.Healthy && status.getStableRevision().equals(v2)); i++) {
      status = world.step(spec, status).status();
      check(status);
      sawPromoting |= status.getPhase() == RolloutPhase.Promoting;
    }
    assertThat(sawPromoting).isTrue();
    assertThat(kstatus(1, status, false)).isEqualTo("Current");
  }
}
