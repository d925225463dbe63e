package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.simulator.SimulatedHorizontalPodAutoscaler;
import io.vigie.testing.OperatorHarness;
import io.vigie.testing.Routes;
import org.junit.jupiter.api.Test;

/**
 * An HPA on the target keeps scaling it during a canary: the canary's size follows the target's
 * replicas up and down at the step's weight, the route's weights stay exactly the step's, and Vigie
 * never writes the target's replicas (invariant 5, checked when the harness closes).
 */
class HorizontalPodAutoscalerTest {
  @Test
  void theCanaryFollowsTheTargetThroughAScaleUpAndDownMidCanaryWithExactWeights() {
    try (OperatorHarness k8s = OperatorHarness.start()) {
      k8s.createDeployment("web", "shop/web:v1", 4);
      k8s.createService("web", "web");
      Routes.GATEWAY_API.create(k8s.client());
      k8s.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).resource(new HorizontalPodAutoscalerBuilder()
          .withNewMetadata().withName("web").endMetadata()
          .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("web").endScaleTargetRef()
          .withMinReplicas(2).withMaxReplicas(12)
          .addNewMetric().withType("Resource").withNewResource().withName("cpu").withNewTarget().withType("Utilization")
          .withAverageUtilization(50).endTarget().endResource().endMetric()
          .endSpec().build()).create();
      SimulatedHorizontalPodAutoscaler hpa = k8s.autoscaler();
      k8s.createRollout("web", "web", "web", Routes.GATEWAY_API.spec(), CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
      k8s.awaitPhase("web", RolloutPhase.Healthy);

      k8s.setImage("web", "shop/web:v2");
      k8s.awaitPhase("web", RolloutPhase.Paused);
      k8s.eventually(() -> {
        assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).as("25% of 4").isEqualTo(1);
        assertThat(Routes.GATEWAY_API.split(k8s.client()).canaryWeight()).isEqualTo(25);
      });

      assertThat(hpa.sync(NS, "web", 125)).as("4 pods at 125% of a 50% target").hasValue(10);
      k8s.eventually(() -> {
        assertThat(k8s.deployment("web").getSpec().getReplicas()).isEqualTo(10);
        assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).as("25% of 10, rounded up").isEqualTo(3);
        assertThat(k8s.deployment("web-canary").getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(Routes.GATEWAY_API.split(k8s.client()).canaryWeight()).as("the route still says the step's weight")
            .isEqualTo(25);
      });
      assertThat(k8s.status("web").getPhase()).isEqualTo(RolloutPhase.Paused);
      assertThat(k8s.status("web").getCanaryWeight()).isEqualTo(25);
      assertThat(hpa.sync(NS, "web", 52)).as("within the HPA's 10% tolerance").isEmpty();

      assertThat(hpa.sync(NS, "web", 20)).as("10 pods at 20%").hasValue(4);
      k8s.eventually(() -> {
        assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isEqualTo(1);
        assertThat(Routes.GATEWAY_API.split(k8s.client()).canaryWeight()).isEqualTo(25);
      });

      k8s.annotate("web", "vigie.io/promote", "true");
      k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && s.getCanaryRevision() == null);
      assertThat(k8s.deployment("web").getSpec().getReplicas()).as("the HPA's figure, untouched by the promotion").isEqualTo(4);
      assertThat(k8s.deployment("web").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop/web:v2");
      assertThat(k8s.dispatcher().writes()).as("the patches of the target's replicas: the autoscaler's two")
          .filteredOn(w -> "PATCH".equals(w.method()) && w.path().endsWith("/deployments/web") && w.body().contains("\"replicas\""))
          .extracting(io.vigie.testkit.RecordingDispatcher.Write::actor)
          .containsExactly("horizontal-pod-autoscaler", "horizontal-pod-autoscaler");
    }
  }
}
