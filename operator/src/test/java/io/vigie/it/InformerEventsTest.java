package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.testing.OperatorHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change the operator's informers bring wakes the Rollouts it concerns, whatever Vigie prunes from
 * the objects it caches. Found by a CI run: ReplicaSets cached without annotations made JOSDK's event
 * handler fail on every ReplicaSet event, so a Rollout waiting for pods waited for the once-a-minute
 * look instead.
 */
class InformerEventsTest {
  private OperatorHarness k8s;

  @BeforeEach
  void start() {
    k8s = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void aReplicaSetWhosePodsBecomeAvailableWakesTheRolloutWaitingForThem() {
    k8s.controller().hold(NS, "web");
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.createService("web", "web");
    k8s.createRollout("web", "web", "web", CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    k8s.awaitStatus("web", s -> "waiting for Deployment web to finish its rollout before adopting it".equals(s.getMessage()));
    String replicaSet = await().atMost(OperatorHarness.WAIT).until(() -> replicaSetsOfWeb().stream()
        .filter(rs -> rs.getStatus() != null && Integer.valueOf(2).equals(rs.getStatus().getReplicas()))
        .map(rs -> rs.getMetadata().getName()).findFirst().orElse(null), name -> name != null);

    // From here only this test writes: the ReplicaSet's pods become available, nothing else changes
    // (the Deployment's own status still counts none).
    k8s.controller().close();
    k8s.client().apps().replicaSets().inNamespace(NS).withName(replicaSet).editStatus(rs -> {
      rs.getStatus().setReadyReplicas(2);
      rs.getStatus().setAvailableReplicas(2);
      return rs;
    });

    assertThat(k8s.awaitPhase("web", RolloutPhase.Healthy).getStableRevision()).isNotNull();
    assertThat(k8s.deployment("web").getStatus().getAvailableReplicas()).as("the Deployment's status did not move")
        .isNotEqualTo(2);
  }

  private List<ReplicaSet> replicaSetsOfWeb() {
    return k8s.client().apps().replicaSets().inNamespace(NS).list().getItems().stream()
        .filter(rs -> rs.getMetadata().getName().startsWith("web-")).toList();
  }
}
