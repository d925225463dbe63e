package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RevisionRecord;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.RecordingDispatcher;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Rollout next to a Deployment and a Service, driven by the real operator, from adoption to Healthy. */
class CanaryLifecycleTest {
  private OperatorHarness k8s;

  @BeforeEach
  void start() {
    k8s = OperatorHarness.start();
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void adoptsTheDeploymentWithoutChangingIt() {
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());

    // The Deployment reports its pods available a moment after its ReplicaSet does, as on a cluster.
    RolloutStatus status = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy
        && s.getConditions().stream().anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus())));

    assertThat(status.getStableRevision()).hasSize(10);
    assertThat(status.getStablePodTemplateHash()).isNotBlank();
    assertThat(status.getCanaryRevision()).isNull();
    assertThat(condition(status, "Available").getStatus()).isEqualTo("True");
    k8s.eventually(() -> {
      Deployment target = k8s.deployment("web");
      assertThat(target.getSpec().getPaused()).isTrue();
      assertThat(target.getSpec().getReplicas()).isEqualTo(4);
      assertThat(k8s.service("web-stable").getSpec().getSelector())
          .containsEntry("app", "web").containsEntry("pod-template-hash", status.getStablePodTemplateHash());
      assertThat(k8s.service("web-canary").getSpec().getSelector())
          .containsEntry("app", "web").containsEntry("vigie.io/role", "canary");
      assertThat(k8s.service("web-stable").getSpec().getPorts()).singleElement()
          .satisfies(p -> assertThat(p.getPort()).isEqualTo(80));
      assertThat(k8s.eventReasons("web")).containsExactly("Adopted");
    });
  }

  @Test
  void vigiesServicesSpeakToThePodsAsTheUsersServiceDoes() {
    // An h2c (gRPC) app: a gateway routed to -stable or -canary must know to speak HTTP/2 to the pods.
    k8s.client().services().inNamespace(OperatorHarness.NS).withName("web").edit(s -> {
      s.getSpec().getPorts().get(0).setAppProtocol("kubernetes.io/h2c");
      return s;
    });
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.eventually(() -> {
      for (String name : java.util.List.of("web-stable", "web-canary")) {
        assertThat(k8s.service(name).getSpec().getPorts()).as(name).singleElement().satisfies(p -> {
          assertThat(p.getName()).isEqualTo("http");
          assertThat(p.getPort()).isEqualTo(80);
          assertThat(p.getTargetPort().getIntVal()).isEqualTo(8080);
          assertThat(p.getAppProtocol()).isEqualTo("kubernetes.io/h2c");
        });
      }
    });
  }

  @Test
  void runsTheStepsPausesAcceptsAPromoteAndEndsHealthyOnTheNewRevision() {
    k8s.createRollout("web", "web", "web",
        CanaryStep.weight(20), CanaryStep.pauseFor("2m"), CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    String v1 = k8s.awaitPhase("web", RolloutPhase.Healthy).getStableRevision();

    k8s.setImage("web", "shop/web:v2");

    // setWeight 20 next to 4 stable pods: 1 canary pod, 1 of 5 ready pods = 20%; then the timed pause.
    RolloutStatus pausing = k8s.awaitStatus("web", s -> "2/4".equals(s.getStep()));
    assertThat(pausing.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(pausing.getCanaryRevision()).isNotEqualTo(v1).hasSize(10);
    assertThat(pausing.getCanaryWeight()).isEqualTo(20);
    Deployment canary = k8s.deployment("web-canary");
    // The step completed on a canary of 1 ready pod; it stays at that size through the pause.
    assertThat(canary.getSpec().getReplicas()).isEqualTo(1);
    assertThat(canary.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop/web:v2");
    assertThat(canary.getSpec().getSelector().getMatchLabels())
        .containsEntry("vigie.io/role", "canary").containsEntry("vigie.io/revision", pausing.getCanaryRevision());
    assertThat(canary.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("Rollout");
      assertThat(o.getUid()).isNotBlank().isEqualTo(k8s.rollout("web").getMetadata().getUid());
    });
    // The user's Deployment is still paused on its old template's pods.
    assertThat(k8s.deployment("web").getSpec().getPaused()).isTrue();
    k8s.eventually(() -> assertThat(k8s.deployment("web").getStatus().getUpdatedReplicas())
        .as("pods of the new template in the paused Deployment: %s", k8s.deployment("web").getStatus()).isZero());

    k8s.afterReconciles("web", () -> k8s.clock().advance(Duration.ofSeconds(119)));
    RolloutStatus beforeTheEnd = k8s.status("web");
    assertThat(beforeTheEnd.getStep()).as("1s before the end of the pause").isEqualTo("2/4");
    assertThat(beforeTheEnd.getMessage()).isEqualTo("step 2/4: pause 2m until "
        + java.time.Instant.parse(beforeTheEnd.getStepStartedAt()).plus(Duration.ofMinutes(2)));
    k8s.advance("web", Duration.ofSeconds(1));

    // setWeight 50: 4 canary pods next to 4 stable; then an indefinite pause.
    RolloutStatus paused = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(paused.getStep()).isEqualTo("4/4");
    assertThat(paused.getCanaryWeight()).isEqualTo(50);
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isEqualTo(4));
    assertThat(condition(paused, "Paused").getStatus()).isEqualTo("True");
    assertThat(condition(paused, "Paused").getReason()).isEqualTo("PauseStep");

    k8s.annotate("web", "vigie.io/promote", "true");

    RolloutStatus healthy = k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(healthy.getStableRevision()).isEqualTo(paused.getCanaryRevision());
    assertThat(healthy.getCanaryRevision()).isNull();
    assertThat(healthy.getCanaryWeight()).isZero();
    assertThat(healthy.getLastControl().getAction()).isEqualTo("promote");
    assertThat(healthy.getHistory()).singleElement().satisfies(h -> {
      assertThat(h.getVerdict()).isEqualTo(RevisionRecord.Verdict.Promoted);
      assertThat(h.getRevision()).isEqualTo(paused.getCanaryRevision());
    });
    assertThat(healthy.getStablePodTemplateHash()).isNotEqualTo(paused.getStablePodTemplateHash());
    k8s.eventually(() -> {
      Deployment target = k8s.deployment("web");
      assertThat(target.getSpec().getPaused()).isTrue();
      assertThat(target.getSpec().getReplicas()).isEqualTo(4);
      assertThat(target.getStatus().getUpdatedReplicas()).isEqualTo(4);
      assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero();
      assertThat(k8s.service("web-stable").getSpec().getSelector())
          .containsEntry("pod-template-hash", healthy.getStablePodTemplateHash());
      assertThat(k8s.rollout("web").getMetadata().getAnnotations())
          .doesNotContainKeys("vigie.io/promote", "vigie.io/accepted-control");
      assertThat(k8s.eventReasons("web")).containsExactly(
          "Adopted", "NewRevision", "StepCompleted", "StepCompleted", "StepCompleted", "Paused",
          "StepCompleted", "ControlApplied", "Promoting", "Promoted");
    });
    assertThat(condition(healthy, "Progressing").getReason()).isEqualTo("RolloutCompleted");
  }

  private static Condition condition(RolloutStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void aStepReadsTheClusterFromCachesAndSendsNoWriteTwice() {
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy);
    String[] paths = {"/apis/vigie.io/v1alpha1/namespaces/shop/rollouts/web", "/apis/apps/v1/namespaces/shop/deployments/web",
        "/apis/apps/v1/namespaces/shop/deployments/web-canary", "/apis/apps/v1/namespaces/shop/replicasets",
        "/api/v1/namespaces/shop/services/web", "/api/v1/namespaces/shop/services/web-stable",
        "/api/v1/namespaces/shop/services/web-canary"};
    int[] readsBefore = java.util.Arrays.stream(paths).mapToInt(k8s.dispatcher()::operatorReads).toArray();
    int before = k8s.dispatcher().writes().size();
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && "2/2".equals(s.getStep()));

    // Every object a decision reads comes from an informer (read-after-write for Vigie's own writes).
    for (int i = 0; i < paths.length; i++) {
      assertThat(k8s.dispatcher().operatorReads(paths[i]) - readsBefore[i]).as("GETs of " + paths[i]).isZero();
    }
    // A decision on a cache that missed an earlier write would send that write again (or be refused).
    List<RecordingDispatcher.Write> writes = k8s.dispatcher().writes().subList(before, k8s.dispatcher().writes().size()).stream()
        .filter(RecordingDispatcher.Write::byOperator).filter(w -> !w.path().contains("/events")).toList();
    assertThat(writes).extracting(RecordingDispatcher.Write::status).allMatch(code -> code < 300);
    assertThat(writes).extracting(w -> w.method() + " " + w.path() + " " + w.body()).doesNotHaveDuplicates();
    assertThat(writes).extracting(w -> w.method() + " " + w.path())
        .contains("POST /apis/apps/v1/namespaces/shop/deployments");
  }
}
