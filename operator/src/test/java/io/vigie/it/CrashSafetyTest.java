package io.vigie.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testing.KillPoints;
import io.vigie.testing.KillPoints.Run;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.RecordingDispatcher.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Kills the operator at every write it makes during a canary (with a baseline next to it) that is
 * promoted past a pause and then aborted, and starts a fresh operator at once ({@link KillPoints}:
 * killed before each write lands, and after it landed with its reply lost). Every run must end where
 * an uninterrupted one ends, with no step repeated or skipped, no lost abort and no traffic flap,
 * judged from every write the API server recorded.
 */
class CrashSafetyTest {
  private static final KillPoints KILLS = new KillPoints();

  @AfterAll
  static void report() {
    KILLS.report("crash safety");
  }

  @TestFactory
  Stream<DynamicTest> killingTheOperatorAtAnyWriteLosesNothing() {
    return KILLS.atEveryWrite("crash safety", CrashSafetyTest::promotedThenAborted, CrashSafetyTest::check);
  }

  private static RolloutStatus promotedThenAborted(OperatorHarness k8s) {
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
    k8s.createRolloutWithBaseline("web", "web", "web", null, CanaryStep.weight(25), CanaryStep.pauseUntilPromoted(),
        CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && "2/4".equals(s.getStep()));
    k8s.annotate("web", "vigie.io/promote", "true");
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && "4/4".equals(s.getStep()));
    k8s.annotate("web", "vigie.io/abort", "true");
    RolloutStatus end = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.RolledBack
        && s.getRollbackReport() != null && s.getRollbackReport().getTrafficBackAt() != null);
    k8s.eventually(() -> {
      assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero();
      assertThat(k8s.deployment("web-baseline").getSpec().getReplicas()).isZero();
      assertThat(k8s.deployment("web").getSpec().getPaused()).isTrue();
      assertThat(k8s.rollout("web").getMetadata().getAnnotations()).doesNotContainKey("vigie.io/accepted-control");
    });
    return end;
  }

  private static void check(Run run) {
    RolloutStatus s = run.status();
    assertThat(s.getAbort().getReason()).as("the abort was not lost").isEqualTo("ManualAbort");
    assertThat(s.getHistory()).as("one verdict for the revision").singleElement()
        .satisfies(h -> assertThat(h.getVerdict()).isEqualTo(Verdict.RolledBack));
    assertThat(s.getLastControl().getAction()).isEqualTo("abort");

    List<String> steps = new ArrayList<>();
    List<Integer> canary = new ArrayList<>();
    List<Integer> baseline = new ArrayList<>();
    List<String> stableSelectors = new ArrayList<>();
    for (Write w : run.writes()) {
      if (w.status() >= 300) {
        continue;
      }
      JsonNode body = KillPoints.parse(w.body());
      if (w.path().endsWith("/rollouts/web/status")) {
        String step = body.path("status").path("step").asText(null);
        if (step != null && (steps.isEmpty() || !steps.get(steps.size() - 1).equals(step))) {
          steps.add(step);
        }
      } else if (!w.byOperator() || w.path().endsWith("/status")) {
        continue;
      } else if (w.path().contains("/deployments") && w.path().contains("web-canary")
          || (w.method().equals("POST") && w.path().endsWith("/deployments") && body.path("metadata").path("name").asText().equals("web-canary"))) {
        JsonNode replicas = body.path("spec").path("replicas");
        if (!replicas.isMissingNode() && (canary.isEmpty() || canary.get(canary.size() - 1) != replicas.asInt())) {
          canary.add(replicas.asInt());
        }
      } else if (w.path().contains("/deployments") && w.path().contains("web-baseline")
          || (w.method().equals("POST") && w.path().endsWith("/deployments") && body.path("metadata").path("name").asText().equals("web-baseline"))) {
        JsonNode replicas = body.path("spec").path("replicas");
        if (!replicas.isMissingNode() && (baseline.isEmpty() || baseline.get(baseline.size() - 1) != replicas.asInt())) {
          baseline.add(replicas.asInt());
        }
      } else if (w.path().contains("/services") && (w.path().endsWith("/web-stable")
          || body.path("metadata").path("name").asText().equals("web-stable"))) {
        stableSelectors.add(body.path("spec").path("selector").toString());
      }
    }
    // A restarted operator may pass two steps in one decision (the cluster is ahead of the status
    // it starts from), so a step can be missing from the recorded statuses; none may come back.
    assertThat(steps).as("steps in the order status recorded them: never one again after a later one")
        .isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates().endsWith("4/4");
    assertThat(canary).as("canary sizes written: they grow with the steps, then the abort takes them to 0")
        .containsExactly(1, 4, 0);
    assertThat(baseline).as("baseline sizes written: the canary's").containsExactly(1, 4, 0);
    assertThat(stableSelectors).as("the stable Service never left the stable pods").isNotEmpty().containsOnly(stableSelectors.get(0));
  }
}
