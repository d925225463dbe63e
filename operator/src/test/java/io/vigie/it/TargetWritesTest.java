package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.testing.OperatorHarness;
import io.vigie.testing.TargetWrites;
import org.junit.jupiter.api.Test;

/**
 * Invariant 5, checked at the end of every OperatorHarness test from the writes the API server
 * recorded, can fail: a write of the target's replicas in the operator's name is caught.
 */
class TargetWritesTest {
  @Test
  void aCanaryWritesOnlyPausedAndTheMarkOfTheUsersDeployment() {
    try (OperatorHarness k8s = OperatorHarness.start()) {
      k8s.createDeployment("web", "shop/web:v1", 4);
      k8s.createService("web", "web");
      k8s.createRollout("web", "web", "web", CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitPhase("web", RolloutPhase.Paused);
      k8s.annotate("web", "vigie.io/promote", "true");
      k8s.awaitPhase("web", RolloutPhase.Healthy);

      assertThat(k8s.dispatcher().writes()).as("the operator did write the target (paused, and its mark)")
          .anySatisfy(w -> assertThat(w.byOperator() && w.path().endsWith("/deployments/web")).isTrue());
      assertThat(TargetWrites.violations(k8s.dispatcher().writes())).isEmpty();
    }
  }

  @Test
  void aPlantedWriteOfTheTargetsReplicasFailsTheCheck() {
    OperatorHarness k8s = OperatorHarness.start();
    k8s.createDeployment("web", "shop/web:v1", 4);
    // A bug planted in the operator's name: its client scales the user's Deployment.
    KubernetesClient operator = k8s.clientAs("operator-planted");
    operator.apps().deployments().inNamespace(NS).withName("web").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"replicas\":9}}");

    assertThat(TargetWrites.violations(k8s.dispatcher().writes())).singleElement().asString()
        .startsWith("PATCH of Deployment shop/web (not a JSON patch of spec.paused)");
    assertThatThrownBy(k8s::close).isInstanceOf(AssertionError.class).hasMessageStartingWith("invariant 5:");
  }
}
