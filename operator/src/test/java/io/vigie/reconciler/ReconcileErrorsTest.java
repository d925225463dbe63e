package io.vigie.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.testkit.MockCluster;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReconcileErrorsTest {
  private static Rollout rollout() {
    Rollout rollout = new Rollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").withGeneration(2L).build());
    return rollout;
  }

  private static KubernetesClientException refused(int code, String message) {
    return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
  }

  @Test
  void aRejectedObjectIsAConditionNamingTheFix() {
    var failed = ReconcileErrors.condition(refused(422, "Deployment.apps \"web-canary\" is invalid: spec.replicas: Invalid value: -1"),
        Instant.EPOCH, rollout());
    assertThat(failed).hasValueSatisfying(r -> assertThat(r.getStatus().getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo(ReconcileErrors.CONDITION);
      assertThat(c.getReason()).isEqualTo("Rejected");
      assertThat(c.getMessage()).contains("spec.replicas: Invalid value: -1", "fix that object");
    }));
  }

  @Test
  void aFailedTestOperationIsALostRaceNotARejection() {
    // Kubernetes' words for it (apiserver, evanphx/json-patch).
    assertThat(ReconcileErrors.condition(refused(422, "Testing value /metadata/generation failed"), Instant.EPOCH, rollout()))
        .isEmpty();
    // And through the test API server, for a patch of the operator's shape on an object that moved since it was read.
    try (MockCluster cluster = MockCluster.start(); KubernetesClient client = cluster.newClient("operator-a")) {
      var seen = client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder()
          .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
          .withNewSpec().withReplicas(2).endSpec().build()).create();
      client.apps().deployments().inNamespace("shop").withName("web").edit(d -> {
        d.getSpec().setReplicas(3);
        return d;
      });
      String patch = "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":2},{\"op\":\"add\",\"path\":\"/spec/paused\",\"value\":false}]";
      KubernetesClientException lost = catchThrowableOfType(KubernetesClientException.class, () -> client.apps().deployments()
          .inNamespace("shop").resource(seen).patch(PatchContext.of(PatchType.JSON), patch));
      assertThat(lost.getCode()).isEqualTo(422);
      assertThat(ReconcileErrors.condition(lost, Instant.EPOCH, rollout())).isEmpty();
    }
  }
}
