package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.CanaryStrategy;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.RolloutStrategy;
import io.vigie.api.v1alpha1.ServiceRef;
import io.vigie.api.v1alpha1.TargetKind;
import io.vigie.api.v1alpha1.WorkloadRef;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.runtime.VigieOperator;
import io.vigie.testkit.MockCluster;
import io.vigie.testkit.MutableClock;
import io.vigie.testkit.RecordingDispatcher;
import io.vigie.testkit.RecordingDispatcher.Write;
import io.vigie.simulator.SimulatedDeploymentController;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Two operator instances with leader election on one API server: one acts, the other waits; the
 * leader is killed mid-canary and the other finishes the rollout. Never both acting, judged from
 * every write the server recorded.
 */
class LeaderElectionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theStandbyFinishesTheRolloutWhenTheLeaderDiesAndTheyNeverActTogether() {
    try (MockCluster cluster = MockCluster.start();
        SimulatedDeploymentController controller = new SimulatedDeploymentController(cluster.newClient("kube-controller-manager")).start()) {
      assertThat(controller.lastError()).isNull();
      KubernetesClient k8s = cluster.client();
      RecordingDispatcher server = cluster.dispatcher();
      Set<String> dead = ConcurrentHashMap.newKeySet();
      server.before((w, applied) -> {
        if (w.path().endsWith("/selfsubjectrulesreviews")) {
          // The mock server has no authorizer: answer JOSDK's check of its Lease permissions as a
          // cluster granting them would.
          return Optional.of(new MockResponse().setResponseCode(201).setBody("{\"apiVersion\":\"authorization.k8s.io/v1\","
              + "\"kind\":\"SelfSubjectRulesReview\",\"status\":{\"incomplete\":false,\"nonResourceRules\":[],"
              + "\"resourceRules\":[{\"apiGroups\":[\"coordination.k8s.io\"],\"resources\":[\"leases\"],"
              + "\"verbs\":[\"get\",\"create\",\"update\",\"patch\"]}]}}"));
        }
        return w.actor() != null && dead.contains(w.actor())
            ? Optional.of(RecordingDispatcher.status(503, "ServiceUnavailable")) : Optional.empty();
      });
      k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
      MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
      OperatorSettings.LeaderElection election = new OperatorSettings.LeaderElection("vigie-operator", NS,
          Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200), false);
      KubernetesClient clientA = cluster.newClient("operator-a");
      KubernetesClient clientB = cluster.newClient("operator-b");
      VigieOperator a = VigieOperator.start(clientA, clock, settings("operator-a", election));
      await().atMost(WAIT).until(() -> holder(k8s).equals(Optional.of("operator-a")));
      VigieOperator b = VigieOperator.start(clientB, clock, settings("operator-b", election));
      try {
        createApp(k8s);
        awaitStatus(k8s, s -> s.getPhase() == RolloutPhase.Healthy);
        setImage(k8s, "shop/web:v2");
        awaitStatus(k8s, s -> s.getPhase() == RolloutPhase.Paused && "2/3".equals(s.getStep()));

        dead.add("operator-a");
        a.close();
        await().atMost(WAIT).until(() -> holder(k8s).equals(Optional.of("operator-b")));
        annotate(k8s, "vigie.io/promote", "true");

        RolloutStatus healthy = awaitStatus(k8s, s -> s.getPhase() == RolloutPhase.Healthy && !s.getHistory().isEmpty());
        assertThat(healthy.getHistory()).singleElement().satisfies(h -> assertThat(h.getVerdict().name()).isEqualTo("Promoted"));
      } finally {
        b.close();
        clientA.close();
        clientB.close();
      }
      List<String> actors = new ArrayList<>();
      for (Write w : server.writes()) {
        if (w.byOperator() && w.status() < 300 && !w.path().contains("/leases") && !w.path().contains("selfsubject")) {
          if (actors.isEmpty() || !actors.get(actors.size() - 1).equals(w.actor())) {
            actors.add(w.actor());
          }
        }
      }
      assertThat(actors).as("who wrote, in order: the leader until it died, then the standby, never both")
          .containsExactly("operator-a", "operator-b");
    }
  }

  private static OperatorSettings settings(String instance, OperatorSettings.LeaderElection election) {
    return OperatorSettings.defaults(instance).withStopTimeout(Duration.ofMillis(500)).withLeaderElection(election);
  }

  private static Optional<String> holder(KubernetesClient k8s) {
    Lease lease = k8s.leases().inNamespace(NS).withName("vigie-operator").get();
    return Optional.ofNullable(lease).map(l -> l.getSpec().getHolderIdentity());
  }

  private static void createApp(KubernetesClient k8s) {
    k8s.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(4).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("shop/web:v1").endContainer().endSpec().endTemplate()
        .endSpec().build()).create();
    k8s.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build()).create();
    Rollout rollout = new Rollout();
    rollout.getMetadata().setName("web");
    RolloutSpec spec = new RolloutSpec();
    spec.setTargetRef(new WorkloadRef(TargetKind.Deployment, "web"));
    spec.setService(new ServiceRef("web", 80));
    CanaryStrategy canary = new CanaryStrategy();
    canary.setSteps(List.of(CanaryStep.weight(25), CanaryStep.pauseUntilPromoted(), CanaryStep.weight(50)));
    RolloutStrategy strategy = new RolloutStrategy();
    strategy.setCanary(canary);
    spec.setStrategy(strategy);
    rollout.setSpec(spec);
    k8s.resources(Rollout.class).inNamespace(NS).resource(rollout).create();
  }

  private static void setImage(KubernetesClient k8s, String image) {
    await().atMost(WAIT).ignoreExceptions().until(() -> {
      k8s.apps().deployments().inNamespace(NS).withName("web").edit(d -> {
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
        return d;
      });
      return true;
    });
  }

  private static void annotate(KubernetesClient k8s, String key, String value) {
    await().atMost(WAIT).ignoreExceptions().until(() -> {
      k8s.resources(Rollout.class).inNamespace(NS).withName("web").edit(r -> {
        r.getMetadata().getAnnotations().put(key, value);
        return r;
      });
      return true;
    });
  }

  private static RolloutStatus awaitStatus(KubernetesClient k8s, Predicate<RolloutStatus> condition) {
    return await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
      Rollout r = k8s.resources(Rollout.class).inNamespace(NS).withName("web").get();
      return r == null || r.getStatus() == null ? new RolloutStatus() : r.getStatus();
    }, condition);
  }
}
