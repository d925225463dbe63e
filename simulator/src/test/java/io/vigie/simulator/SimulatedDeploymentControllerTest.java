package io.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vigie.testkit.MockCluster;
import io.vigie.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated Deployment controller against the mock API server: a rolling update paced by
 * maxSurge and maxUnavailable as Kubernetes paces it, Recreate, a paused Deployment, pods that
 * never become ready, and ReplicaSets collected with their Deployment. The pods' readiness delay
 * runs on a clock the test moves, so each stage of a rollout can be seen settled.
 */
class SimulatedDeploymentControllerTest {
  private static final String NS = "shop";
  private static final Duration READINESS = Duration.ofSeconds(10);

  private MockCluster cluster;
  private KubernetesClient client;
  private SimulatedDeploymentController controller;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    client = cluster.client();
    controller = new SimulatedDeploymentController(cluster.newClient("kube-controller-manager"))
        .withReadinessDelay(clock, READINESS).start();
  }

  @AfterEach
  void stop() {
    controller.close();
    cluster.close();
  }

  @Test
  void rollingUpdateSurgesByMaxSurgeAndKeepsEveryPodServing() {
    create(deployment("web", 10, "v1", "RollingUpdate", "25%", "0"));
    awaitPods("web", Map.of("v1", 10), 0);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 10), 10);

    setImage("web", "v2");
    // maxSurge 25% of 10 rounds up to 3; maxUnavailable 0 keeps all 10 old pods until new ones are ready.
    awaitPods("web", Map.of("v1", 10, "v2", 3), 10);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 7, "v2", 6), 10);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 4, "v2", 9), 10);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 1, "v2", 10), 10);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 0, "v2", 10), 10);
    assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getStatus().getUpdatedReplicas()).isEqualTo(10);
  }

  @Test
  void rollingUpdateWithoutSurgeTakesDownMaxUnavailableAtATime() {
    create(deployment("web", 10, "v1", "RollingUpdate", "0", "20%"));
    awaitPods("web", Map.of("v1", 10), 0);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 10), 10);

    setImage("web", "v2");
    awaitPods("web", Map.of("v1", 8, "v2", 2), 8);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 6, "v2", 4), 8);
  }

  @Test
  void oldPodsStillStartingGoOnlyAsFastAsMaxUnavailableAllows() {
    create(deployment("web", 4, "v1", "RollingUpdate", "1", "1"));
    awaitPods("web", Map.of("v1", 4), 0);

    // None ready yet: one old pod may go for the surge pod, and no more while the new ones are not ready.
    setImage("web", "v2");
    awaitPods("web", Map.of("v1", 3, "v2", 2), 0);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 1, "v2", 4), 3);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 0, "v2", 4), 4);
  }

  @Test
  void recreateStopsEveryOldPodBeforeStartingNewOnes() {
    create(deployment("web", 4, "v1", "Recreate", null, null));
    awaitPods("web", Map.of("v1", 4), 0);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 4), 4);

    setImage("web", "v2");
    awaitPods("web", Map.of("v1", 0, "v2", 4), 0);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 0, "v2", 4), 4);
  }

  @Test
  void pausedDeploymentScalesWithoutRollingOut() {
    create(deployment("web", 4, "v1", "RollingUpdate", null, null));
    awaitPods("web", Map.of("v1", 4), 0);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 4), 4);

    client.apps().deployments().inNamespace(NS).withName("web")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":true,\"replicas\":6}}");
    setImage("web", "v2");
    awaitPods("web", Map.of("v1", 6), 4);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 6), 6);
  }

  @Test
  void podsOfACrashingImageNeverBecomeReadySoTheOldOnesStay() {
    create(deployment("web", 4, "v1", "RollingUpdate", "1", "0"));
    awaitPods("web", Map.of("v1", 4), 0);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 4), 4);

    setImage("web", "v2-crash");
    awaitPods("web", Map.of("v1", 4, "v2-crash", 1), 4);
    clock.advance(READINESS.multipliedBy(3));
    // The state before the advance is the one expected after it: held over a window, not read once.
    await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertPods("web",
        Map.of("v1", 4, "v2-crash", 1), 4));
  }

  @Test
  void deletingADeploymentDeletesItsReplicaSets() {
    create(deployment("web", 2, "v1", "RollingUpdate", null, null));
    create(deployment("api", 2, "v1", "RollingUpdate", null, null));
    awaitPods("web", Map.of("v1", 2), 0);
    awaitPods("api", Map.of("v1", 2), 0);
    clock.advance(READINESS);
    awaitPods("web", Map.of("v1", 2), 2);
    awaitPods("api", Map.of("v1", 2), 2);

    client.apps().deployments().inNamespace(NS).withName("web").delete();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(client.apps().replicaSets().inNamespace(NS).list().getItems())
            .extracting(rs -> rs.getMetadata().getOwnerReferences().get(0).getName()).containsOnly("api"));
  }

  /** Waits until the Deployment's pods per image tag, and its ready count, are as given and its status says so. */
  private void awaitPods(String name, Map<String, Integer> podsByTag, int ready) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertPods(name, podsByTag, ready));
  }

  private void assertPods(String name, Map<String, Integer> podsByTag, int ready) {
    int total = podsByTag.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, Integer> seen = new TreeMap<>();
    for (ReplicaSet rs : client.apps().replicaSets().inNamespace(NS).list().getItems()) {
      if (rs.getMetadata().getOwnerReferences().get(0).getName().equals(name)) {
        String image = rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        seen.put(image.substring(image.indexOf(':') + 1), rs.getSpec().getReplicas());
      }
    }
    assertThat(seen).isEqualTo(new TreeMap<>(podsByTag));
    Deployment d = client.apps().deployments().inNamespace(NS).withName(name).get();
    assertThat(d.getStatus()).isNotNull();
    assertThat(d.getStatus().getReplicas()).isEqualTo(total);
    assertThat(d.getStatus().getReadyReplicas()).isEqualTo(ready);
  }


  private void setImage(String name, String tag) {
    client.apps().deployments().inNamespace(NS).withName(name).patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"example/app:" + tag + "\"}]");
  }

  private void create(Deployment d) {
    client.apps().deployments().inNamespace(NS).resource(d).create();
  }

  private static Deployment deployment(String name, int replicas, String tag, String strategy, String maxSurge, String maxUnavailable) {
    DeploymentBuilder b = new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example/app:" + tag).endContainer().endSpec()
        .endTemplate()
        .withNewStrategy().withType(strategy).endStrategy()
        .endSpec();
    Deployment d = b.build();
    if (maxSurge != null) {
      d.getSpec().getStrategy().setRollingUpdate(new io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment());
      d.getSpec().getStrategy().getRollingUpdate().setMaxSurge(intOrPercent(maxSurge));
      d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(intOrPercent(maxUnavailable));
    }
    return d;
  }

  private static IntOrString intOrPercent(String value) {
    return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
  }
}
