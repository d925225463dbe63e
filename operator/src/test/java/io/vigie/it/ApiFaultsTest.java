package io.vigie.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.MockResponse;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.RecordingDispatcher;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API server refuses a seeded random share of the operator's writes (500, 409 conflict, or an
 * answer slower than the client's timeout), while a person scales the Deployment mid-canary. The
 * rollout still ends where it should, the operator retrying with backoff.
 */
class ApiFaultsTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 23, 37, 41, 53})
  void aCanaryReachesItsEndThroughFailingWritesAndAConcurrentEdit(long seed) {
    try (OperatorHarness k8s = OperatorHarness.startWithRequestTimeout(Duration.ofMillis(800))) {
      AtomicInteger injected = new AtomicInteger();
      AtomicInteger operatorWrites = new AtomicInteger();
      injectFaults(k8s, seed, injected, operatorWrites);
      k8s.createDeployment("web", "shop/web:v1", 4);
      k8s.createService("web", "web");
      k8s.createRollout("web", "web", "web", CanaryStep.weight(25), CanaryStep.pauseUntilPromoted(), CanaryStep.weight(50),
          CanaryStep.pauseFor("30s"));
      String v1 = k8s.awaitPhase("web", RolloutPhase.Healthy).getStableRevision();
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && "2/4".equals(s.getStep()));

      // A person scales the Deployment while the canary waits: the canary follows the new size.
      k8s.client().apps().deployments().inNamespace(OperatorHarness.NS).withName("web").scale(6);
      k8s.nudge("web");
      k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isEqualTo(2));

      k8s.annotate("web", "vigie.io/promote", "true");
      k8s.awaitStatus("web", s -> "4/4".equals(s.getStep()) && s.getMessage() != null && s.getMessage().contains("pause 30s until"));
      k8s.advance("web", Duration.ofSeconds(30));

      RolloutStatus healthy = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && !v1.equals(s.getStableRevision()));
      assertThat(healthy.getHistory()).singleElement().satisfies(h -> assertThat(h.getVerdict()).isEqualTo(Verdict.Promoted));
      k8s.eventually(() -> {
        assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero();
        assertThat(k8s.deployment("web").getSpec().getPaused()).isTrue();
        assertThat(k8s.deployment("web").getSpec().getReplicas()).as("the person's scale stays").isEqualTo(6);
      });
      assertThat(injected.get()).as("faults injected").isPositive();
      System.out.printf("api faults, seed %d: %d of %d operator writes failed on purpose, rollout Healthy%n", seed,
          injected.get(), operatorWrites.get());
    }
  }

  /** 12% of the operator's writes fail with 500, 10% with 409, 5% time out after 1.5 s (the client gives up at 0.8 s). */
  private static void injectFaults(OperatorHarness k8s, long seed, AtomicInteger injected, AtomicInteger operatorWrites) {
    Random random = new Random(seed);
    k8s.dispatcher().before((w, applied) -> {
      if (!w.byOperator()) {
        return Optional.empty();
      }
      operatorWrites.incrementAndGet();
      double r;
      synchronized (random) {
        r = random.nextDouble();
      }
      if (r < 0.12) {
        injected.incrementAndGet();
        return Optional.of(RecordingDispatcher.status(500, "InternalError"));
      }
      if (r < 0.22) {
        injected.incrementAndGet();
        return Optional.of(RecordingDispatcher.status(409, "Conflict"));
      }
      if (r < 0.27) {
        injected.incrementAndGet();
        MockResponse slow = RecordingDispatcher.status(504, "Timeout");
        slow.setBodyDelay(Duration.ofMillis(1500));
        return Optional.of(slow);
      }
      return Optional.empty();
    });
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 37, 53})
  void aBlueGreenReleaseReachesItsEndThroughFailingWritesAndAConcurrentScale(long seed) {
    try (OperatorHarness k8s = OperatorHarness.startWithRequestTimeout(Duration.ofMillis(800))) {
      AtomicInteger injected = new AtomicInteger();
      AtomicInteger operatorWrites = new AtomicInteger();
      injectFaults(k8s, seed, injected, operatorWrites);
      k8s.createDeployment("web", "shop/web:v1", 4);
      k8s.createService("web", "web");
      io.vigie.api.v1alpha1.BlueGreenStrategy blueGreen = new io.vigie.api.v1alpha1.BlueGreenStrategy();
      blueGreen.setScaleDownDelaySeconds(30);
      k8s.createBlueGreenRollout("web", "web", "web", null, blueGreen);
      String v1 = k8s.awaitPhase("web", RolloutPhase.Healthy).getStableRevision();
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && "1/2".equals(s.getStep()));

      // A person scales the Deployment while green waits on the preview: green follows before the switch.
      k8s.client().apps().deployments().inNamespace(OperatorHarness.NS).withName("web").scale(6);
      k8s.nudge("web");
      k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isEqualTo(6));
      k8s.annotate("web", "vigie.io/promote", "true");
      k8s.awaitStatus("web", s -> s.getBlueGreen() != null && s.getBlueGreen().getSwitchedAt() != null);
      k8s.advance("web", Duration.ofSeconds(30));

      RolloutStatus healthy = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && !v1.equals(s.getStableRevision()));
      assertThat(healthy.getHistory()).singleElement().satisfies(h -> assertThat(h.getVerdict()).isEqualTo(Verdict.Promoted));
      k8s.advance("web", Duration.ofSeconds(30));
      k8s.eventually(() -> {
        assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero();
        assertThat(k8s.deployment("web").getSpec().getPaused()).isTrue();
        assertThat(k8s.deployment("web").getSpec().getReplicas()).as("the person's scale stays").isEqualTo(6);
        assertThat(k8s.service("web").getSpec().getSelector())
            .isEqualTo(java.util.Map.of("app", "web", "pod-template-hash", healthy.getStablePodTemplateHash()));
      });
      assertThat(injected.get()).as("faults injected").isPositive();
      System.out.printf("api faults, blue-green seed %d: %d of %d operator writes failed on purpose, rollout Healthy%n", seed,
          injected.get(), operatorWrites.get());
    }
  }
}
