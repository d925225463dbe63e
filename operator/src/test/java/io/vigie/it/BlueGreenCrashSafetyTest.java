package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigie.api.v1alpha1.BlueGreenStrategy;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.testing.KillPoints;
import io.vigie.testing.KillPoints.Run;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.HttpStub;
import io.vigie.testkit.RecordingDispatcher.Write;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Kills the operator at every write of a blue-green release that waits on the preview, is switched
 * by a person, and is aborted while its post-promotion analysis runs ({@link KillPoints}). Every run
 * must end rolled back once, with users moved exactly blue, green, blue (no flap), green's pods
 * written only at full size and then removed, and the target never unpaused.
 */
class BlueGreenCrashSafetyTest {
  private static final KillPoints KILLS = new KillPoints();

  @AfterAll
  static void report() {
    KILLS.report("blue-green crash safety");
  }

  @TestFactory
  Stream<DynamicTest> killingTheOperatorAtAnyWriteOfABlueGreenReleaseLosesNothing() {
    return KILLS.atEveryWrite("blue-green crash safety", BlueGreenCrashSafetyTest::switchedThenAborted,
        BlueGreenCrashSafetyTest::check);
  }

  private static RolloutStatus switchedThenAborted(OperatorHarness k8s) {
    try (HttpStub metrics = HttpStub.serving(() -> "{\"errorRate\": 0.0}")) {
      k8s.client().load(new ByteArrayInputStream("""
          apiVersion: vigie.io/v1alpha1
          kind: AnalysisTemplate
          metadata: {name: app-errors}
          spec:
            metrics:
              - name: error-rate
                count: 10
                interval: 1m
                thresholdRange: {max: 0.05}
                provider:
                  web: {url: "%s", jsonPointer: /errorRate}
          """.formatted(metrics.url("/errors")).getBytes(StandardCharsets.UTF_8))).inNamespace(NS).create();
      k8s.createDeployment("web", "shop/web:v1", 4);
      k8s.createService("web", "web");
      BlueGreenStrategy blueGreen = new BlueGreenStrategy();
      RolloutAnalysis post = new RolloutAnalysis();
      post.setTemplates(List.of(TemplateRef.named("app-errors")));
      blueGreen.setPostPromotionAnalysis(post);
      k8s.createBlueGreenRollout("web", "web", "web", null, blueGreen);
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && "1/2".equals(s.getStep()));
      k8s.annotate("web", "vigie.io/promote", "true");
      k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Progressing && s.getBlueGreen().getSwitchedAt() != null
          && s.getAnalysis().stream().anyMatch(r -> r.getName().equals("post-promotion")));
      k8s.annotate("web", "vigie.io/abort", "true");
      RolloutStatus end = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.RolledBack
          && s.getRollbackReport() != null && s.getRollbackReport().getTrafficBackAt() != null);
      k8s.eventually(() -> {
        assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero();
        assertThat(k8s.deployment("web").getSpec().getPaused()).isTrue();
        assertThat(k8s.service("web").getSpec().getSelector()).containsKey("pod-template-hash");
        assertThat(k8s.rollout("web").getMetadata().getAnnotations()).doesNotContainKey("vigie.io/accepted-control");
      });
      return end;
    }
  }

  private static void check(Run run) {
    RolloutStatus s = run.status();
    assertThat(s.getAbort().getReason()).as("the abort was not lost").isEqualTo("ManualAbort");
    assertThat(s.getHistory()).as("one verdict for the revision").singleElement()
        .satisfies(h -> assertThat(h.getVerdict()).isEqualTo(Verdict.RolledBack));
    assertThat(s.getBlueGreen().getActiveRevision()).isEqualTo(s.getStableRevision());

    List<String> steps = new ArrayList<>();
    List<Integer> green = new ArrayList<>();
    List<String> active = new ArrayList<>();
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
        if (!replicas.isMissingNode() && (green.isEmpty() || green.get(green.size() - 1) != replicas.asInt())) {
          green.add(replicas.asInt());
        }
      } else if (w.path().endsWith("/services/web")) {
        JsonNode selector = body.path("spec").path("selector");
        String side = selector.has("vigie.io/role") ? "green" : selector.has("pod-template-hash") ? "blue" : "unpinned";
        if (active.isEmpty() || !active.get(active.size() - 1).equals(side)) {
          active.add(side);
        }
      } else if (w.path().contains("/deployments/web") && !w.path().contains("web-canary")) {
        assertThat(body.path("spec").path("paused").asBoolean(true)).as("the target is never unpaused: %s", w.body()).isTrue();
      }
    }
    assertThat(steps).as("stages in the order status recorded them").isSortedAccordingTo(String::compareTo)
        .doesNotHaveDuplicates().endsWith("2/2");
    assertThat(green).as("green's sizes written: the target's, then removed").containsExactly(4, 0);
    assertThat(active).as("users moved blue, green, blue: one switch each way, no flap").containsExactly("blue", "green", "blue");
  }
}
