package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Gate;
import io.vigie.api.v1alpha1.GateStatus;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.gate.GateAnswer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gates' memory in status: which answer counts, when a gate is asked again, and what never changes a verdict. */
class GateKeeperTest {
  private final ModelWorld world = new ModelWorld();

  private static RolloutSpec gated(Gate gate, CanaryStep... steps) {
    RolloutSpec spec = Specs.canary(steps);
    spec.setGates(List.of(gate));
    return spec;
  }

  private static Gate gate(String name, Gate.Type type) {
    Gate gate = new Gate();
    gate.setName(name);
    gate.setType(type);
    gate.setUrl("http://gates.example/" + name);
    return gate;
  }

  private RolloutStatus startCanary(RolloutSpec spec) {
    RolloutStatus status = world.step(spec, null).status();
    world.image = "v2";
    return world.step(spec, status).status();
  }

  private static GateStatus only(RolloutStatus status) {
    assertThat(status.getGates()).hasSize(1);
    return status.getGates().get(0);
  }

  private void answer(RolloutStatus status, boolean passed, String answer) {
    GateStatus gate = only(status);
    world.gateAnswers.add(new GateAnswer(gate.getName(), gate.getStep(), gate.getOpenedAt(), world.now, passed, answer));
  }

  @Test
  void onlyAnAnswerToThisOpeningCountsAndEachCountsOnce() {
    RolloutSpec spec = gated(gate("freeze", Gate.Type.preRollout), CanaryStep.weight(20));
    RolloutStatus status = startCanary(spec);
    assertThat(status.getMessage()).isEqualTo("step 1/1: waiting for the answer of gate freeze (preRollout)");
    assertThat(world.canaryReplicas).as("no canary pod before the gate passes").isZero();

    // An answer to an opening of the gate for an earlier revision is not this one's.
    world.gateAnswers.add(new GateAnswer("freeze", null, "2025-12-31T00:00:00Z", world.now, true, "HTTP 200: ok"));
    status = world.step(spec, status).status();
    assertThat(only(status).getPhase()).isEqualTo(GateStatus.Phase.Waiting);

    answer(status, false, "HTTP 503: frozen");
    Decision held = world.step(spec, status);
    status = held.status();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(only(status).getCalls()).isEqualTo(1);
    assertThat(only(status).getNextCallAt()).isEqualTo(world.now.plusSeconds(30).toString());
    assertThat(held.requeueAfter()).as("looked at again when the gate is due").hasValue(java.time.Duration.ofSeconds(30));

    // The same answer handed over again (say, by a runner that restarted) is not a second call.
    world.gateAnswers.add(new GateAnswer("freeze", null, only(status).getOpenedAt(), world.now, false, "HTTP 503: frozen"));
    status = world.step(spec, status).status();
    assertThat(only(status).getCalls()).isEqualTo(1);

    world.now = world.now.plusSeconds(30);
    answer(status, true, "HTTP 200: open");
    status = world.step(spec, status).status();
    assertThat(only(status).getPhase()).isEqualTo(GateStatus.Phase.Passed);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    status = world.step(spec, status).status();
    assertThat(world.canaryReplicas).isPositive();
  }

  @Test
  void aPostRolloutGateThatKeepsFailingIsGivenUpOnAndTheRevisionStaysPromoted() {
    RolloutSpec spec = gated(gate("tell", Gate.Type.postRollout), CanaryStep.weight(100));
    RolloutStatus status = startCanary(spec);
    for (int i = 0; i < 10 && status.getPhase() != RolloutPhase.Healthy; i++) {
      status = world.step(spec, status).status();
    }
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(only(status).getPhase()).isEqualTo(GateStatus.Phase.Waiting);
    for (int call = 1; call <= GateKeeper.POST_ROLLOUT_CALLS; call++) {
      answer(status, false, "HTTP 500: ci down");
      Decision d = world.step(spec, status);
      status = d.status();
      world.now = world.now.plusSeconds(30);
      if (call == GateKeeper.POST_ROLLOUT_CALLS) {
        assertThat(d.events()).anySatisfy(e -> assertThat(e.message()).isEqualTo("gate tell (postRollout) failed 3 times, "
            + "last: HTTP 500: ci down; the revision stays promoted"));
      }
    }
    assertThat(only(status).getPhase()).isEqualTo(GateStatus.Phase.Failed);
    assertThat(only(status).getNextCallAt()).isNull();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Healthy);
  }
}
