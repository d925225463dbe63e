package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.BlueGreenStrategy;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.testing.CanaryTraffic;
import io.vigie.testing.OperatorHarness;
import io.vigie.testing.Routes;
import io.vigie.testing.Routes.Split;
import io.vigie.testkit.HttpStub;
import io.vigie.testkit.RecordingDispatcher.Write;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Blue-green releases by the real operator through the user's Service (no router) and each router:
 * green comes up on the preview while users stay on blue, one write switches them, the
 * post-promotion analysis judges live traffic (the metrics count the requests green actually
 * served), and a bad green is switched back in one write before its pods go.
 */
class BlueGreenReleaseTest {
  private OperatorHarness k8s;
  private HttpStub metrics;
  private volatile CanaryTraffic traffic;

  @BeforeEach
  void start() throws IOException {
    k8s = OperatorHarness.start();
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
    metrics = HttpStub.serving(() -> traffic == null ? "{\"requests\": 0, \"errorRate\": null}" : traffic.scrape());
    String template = """
        apiVersion: vigie.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: app-errors}
        spec:
          metrics:
            - name: error-rate
              count: 1
              minRequests: 1
              thresholdRange: {max: 0.05}
              provider:
                web:
                  url: "%s?deployment={{args.canary-deployment}}"
                  jsonPointer: /errorRate
                  requestsJsonPointer: /requests
        """.formatted(metrics.url("/errors"));
    k8s.client().load(new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8))).inNamespace(NS).create();
  }

  @AfterEach
  void stop() {
    metrics.close();
    k8s.close();
  }

  private void createRollout(Routes routes, Integer autoPromotionSeconds) {
    routes.create(k8s.client());
    traffic = new CanaryTraffic(k8s.client(), NS, "web", routes, image -> image.contains("bad") ? 0.25 : 0.0);
    BlueGreenStrategy blueGreen = new BlueGreenStrategy();
    blueGreen.setAutoPromotionSeconds(autoPromotionSeconds);
    blueGreen.setScaleDownDelaySeconds(30);
    RolloutAnalysis post = new RolloutAnalysis();
    post.setTemplates(List.of(TemplateRef.named("app-errors")));
    blueGreen.setPostPromotionAnalysis(post);
    k8s.createBlueGreenRollout("web", "web", "web", routes.spec(), blueGreen);
    k8s.awaitPhase("web", RolloutPhase.Healthy);
  }

  /** What users reach: green when the active Service (or the route) sends them there. */
  private boolean usersOnGreen(Routes routes) {
    if (routes.routed()) {
      return routes.split(k8s.client()).canaryWeight() == 100;
    }
    return "canary".equals(k8s.service("web").getSpec().getSelector().get("vigie.io/role"));
  }

  @ParameterizedTest
  @EnumSource(Routes.class)
  void aGoodReleaseWaitsOnThePreviewSwitchesInOneWriteAndHandsOverToTheDeployment(Routes routes) {
    createRollout(routes, null);
    String blueHash = k8s.status("web").getStablePodTemplateHash();
    if (!routes.routed()) {
      assertThat(k8s.service("web").getSpec().getSelector()).containsEntry("pod-template-hash", blueHash);
    }
    k8s.setImage("web", "shop/web:v2");

    RolloutStatus waiting = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(waiting.getMessage()).contains("is ready on Service shop/web-preview");
    assertThat(k8s.service("web-preview").getSpec().getSelector()).containsEntry("vigie.io/role", "canary");
    assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isEqualTo(4);
    assertThat(usersOnGreen(routes)).as("users stay on blue while green is previewed").isFalse();

    k8s.annotate("web", "vigie.io/promote", "true");
    k8s.awaitStatus("web", s -> s.getBlueGreen() != null && s.getBlueGreen().getSwitchedAt() != null);
    assertThat(usersOnGreen(routes)).isTrue();
    assertThat(k8s.deployment("web").getSpec().getPaused()).as("blue stays warm: the target is still paused").isTrue();
    // Green had the target's 4 ready pods before the one write that moved users to it.
    List<Write> writes = k8s.dispatcher().writes();
    int switchWrite = indexOf(writes, w -> w.byOperator() && isSwitch(routes, w, true));
    int greenReady = indexOf(writes, w -> w.path().endsWith("/deployments/web-canary/status") && w.body().contains("\"readyReplicas\":4"));
    assertThat(greenReady).isNotNegative().isLessThan(switchWrite);
    assertThat(writes.stream().filter(w -> w.byOperator() && isSwitch(routes, w, true)).count()).isEqualTo(1);

    k8s.awaitStatus("web", s -> s.getMessage() != null && s.getMessage().contains("passed its post-promotion analysis"));
    k8s.advance("web", Duration.ofSeconds(30));
    RolloutStatus healthy = k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(healthy.getStableRevision()).isEqualTo(waiting.getCanaryRevision());
    if (routes.routed()) {
      k8s.eventually(() -> assertThat(routes.split(k8s.client())).isEqualTo(new Split(0, Optional.empty())));
    } else {
      assertThat(k8s.service("web").getSpec().getSelector()).as("users on the Deployment's new pods")
          .isEqualTo(Map.of("app", "web", "pod-template-hash", healthy.getStablePodTemplateHash()));
    }
    assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).as("green kept scaleDownDelaySeconds").isEqualTo(4);
    k8s.advance("web", Duration.ofSeconds(30));
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero());
  }

  @ParameterizedTest
  @EnumSource(Routes.class)
  void aBadGreenIsSwitchedBackInOneWriteBeforeItsPodsGo(Routes routes) {
    createRollout(routes, 0);
    k8s.setImage("web", "shop/web:v2-bad");

    RolloutStatus rolledBack = k8s.awaitPhase("web", RolloutPhase.RolledBack);
    assertThat(rolledBack.getAbort().getReason()).isEqualTo("AnalysisFailed");
    assertThat(rolledBack.getRollbackReport().getMetrics()).isNotEmpty();
    assertThat(usersOnGreen(routes)).isFalse();
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero());
    List<Write> operator = k8s.dispatcher().writes().stream().filter(Write::byOperator).toList();
    int switched = indexOf(operator, w -> isSwitch(routes, w, true));
    int back = indexOf(operator, w -> isSwitch(routes, w, false) && operator.indexOf(w) > switched);
    int scaleDown = indexOf(operator, w -> w.path().contains("/deployments/web-canary") && w.body().contains("\"replicas\":0"));
    assertThat(switched).isNotNegative();
    assertThat(back).as("the switch back").isGreaterThan(switched).isLessThan(scaleDown);
    assertThat(operator.subList(switched + 1, back)).as("nothing else moved users between the switch and the switch back")
        .noneMatch(w -> isSwitch(routes, w, true) || isSwitch(routes, w, false));
    assertThat(k8s.deployment("web").getSpec().getPaused()).isTrue();
  }

  /** A write that moved users to green ({@code toGreen}) or back to the target's pods. */
  private static boolean isSwitch(Routes routes, Write w, boolean toGreen) {
    if (w.status() >= 300) {
      return false;
    }
    if (routes.routed()) {
      if ("DELETE".equals(w.method())) {
        return routes.isRouteWrite(w) && !toGreen;
      }
      return routes.isRouteWrite(w) && routes.checkWritten(w.body()).canaryWeight() == (toGreen ? 100 : 0);
    }
    boolean userService = w.path().endsWith("/services/web");
    return userService && (toGreen ? w.body().contains("\"vigie.io/role\":\"canary\"") : w.body().contains("pod-template-hash"));
  }

  private static int indexOf(List<Write> writes, Predicate<Write> what) {
    for (int i = 0; i < writes.size(); i++) {
      if (what.test(writes.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
