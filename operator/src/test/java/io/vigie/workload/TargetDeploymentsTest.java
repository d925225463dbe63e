package io.vigie.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.testkit.MockCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two writes Vigie makes to a user's Deployment, against the mock API server. */
class TargetDeploymentsTest {
  @Test
  void aPauseDecidedOnAnOutdatedTemplateIsRefusedAndWritesNothing() {
    try (MockCluster cluster = MockCluster.start()) {
      var deployments = cluster.client().apps().deployments().inNamespace("shop");
      Deployment seen = deployments.resource(new DeploymentBuilder()
          .withMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build())
          .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
          .withNewSpec().addNewContainer().withName("web").withImage("web:1").endContainer().endSpec().endTemplate()
          .endSpec().build()).create();
      // Someone changes the template after the decision read the Deployment.
      deployments.withName("web").edit(d -> {
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("web:2");
        return d;
      });
      Rollout rollout = new Rollout();
      rollout.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());

      Instant start = Instant.now();
      assertThatThrownBy(() -> new TargetDeployments(cluster.client()).pause(rollout, seen, true))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
      // Refused at once, as a real API server answers, not after the client's timeout.
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
      Deployment now = deployments.withName("web").get();
      assertThat(now.getSpec().getPaused()).isNotEqualTo(Boolean.TRUE);
        assertThat(now.getMetadata().getAnnotations()).doesNotContainKey(Labels.ROLLOUT);
    }
  }
}
