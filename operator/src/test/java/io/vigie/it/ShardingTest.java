package io.vigie.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.runtime.VigieOperator;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.RecordingDispatcher.Write;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two installs split the Rollouts of one cluster with --shard-selector: one takes vigie.io/shard=a,
 * the other everything else (vigie.io/shard!=a). Every Rollout progresses, each driven by exactly
 * the install whose selector selects it, as the recorded writes show; a Rollout moved to the other
 * shard by its label continues there from its status.
 */
class ShardingTest {
  private static final String SHARD = "vigie.io/shard";
  private static final Map<String, String> APPS = Map.of("alpha", "a", "bravo", "a", "charlie", "b", "delta", "");

  @Test
  void twoInstallsEachDriveOnlyTheRolloutsTheirSelectorSelects() {
    try (OperatorHarness k8s = OperatorHarness.start(OperatorSettings.defaults("operator-a").withShardSelector(SHARD + "=a"))) {
      String a = k8s.operatorActor();
      KubernetesClient clientB = k8s.clientAs("operator-b");
      VigieOperator b = VigieOperator.start(clientB, k8s.clock(), OperatorSettings.defaults("operator-b")
          .withShardSelector(SHARD + "!=a").withStopTimeout(java.time.Duration.ofMillis(500)));
      try {
        for (Map.Entry<String, String> app : APPS.entrySet()) {
          k8s.createDeployment(app.getKey(), "shop/" + app.getKey() + ":v1", 2);
          k8s.createService(app.getKey(), app.getKey());
          k8s.createRollout(app.getKey(), app.getValue().isEmpty() ? Map.of() : Map.of(SHARD, app.getValue()), app.getKey(),
              app.getKey(), null, CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
        }
        for (String app : APPS.keySet()) {
          k8s.awaitPhase(app, RolloutPhase.Healthy);
          k8s.setImage(app, "shop/" + app + ":v2");
        }
        for (String app : APPS.keySet()) {
          assertThat(k8s.awaitPhase(app, RolloutPhase.Paused).getStep()).isEqualTo("2/2");
        }

        Map<String, Set<String>> touched = k8s.dispatcher().writes().stream()
            .filter(w -> w.status() < 300 && w.byOperator() && !w.path().contains("/events"))
            .collect(Collectors.groupingBy(Write::actor, Collectors.mapping(ShardingTest::app, Collectors.toSet())));
        assertThat(touched.get(a)).as("written by the install of shard a").containsExactlyInAnyOrder("alpha", "bravo");
        assertThat(touched.get("operator-b")).as("written by the other install").containsExactlyInAnyOrder("charlie", "delta");

        // Moving a Rollout to the other shard: the other install continues it from its status.
        k8s.editRollout("charlie", r -> {
          r.getMetadata().setLabels(Map.of(SHARD, "a"));
          return r;
        });
        int before = k8s.dispatcher().writes().size();
        k8s.annotate("charlie", "vigie.io/promote", "true");
        assertThat(k8s.awaitPhase("charlie", RolloutPhase.Healthy).getHistory()).singleElement()
            .satisfies(h -> assertThat(h.getVerdict().name()).isEqualTo("Promoted"));
        List<String> promoters = k8s.dispatcher().writes().subList(before, k8s.dispatcher().writes().size()).stream()
            .filter(w -> w.status() < 300 && w.byOperator() && w.path().contains("/charlie")).map(Write::actor).distinct().toList();
        assertThat(promoters).containsExactly(a);
      } finally {
        b.close();
        clientB.close();
      }
    }
  }

  /**
   * Two Rollouts of two shards naming one Deployment: the second is refused as a duplicate by its own
   * install, which cannot see the first in its cache, rather than taking the Deployment over (and the
   * two installs taking it from each other for ever).
   */
  @Test
  void aDeploymentMarkedByARolloutOfTheOtherShardIsNotTakenOver() {
    try (OperatorHarness k8s = OperatorHarness.start(OperatorSettings.defaults("operator-a").withShardSelector(SHARD + "=a"))) {
      KubernetesClient clientB = k8s.clientAs("operator-b");
      VigieOperator b = VigieOperator.start(clientB, k8s.clock(), OperatorSettings.defaults("operator-b")
          .withShardSelector(SHARD + "!=a").withStopTimeout(java.time.Duration.ofMillis(500)));
      try {
        k8s.createDeployment("web", "shop/web:v1", 2);
        k8s.createService("web", "web");
        k8s.createRollout("web-a", Map.of(SHARD, "a"), "web", "web", null, CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
        k8s.awaitPhase("web-a", RolloutPhase.Healthy);

        k8s.createRollout("web-b", Map.of(), "web", "web", null, CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
        assertThat(k8s.awaitPhase("web-b", RolloutPhase.Invalid).getMessage())
            .contains("Deployment web is already managed by Rollout web-a");
        assertThat(k8s.deployment("web").getMetadata().getAnnotations()).containsEntry("vigie.io/rollout", "web-a");
        assertThat(k8s.dispatcher().writes().stream().filter(w -> w.status() < 300 && "operator-b".equals(w.actor())
            && w.path().contains("/deployments")).toList()).as("the other shard's install wrote no Deployment").isEmpty();

        k8s.setImage("web", "shop/web:v2");
        assertThat(k8s.awaitPhase("web-a", RolloutPhase.Paused).getStep()).isEqualTo("2/2");
      } finally {
        b.close();
        clientB.close();
      }
    }
  }

  /**
   * The app a write was about: the Rollout, its Deployment, its canary or its Services, named in the
   * path, or for a creation in the body.
   */
  private static String app(Write w) {
    for (String app : APPS.keySet()) {
      if (w.path().contains("/" + app) || (w.body() != null && w.body().contains("\"name\":\"" + app))) {
        return app;
      }
    }
    return w.path();
  }
}
