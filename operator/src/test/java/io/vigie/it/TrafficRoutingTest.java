package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.testing.CanaryTraffic;
import io.vigie.testkit.HttpStub;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.RecordingDispatcher.Write;
import io.vigie.testing.Routes;
import io.vigie.testing.Routes.Split;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same app released through each of the four routers, by the real operator: a good release ends
 * Healthy, a bad one RolledBack, the route's weights summing to 100 in every write Vigie makes.
 * The app's error rate comes from a metrics endpoint that counts the requests the canary actually
 * served: users' requests split as the route (or the ready pods) sends them, each failing as its
 * version behaves (CanaryTraffic). A canary that gets no traffic gives no evidence.
 */
class TrafficRoutingTest {
  private static final Optional<String> HEADER = Optional.of("x-canary=true");
  private OperatorHarness k8s;
  private HttpStub metrics;
  /** The users' requests, routed as the test's Rollout routes them; none before it exists. */
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

  private void createRollout(Routes routes) {
    routes.create(k8s.client());
    // The app's versions: a bad image fails a quarter of its requests.
    this.traffic = new CanaryTraffic(k8s.client(), NS, "web", routes, image -> image.contains("bad") ? 0.25 : 0.0);
    List<CanaryStep> steps = new ArrayList<>();
    steps.add(CanaryStep.weight(20));
    if (routes.routed()) {
      steps.add(CanaryStep.headerRoute("x-canary", "true"));
    }
    CanaryStep analysis = new CanaryStep();
    analysis.setAnalysis(new RolloutAnalysis());
    analysis.getAnalysis().setTemplates(List.of(TemplateRef.named("app-errors")));
    steps.add(analysis);
    steps.add(CanaryStep.weight(50));
    steps.add(CanaryStep.pauseUntilPromoted());
    k8s.createRollout("web", "web", "web", routes.spec(), steps.toArray(CanaryStep[]::new));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
  }

  @ParameterizedTest
  @EnumSource(Routes.class)
  void aGoodReleaseGoesThroughTheRouteAndEndsHealthy(Routes routes) {
    createRollout(routes);
    k8s.setImage("web", "shop/web:v2");

    RolloutStatus paused = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(paused.getCanaryWeight()).isEqualTo(routes.routed() ? 50 : 50);
    if (routes.routed()) {
      k8s.eventually(() -> assertThat(routes.split(k8s.client())).isEqualTo(new Split(50, HEADER)));
      // 50% of the load of 4 pods: 2 canary pods, not the 4 that replica ratios need for 50%.
      assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isEqualTo(2);
    }
    k8s.annotate("web", "vigie.io/promote", "true");

    RolloutStatus healthy = k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(healthy.getStableRevision()).isEqualTo(paused.getCanaryRevision());
    if (routes.routed()) {
      k8s.eventually(() -> assertThat(routes.split(k8s.client())).isEqualTo(new Split(0, Optional.empty())));
      List<Split> written = routeWrites(routes);
      // Every write sums to 100 (checked while parsing); the canary got 20%, then the header route, then 50%, then nothing.
      assertThat(written.stream().map(Split::canaryWeight).distinct().toList()).containsExactly(20, 50, 0);
      assertThat(written).contains(new Split(20, HEADER), new Split(50, HEADER));
      assertThat(written.get(written.size() - 1)).isEqualTo(new Split(0, Optional.empty()));
      retiresTheCanaryAfterTheDelay();
    }
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero());
  }

  /**
   * With a router the canary's pods outlive the route's move to stable by scaleDownDelaySeconds
   * (default 30), so that no proxy still applying the old route sends a request to no endpoint.
   */
  private void retiresTheCanaryAfterTheDelay() {
    RolloutStatus retiring = k8s.awaitStatus("web", s -> s.getCanaryScaleDownAt() != null);
    assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).as("the canary's pods, no longer routed").isPositive();
    k8s.advance("web", Duration.ofSeconds(29));
    k8s.awaitStatus("web", s -> s.getCanaryScaleDownAt() != null);
    assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isPositive();
    k8s.advance("web", Duration.ofSeconds(1));
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero());
    assertThat(k8s.awaitStatus("web", s -> s.getCanaryScaleDownAt() == null).getPhase()).isEqualTo(retiring.getPhase());
  }

  @ParameterizedTest
  @EnumSource(Routes.class)
  void aBadReleaseIsRolledBackRouteFirst(Routes routes) {
    createRollout(routes);
    k8s.setImage("web", "shop/web:v2-bad");

    RolloutStatus rolledBack = k8s.awaitPhase("web", RolloutPhase.RolledBack);
    assertThat(rolledBack.getAbort().getMessage()).contains("error-rate").contains("0.25");
    assertThat(rolledBack.getCanaryWeight()).isZero();
    if (routes.routed()) {
      assertThat(routes.split(k8s.client())).isEqualTo(new Split(0, Optional.empty()));
      retiresTheCanaryAfterTheDelay();
      // The canary served 20% and the header route before the verdict; then the route went back
      // to stable before the canary's pods went away.
      List<Write> writes = k8s.dispatcher().writes().stream().filter(Write::byOperator).toList();
      int routeBack = indexOf(writes, w -> routes.isRouteWrite(w)
          && ("DELETE".equals(w.method()) || routes.checkWritten(w.body()).canaryWeight() == 0));
      int scaleDown = indexOf(writes, w -> w.path().contains("/deployments/web-canary") && w.body().contains("\"replicas\":0"));
      assertThat(routeBack).as("route back to stable").isNotNegative().isLessThan(scaleDown);
      assertThat(routeWrites(routes)).contains(new Split(20, HEADER));
    }
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero());
  }

  @Test
  void weightsEditedByHandArePutBackAsTheWatchBringsTheEditAndSaidInAnEvent() {
    createRollout(Routes.GATEWAY_API);
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.eventually(() -> assertThat(Routes.GATEWAY_API.split(k8s.client())).isEqualTo(new Split(50, HEADER)));

    k8s.client().resources(HTTPRoute.class).inNamespace(NS).withName("web").edit(r -> {
      r.getSpec().getRules().get(0).getBackendRefs().get(0).setWeight(10);
      r.getSpec().getRules().get(0).getBackendRefs().get(1).setWeight(90);
      return r;
    });
    // No nudge: the HTTPRoute informer wakes the Rollout (its periodic look comes only after a minute).

    k8s.eventually(() -> {
      assertThat(Routes.GATEWAY_API.split(k8s.client())).isEqualTo(new Split(50, HEADER));
      assertThat(k8s.events("web")).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("RouteRestored");
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getMessage()).contains("HTTPRoute shop/web sent 90%").contains("not the 50%");
      });
    });
  }

  @ParameterizedTest
  @EnumSource(value = Routes.class, names = "REPLICAS", mode = EnumSource.Mode.EXCLUDE)
  void aMissingRouteMakesTheRolloutInvalidAndNothingIsWritten(Routes routes) {
    k8s.createRollout("web", "web", "web", routes.spec(), CanaryStep.weight(20));

    RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);
    assertThat(invalid.getMessage()).contains("not found: create it or fix spec.trafficRouting."
        + switch (routes) {
          case GATEWAY_API -> "gatewayAPI.httpRoute";
          case ISTIO -> "istio.virtualService.name";
          default -> "nginx.stableIngress";
        });
    assertThat(k8s.dispatcher().writes()).filteredOn(Write::byOperator)
        .allSatisfy(w -> assertThat(w.path()).matches(".*/rollouts/web(/status)?|.*/events.*"));

    // Created afterwards, the route is taken up: the Rollout adopts its Deployment.
    routes.create(k8s.client());
    k8s.nudge("web");
    k8s.awaitPhase("web", RolloutPhase.Healthy);
  }

  @Test
  void aRouteThatDoesNotReferenceTheVigieServicesIsInvalidWithTheFix() {
    k8s.client().load(new ByteArrayInputStream("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          rules:
            - backendRefs: [{name: web, port: 80}]
        """.getBytes(StandardCharsets.UTF_8))).inNamespace(NS).create();
    k8s.createRollout("web", "web", "web", Routes.GATEWAY_API.spec(), CanaryStep.weight(20));

    assertThat(k8s.awaitPhase("web", RolloutPhase.Invalid).getMessage()).contains(
        "HTTPRoute shop/web has no rule whose backendRefs name both Services web-stable and web-canary");
    assertThat(k8s.client().resources(HTTPRoute.class).inNamespace(NS).withName("web").get().getSpec().getRules().get(0)
        .getBackendRefs()).singleElement().satisfies(r -> assertThat(r.getName()).isEqualTo("web"));
  }

  @Test
  void aHeaderRouteNeedsARouter() {
    k8s.createRollout("web", "web", "web", CanaryStep.headerRoute("x-canary", "true"));

    assertThat(k8s.awaitPhase("web", RolloutPhase.Invalid).getMessage())
        .contains("steps[0].setHeaderRoute needs spec.trafficRouting");
  }

  @Test
  void deletingTheRolloutSendsEverythingToStableAndLeavesTheServicesTheRouteNeeds() {
    createRollout(Routes.NGINX);
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.eventually(() -> assertThat(Routes.NGINX.split(k8s.client()).canaryWeight()).isEqualTo(50));

    k8s.client().resources(io.vigie.api.v1alpha1.Rollout.class).inNamespace(NS).withName("web").delete();

    k8s.eventually(() -> {
      assertThat(k8s.rollout("web")).isNull();
      assertThat(k8s.client().network().v1().ingresses().inNamespace(NS).withName("web-canary").get()).isNull();
      assertThat(k8s.deployment("web").getSpec().getPaused()).isFalse();
      // The user's Ingress still points at web-stable: it stays, selecting all the Deployment's pods.
      assertThat(k8s.service("web-stable").getSpec().getSelector()).isEqualTo(java.util.Map.of("app", "web"));
      assertThat(k8s.service("web-stable").getMetadata().getOwnerReferences()).isEmpty();
    });

    // A new Rollout for the same Service takes the Services back rather than calling them conflicts.
    k8s.createRollout("web", "web", "web", Routes.NGINX.spec(), CanaryStep.weight(20));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.eventually(() -> assertThat(k8s.service("web-stable").getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(k8s.rollout("web").getMetadata().getUid())));
  }

  /** The splits of the operator's writes to the route object, in order, each checked to sum to 100. */
  private List<Split> routeWrites(Routes routes) {
    return k8s.dispatcher().writes().stream()
        .filter(Write::byOperator)
        .filter(w -> routes.isRouteWrite(w) && w.status() < 300)
        .map(w -> "DELETE".equals(w.method()) ? new Split(0, Optional.empty()) : routes.checkWritten(w.body()))
        .toList();
  }

  private static int indexOf(List<Write> writes, java.util.function.Predicate<Write> what) {
    for (int i = 0; i < writes.size(); i++) {
      if (what.test(writes.get(i))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aRolloutWhoseRouteVigieMayNoLongerWriteIsStillDeleted() {
    createRollout(Routes.GATEWAY_API);
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.dispatcher().before((write, applied) -> write.byOperator() && write.path().contains("/httproutes/")
        ? Optional.of(io.vigie.testkit.RecordingDispatcher.status(403, "Forbidden")) : Optional.empty());

    k8s.client().resources(io.vigie.api.v1alpha1.Rollout.class).inNamespace(NS).withName("web").delete();

    k8s.eventually(() -> {
      assertThat(k8s.rollout("web")).isNull();
      assertThat(k8s.deployment("web").getSpec().getPaused()).isFalse();
    });
  }

  @Test
  void aRouteVigieMayNotWriteIsOnTheRolloutWithTheFixUntilItMayAgain() {
    java.util.concurrent.atomic.AtomicBoolean forbidden = new java.util.concurrent.atomic.AtomicBoolean(true);
    k8s.dispatcher().before((write, applied) -> forbidden.get() && write.byOperator() && write.path().contains("/httproutes/")
        ? Optional.of(io.vigie.testkit.RecordingDispatcher.status(403, "Forbidden")) : Optional.empty());
    createRollout(Routes.GATEWAY_API);
    k8s.setImage("web", "shop/web:v2");

    RolloutStatus refused = k8s.awaitStatus("web", s -> s.getConditions().stream()
        .anyMatch(c -> "ReconcileFailed".equals(c.getType())));
    io.fabric8.kubernetes.api.model.Condition condition = refused.getConditions().stream()
        .filter(c -> "ReconcileFailed".equals(c.getType())).findFirst().orElseThrow();
    assertThat(condition.getStatus()).isEqualTo("True");
    assertThat(condition.getReason()).isEqualTo("Forbidden");
    assertThat(condition.getMessage()).contains("httproutes.gateway.networking.k8s.io shop/web")
        .contains("grant the operator's ServiceAccount");
    assertThat(k8s.deployment("web").getSpec().getPaused()).as("the target stays guarded meanwhile").isTrue();

    forbidden.set(false);
    RolloutStatus after = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused
        && s.getConditions().stream().noneMatch(c -> "ReconcileFailed".equals(c.getType())));
    assertThat(after.getCanaryWeight()).isPositive();
  }
}
