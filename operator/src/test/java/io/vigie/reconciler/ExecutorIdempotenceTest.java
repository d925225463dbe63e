package io.vigie.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.analysis.provider.MeasurementRunner;
import io.vigie.analysis.provider.MetricProviders;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.CanaryStrategy;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStrategy;
import io.vigie.api.v1alpha1.ServiceRef;
import io.vigie.api.v1alpha1.TargetKind;
import io.vigie.api.v1alpha1.WorkloadRef;
import io.vigie.core.Action;
import io.vigie.core.Decision;
import io.vigie.core.RolloutMachine;
import io.vigie.simulator.SimulatedDeploymentController;
import io.vigie.testkit.MockCluster;
import io.vigie.traffic.TrafficRouters;
import io.vigie.workload.VigieServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Invariant 6 on the real ActionExecutor against the mock API server: every decision of a canary,
 * from adoption to promotion, applied a second time (on the cluster as it then is, as a retried
 * reconcile sees it) sends no write. And the check can fail: the same writes applied again from
 * the snapshot taken before their first application are sent again.
 */
class ExecutorIdempotenceTest {
  private static final String NS = "shop";
  private static final String ACTOR = "operator-idempotence";

  @org.junit.jupiter.params.ParameterizedTest(name = "baseline {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void everyDecisionOfACanaryAppliedTwiceWritesNothingTheSecondTime(boolean baseline) {
    try (MockCluster cluster = MockCluster.start();
        SimulatedDeploymentController controllers = new SimulatedDeploymentController(cluster.newClient("kube-controller-manager"))
            .start();
        MeasurementRunner runner = new MeasurementRunner(new MetricProviders(), 1, key -> { })) {
      KubernetesClient client = cluster.newClient(ACTOR);
      TrafficRouters routers = new TrafficRouters(client);
      ClusterObserver observer = new ClusterObserver(
          new AnalysisObserver(client, new MetricProviders(), runner, Optional.empty()), (ns, name) -> true);
      ClusterCaches caches = freshReads(client, routers);
      ActionExecutor executor = new ActionExecutor(client, new VigieServices(client));
      objects(cluster.client(), baseline);
      int baselinePods = 0;
      assertThat(controllers.lastError()).isNull();
      Instant now = Instant.parse("2026-01-01T00:00:00Z");

      int decisions = 0;
      int withWrites = 0;
      int staleWrites = 0;
      boolean released = false;
      for (int round = 0; round < 60; round++) {
        Rollout rollout = cluster.client().resources(Rollout.class).inNamespace(NS).withName("web").get();
        ClusterSnapshot snapshot = observer.observe(rollout, caches, now);
        Decision decision = RolloutMachine.decide(NS, rollout.getSpec(), rollout.getStatus(), snapshot.observation());
        int before = operatorWrites(cluster);
        executor.apply(rollout, snapshot, decision.actions(), caches);
        boolean wrote = operatorWrites(cluster) > before;

        ClusterSnapshot again = observer.observe(rollout, caches, now);
        int mid = operatorWrites(cluster);
        executor.apply(rollout, again, decision.actions(), caches);
        assertThat(operatorWrites(cluster) - mid).as("invariant 6: %s applied a second time", decision.actions()).isZero();
        if (wrote) {
          withWrites++;
          // The bug the check is there for: writes built from what was read before the first
          // application (the target's paused flag aside, whose patch tests the generation it read).
          int stale = operatorWrites(cluster);
          try {
            executor.apply(rollout, snapshot, decision.actions().stream().filter(a -> !(a instanceof Action.PauseTarget)).toList(),
                caches);
          } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            // A create of what exists already: sent again, and refused.
          }
          staleWrites += operatorWrites(cluster) - stale;
        }
        decisions++;
        baselinePods = Math.max(baselinePods, baselineRunningStable(cluster.client()));
        rollout.setStatus(decision.status());
        client.resources(Rollout.class).inNamespace(NS).resource(rollout).updateStatus();
        RolloutPhase phase = decision.status().getPhase();
        if (!released && phase == RolloutPhase.Healthy) {
          released = true;
          cluster.client().apps().deployments().inNamespace(NS).withName("web").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("shop/web:v2");
            return d;
          });
        } else if (released && phase == RolloutPhase.Healthy && !decision.status().getHistory().isEmpty()) {
          break;
        }
        // The simulated controllers act on the writes (pods ready, a rollout done) before the next decision.
        await().atMost(Duration.ofSeconds(10)).until(() -> settled(cluster.client()));
        now = now.plusSeconds(1);
      }
      Rollout end = cluster.client().resources(Rollout.class).inNamespace(NS).withName("web").get();
      assertThat(end.getStatus().getPhase()).as("the canary went all the way").isEqualTo(RolloutPhase.Healthy);
      assertThat(end.getStatus().getHistory()).singleElement()
          .satisfies(h -> assertThat(h.getVerdict().name()).isEqualTo("Promoted"));
      assertThat(withWrites).as("decisions that wrote something, each applied twice").isGreaterThanOrEqualTo(5);
      assertThat(staleWrites).as("the check sees writes sent again").isPositive();
      var baselineDeployment = cluster.client().apps().deployments().inNamespace(NS).withName("web-baseline").get();
      if (baseline) {
        assertThat(baselinePods).as("baseline pods of the stable image at the canary's size at 50%% (4 next to 4), at most").isEqualTo(4);
        assertThat(baselineDeployment.getSpec().getReplicas()).as("no baseline pod after the promotion").isZero();
        assertThat(cluster.client().services().inNamespace(NS).withName("web-baseline").get().getSpec().getSelector())
            .containsEntry("vigie.io/role", "baseline");
      } else {
        assertThat(baselineDeployment).as("no baseline without spec.strategy.canary.baseline").isNull();
      }
      System.out.printf("idempotence: %d decisions, %d of them with writes, each applied twice; %d writes sent again from a "
          + "stale snapshot%n", decisions, withWrites, staleWrites);
    }
  }

  /**
   * Reads that always show the cluster as it is (what the operator's caches give once read-after-write
   * and the watch caught up): what this invariant is about is the executor's writes, not the caches.
   */
  private static ClusterCaches freshReads(KubernetesClient client, TrafficRouters routers) {
    return new ClusterCaches(
        new ClusterCaches.Kind<>(id -> Optional.ofNullable(client.apps().deployments().inNamespace(id.getNamespace().orElseThrow())
            .withName(id.getName()).get()), (after, before) -> { }),
        new ClusterCaches.Kind<>(id -> Optional.ofNullable(client.services().inNamespace(id.getNamespace().orElseThrow())
            .withName(id.getName()).get()), (after, before) -> { }),
        uid -> client.apps().replicaSets().inAnyNamespace().list().getItems().stream()
            .filter(rs -> ClusterCaches.ownerDeployment(rs).map(o -> uid.equals(o.getUid())).orElse(false)).toList(),
        routers);
  }

  /** Every Deployment's controller has seen its spec, and one that is not paused has all its pods ready and updated. */
  private static boolean settled(KubernetesClient client) {
    return client.apps().deployments().inNamespace(NS).list().getItems().stream().allMatch(d -> {
      var s = d.getStatus();
      int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      return s != null && java.util.Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
          && (Boolean.TRUE.equals(d.getSpec().getPaused()) || (zero(s.getReadyReplicas()) == want
              && zero(s.getUpdatedReplicas()) == want && zero(s.getReplicas()) == want));
    });
  }

  /** Ready pods of a baseline running the stable image, with the labels its Service selects and no pod-template-hash. */
  private static int baselineRunningStable(KubernetesClient client) {
    var d = client.apps().deployments().inNamespace(NS).withName("web-baseline").get();
    if (d == null) {
      return 0;
    }
    var template = d.getSpec().getTemplate();
    assertThat(template.getSpec().getContainers().get(0).getImage()).isEqualTo("shop/web:v1");
    assertThat(template.getMetadata().getLabels()).containsEntry("vigie.io/role", "baseline").containsEntry("app", "web")
        .doesNotContainKey("pod-template-hash");
    return zero(d.getStatus() == null ? null : d.getStatus().getReadyReplicas());
  }

  private static int zero(Integer value) {
    return value == null ? 0 : value;
  }

  private static int operatorWrites(MockCluster cluster) {
    return (int) cluster.dispatcher().writes().stream().filter(w -> ACTOR.equals(w.actor())).count();
  }

  private static void objects(KubernetesClient client, boolean baseline) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(4).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("shop/web:v1").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build()).create();
    Rollout rollout = new Rollout();
    rollout.getMetadata().setName("web");
    rollout.getMetadata().setNamespace(NS);
    RolloutSpec spec = new RolloutSpec();
    spec.setTargetRef(new WorkloadRef(TargetKind.Deployment, "web"));
    spec.setService(new ServiceRef("web", 80));
    CanaryStrategy canary = new CanaryStrategy();
    canary.setSteps(List.of(CanaryStep.weight(25), CanaryStep.weight(50)));
    if (baseline) {
      canary.setBaseline(new io.vigie.api.v1alpha1.Baseline(true));
    }
    RolloutStrategy strategy = new RolloutStrategy();
    strategy.setCanary(canary);
    spec.setStrategy(strategy);
    rollout.setSpec(spec);
    client.resources(Rollout.class).inNamespace(NS).resource(rollout).create();
  }
}
