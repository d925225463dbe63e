package io.vigie.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.TrafficRouting;
import io.vigie.core.HeaderMatch;
import io.vigie.core.Observation;
import io.vigie.testkit.MockCluster;
import io.vigie.testkit.RecordingDispatcher.Write;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each router against route objects as users write them, on the mock API server: what it reads, what it writes. */
class TrafficRoutersTest {
  private static final HeaderMatch HEADER = new HeaderMatch("x-canary", "true");
  private MockCluster cluster;
  private TrafficRouters routers;
  private RouteTarget target;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    routers = new TrafficRouters(cluster.newClient("operator"));
    Rollout rollout = new Rollout();
    rollout.getMetadata().setName("web");
    rollout.getMetadata().setNamespace("shop");
    rollout.getMetadata().setUid("uid-1");
    target = new RouteTarget(rollout, "shop", "web-stable", "web-canary", "web-baseline", false);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void create(String yaml) {
    for (HasMetadata item : cluster.client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      if ("VirtualService".equals(item.getKind())) {
        cluster.client().genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace("shop")
            .resource((io.fabric8.kubernetes.api.model.GenericKubernetesResource) item).create();
      } else {
        cluster.client().resource(item).inNamespace("shop").create();
      }
    }
  }

  private List<Write> operatorWrites() {
    return cluster.dispatcher().writes().stream().filter(Write::byOperator).toList();
  }

  private static final String TWO_RULES = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: web, namespace: shop}
      spec:
        rules:
          - matches: [{path: {type: PathPrefix, value: /api}, method: GET}]
            backendRefs: [{name: web-stable, port: 80, weight: 100}, {name: web-canary, port: 80, weight: 0}]
          - matches: [{path: {type: PathPrefix, value: /}}]
            backendRefs: [{name: web-stable, port: 80}, {name: web-canary, port: 80}]
          - backendRefs: [{name: other, port: 80}]
      """;

  @Test
  void withABaselineTheGatewayApiRouteMustNameItAndGetsItsShare() {
    create(TWO_RULES);
    RouteTarget withBaseline = new RouteTarget(target.rollout(), "shop", "web-stable", "web-canary", "web-baseline", true);
    TrafficRouter router = routers.of(TrafficRouting.gatewayApi("web"));
    assertThat(router.observe(withBaseline).problems()).hasSize(2).allSatisfy(p -> assertThat(p)
        .contains("needs a backendRef to web-baseline too (weight 0)"));

    HTTPRoute route = cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("web").get();
    route.getSpec().getRules().subList(0, 2).forEach(rule -> rule.getBackendRefs().add(
        new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder().withName("web-baseline").withPort(80).withWeight(0)
            .build()));
    cluster.client().resources(HTTPRoute.class).inNamespace("shop").resource(route).update();
    router.apply(withBaseline, 70, 15, 15, Optional.empty());

    Observation.Route seen = router.observe(withBaseline);
    assertThat(seen.problems()).isEmpty();
    assertThat(seen.shows(15, 15, Optional.empty())).as("%s", seen).isTrue();
    assertThat(cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("web").get().getSpec().getRules().get(1)
        .getBackendRefs()).extracting(r -> r.getName() + "=" + r.getWeight())
        .containsExactly("web-stable=70", "web-canary=15", "web-baseline=15");
    // Read without a baseline in the spec, the same route still adds up: its baseline's weight is seen, and set back.
    assertThat(router.observe(target).shows(15, 0, Optional.empty())).isFalse();
    router.apply(target, 100, 0, 0, Optional.empty());
    assertThat(router.observe(withBaseline).shows(0, 0, Optional.empty())).isTrue();
  }

  @Test
  void withABaselineTheIstioRouteMustNameItAndGetsItsShare() {
    create("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web, namespace: shop}
        spec:
          hosts: [web]
          http:
            - name: main
              route:
                - {destination: {host: web-stable}, weight: 100}
                - {destination: {host: web-canary}, weight: 0}
        """);
    RouteTarget withBaseline = new RouteTarget(target.rollout(), "shop", "web-stable", "web-canary", "web-baseline", true);
    TrafficRouter router = routers.of(TrafficRouting.istio("web"));
    assertThat(router.observe(withBaseline).problems()).singleElement().asString()
        .contains("needs a destination web-baseline too (weight 0)");

    var vs = cluster.client().genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace("shop").withName("web").get();
    @SuppressWarnings("unchecked")
    var http = (List<java.util.Map<String, Object>>) ((java.util.Map<String, Object>) vs.getAdditionalProperties().get("spec")).get("http");
    @SuppressWarnings("unchecked")
    var destinations = (List<Object>) http.get(0).get("route");
    destinations.add(java.util.Map.of("destination", java.util.Map.of("host", "web-baseline"), "weight", 0));
    cluster.client().genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace("shop").resource(vs).update();
    router.apply(withBaseline, 80, 10, 10, Optional.empty());

    Observation.Route seen = router.observe(withBaseline);
    assertThat(seen.problems()).isEmpty();
    assertThat(seen.shows(10, 10, Optional.empty())).as("%s", seen).isTrue();
  }

  @Test
  void gatewayApiReadsDefaultWeightsAsDisagreeingAndSetsEveryRuleThatNamesBothServices() {
    create(TWO_RULES);
    TrafficRouter router = routers.of(TrafficRouting.gatewayApi("web"));

    // The second rule has no weights: Gateway API's default of 1 each is 50/50, not what Vigie set.
    assertThat(router.observe(target).canaryWeight()).isEmpty();
    router.apply(target, 70, 30, 0, Optional.of(HEADER));

    Observation.Route seen = router.observe(target);
    assertThat(seen.canaryWeight()).contains(30);
    assertThat(seen.header()).contains(HEADER);
    HTTPRoute route = cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("web").get();
    assertThat(route.getSpec().getRules()).hasSize(5);
    // A header rule per weighted rule, with that rule's matches plus the header, to the canary alone.
    assertThat(route.getSpec().getRules().get(3).getMatches()).singleElement().satisfies(m -> {
      assertThat(m.getPath().getValue()).isEqualTo("/api");
      assertThat(m.getMethod()).isEqualTo("GET");
      assertThat(m.getHeaders()).singleElement().satisfies(h -> {
        assertThat(h.getName()).isEqualTo("x-canary");
        assertThat(h.getType()).isEqualTo("Exact");
        assertThat(h.getValue()).isEqualTo("true");
      });
    });
    assertThat(route.getSpec().getRules().get(4).getBackendRefs()).singleElement()
        .satisfies(r -> assertThat(r.getName()).isEqualTo("web-canary"));
    assertThat(route.getSpec().getRules().get(2).getBackendRefs()).singleElement()
        .satisfies(r -> assertThat(r.getName()).isEqualTo("other"));

    router.apply(target, 100, 0, 0, Optional.empty());
    assertThat(router.observe(target)).satisfies(r -> {
      assertThat(r.canaryWeight()).contains(0);
      assertThat(r.header()).isEmpty();
    });
    assertThat(cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("web").get().getSpec().getRules())
        .hasSize(3);
  }

  @Test
  void applyingWhatTheRouteAlreadyShowsWritesNothing() {
    create(TWO_RULES);
    TrafficRouter router = routers.of(TrafficRouting.gatewayApi("web"));
    router.apply(target, 90, 10, 0, Optional.of(HEADER));
    int writes = operatorWrites().size();

    router.apply(target, 90, 10, 0, Optional.of(HEADER));

    assertThat(operatorWrites()).hasSize(writes);
  }

  @Test
  void gatewayApiWithSeveralRoutesNeedsThemAllAndSetsThemAlike() {
    create(TWO_RULES);
    TrafficRouter router = routers.of(TrafficRouting.gatewayApi("web", "web-internal"));

    assertThat(router.observe(target).problems()).containsExactly("HTTPRoute shop/web-internal not found: create it or fix "
        + "spec.trafficRouting.gatewayAPI.httpRoutes (and install the Gateway API CRDs if the cluster lacks them)");

    create(TWO_RULES.replace("name: web,", "name: web-internal,"));
    router.apply(target, 60, 40, 0, Optional.empty());
    assertThat(router.observe(target).canaryWeight()).contains(40);
    assertThat(cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("web-internal").get().getSpec()
        .getRules().get(1).getBackendRefs()).extracting(b -> b.getWeight()).containsExactly(60, 40);
  }

  @Test
  void aHeaderRouteThatWouldPassGatewayApisSixteenRulesIsRefusedWithTheFix() {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: shop}
        spec:
          rules:
        """);
    for (int i = 0; i < 9; i++) {
      yaml.append("    - matches: [{path: {type: PathPrefix, value: /p").append(i).append("}}]\n")
          .append("      backendRefs: [{name: web-stable, port: 80, weight: 100}, {name: web-canary, port: 80, weight: 0}]\n");
    }
    create(yaml.toString());

    assertThatThrownBy(() -> routers.of(TrafficRouting.gatewayApi("web")).apply(target, 90, 10, 0, Optional.of(HEADER)))
        .hasMessageContaining("would have 18 rules with the header route, more than the 16 Gateway API allows");
  }

  private static final String VIRTUAL_SERVICE = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: web, namespace: shop}
      spec:
        hosts: [web.example.com]
        http:
          - name: admin
            match: [{uri: {prefix: /admin}}]
            route: [{destination: {host: admin}}]
          - name: primary
            match: [{uri: {prefix: /}}]
            timeout: 5s
            route:
              - destination: {host: web-stable.shop.svc.cluster.local, port: {number: 80}}
                weight: 100
              - destination: {host: web-canary.shop.svc.cluster.local, port: {number: 80}}
                weight: 0
      """;

  @Test
  void istioWeighsTheRoutesWithBothDestinationsAndPutsTheHeaderRouteFirst() {
    create(VIRTUAL_SERVICE);
    TrafficRouter router = routers.of(TrafficRouting.istio("web"));
    assertThat(router.observe(target)).satisfies(r -> {
      assertThat(r.problems()).isEmpty();
      assertThat(r.canaryWeight()).contains(0);
    });

    router.apply(target, 75, 25, 0, Optional.of(HEADER));

    assertThat(router.observe(target).canaryWeight()).contains(25);
    assertThat(router.observe(target).header()).contains(HEADER);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> http = (List<Map<String, Object>>) ((Map<String, Object>) cluster.client()
        .genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace("shop").withName("web").get()
        .getAdditionalProperties().get("spec")).get("http");
    assertThat(http).extracting(r -> r.get("name")).containsExactly("admin", "vigie-header-primary", "primary");
    // Vigie's route keeps the user's timeout and uri match, adds the header, and sends to the canary alone.
    assertThat(http.get(1)).containsEntry("timeout", "5s");
    assertThat(http.get(1).get("match").toString()).contains("prefix=/").contains("x-canary={exact=true}");
    assertThat(http.get(1).get("route").toString()).contains("web-canary").doesNotContain("web-stable").contains("weight=100");
  }

  @Test
  void istioNamesTheRouteThatIsMissingOrSendsElsewhere() {
    create(VIRTUAL_SERVICE);

    assertThat(routers.of(TrafficRouting.istio("web", "main")).observe(target).problems())
        .containsExactly("VirtualService shop/web has no http route named main: fix spec.trafficRouting.istio.virtualService.routes");
    assertThat(routers.of(TrafficRouting.istio("web", "admin")).observe(target).problems()).singleElement()
        .satisfies(p -> assertThat(p).startsWith("VirtualService shop/web http route admin does not send to both web-stable "
            + "and web-canary"));
    assertThat(routers.of(TrafficRouting.istio("other")).observe(target).problems()).singleElement()
        .satisfies(p -> assertThat(p).startsWith("VirtualService shop/other not found: create it or fix "
            + "spec.trafficRouting.istio.virtualService.name"));
  }

  private static final String INGRESS = """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: web, namespace: shop, annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 8m}}
      spec:
        ingressClassName: nginx
        tls: [{hosts: [web.example.com], secretName: web-tls}]
        rules:
          - host: web.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: web-stable, port: {number: 80}}}}
                - {path: /static, pathType: Prefix, backend: {service: {name: cdn, port: {number: 80}}}}
      """;

  @Test
  void nginxOwnsACanaryIngressOnlyWhileTheCanaryGetsTraffic() {
    create(INGRESS);
    TrafficRouter router = routers.of(TrafficRouting.nginx("web"));
    assertThat(router.observe(target).canaryWeight()).contains(0);

    router.apply(target, 85, 15, 0, Optional.of(HEADER));

    var canary = cluster.client().network().v1().ingresses().inNamespace("shop").withName("web-canary").get();
    assertThat(canary.getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "nginx.ingress.kubernetes.io/canary", "true",
        "nginx.ingress.kubernetes.io/canary-weight", "15",
        "nginx.ingress.kubernetes.io/canary-weight-total", "100",
        "nginx.ingress.kubernetes.io/canary-by-header", "x-canary",
        "nginx.ingress.kubernetes.io/canary-by-header-value", "true"));
    assertThat(canary.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(canary.getSpec().getTls()).hasSize(1);
    assertThat(canary.getSpec().getRules().get(0).getHttp().getPaths())
        .extracting(p -> p.getBackend().getService().getName()).containsExactly("web-canary", "cdn");
    assertThat(canary.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    assertThat(router.observe(target)).satisfies(r -> {
      assertThat(r.canaryWeight()).contains(15);
      assertThat(r.header()).contains(HEADER);
    });

    // The user adds a path to their Ingress: the canary Ingress no longer matches and is rewritten.
    cluster.client().network().v1().ingresses().inNamespace("shop").withName("web").edit(i -> {
      i.getSpec().getRules().get(0).getHttp().getPaths().get(0).setPath("/v2");
      return i;
    });
    assertThat(router.observe(target).canaryWeight()).isEmpty();
    router.apply(target, 85, 15, 0, Optional.of(HEADER));
    assertThat(router.observe(target).canaryWeight()).contains(15);

    router.apply(target, 100, 0, 0, Optional.empty());
    assertThat(cluster.client().network().v1().ingresses().inNamespace("shop").withName("web-canary").get()).isNull();
  }

  @Test
  void nginxRefusesAStableIngressNotOnTheStableServiceAndACanaryNameTakenBySomeoneElse() {
    create(INGRESS.replace("name: web-stable", "name: web"));
    assertThat(routers.of(TrafficRouting.nginx("web")).observe(target).problems()).containsExactly("Ingress shop/web sends no "
        + "traffic to Service web-stable: point its backend at web-stable (Vigie creates that Service) or fix "
        + "spec.trafficRouting.nginx.stableIngress");

    create(INGRESS.replace("name: web,", "name: shop-web,"));
    create(INGRESS.replace("name: web,", "name: shop-web-canary,"));
    assertThat(routers.of(TrafficRouting.nginx("shop-web")).observe(target).problems()).containsExactly("Ingress "
        + "shop/shop-web-canary exists and is not owned by this Rollout: Vigie needs that name for its canary Ingress; "
        + "rename or delete it");
  }

  @Test
  void aRoutingSpecWithoutExactlyOneRouterIsAProblem() {
    assertThat(TrafficRouters.problem(new TrafficRouting())).contains(
        "spec.trafficRouting has 0 routers: give exactly one of gatewayAPI, istio or nginx");
  }

  @Test
  void aWeightedRuleThatNamesAServiceTwiceOrSendsElsewhereIsAProblem() {
    create("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: shop}
        spec:
          rules:
            - backendRefs: [{name: web-stable, port: 80, weight: 90}, {name: web-canary, port: 80, weight: 0},
                            {name: legacy, port: 80, weight: 10}]
        """);

    assertThat(routers.of(TrafficRouting.gatewayApi("web")).observe(target).problems()).singleElement()
        .satisfies(p -> assertThat(p).startsWith("HTTPRoute shop/web: a rule that sends to web-stable and web-canary must name "
            + "each once and send to no other backend"));
  }

  @Test
  void istioReadsBackItsOwnHeaderNextToTheUsersHeaderMatches() {
    create(VIRTUAL_SERVICE.replace("match: [{uri: {prefix: /}}]", "match: [{uri: {prefix: /}, headers: {end-user: {exact: jason}}}]"));
    TrafficRouter router = routers.of(TrafficRouting.istio("web", "primary"));

    router.apply(target, 90, 10, 0, Optional.of(HEADER));

    assertThat(router.observe(target)).satisfies(r -> {
      assertThat(r.canaryWeight()).contains(10);
      assertThat(r.header()).contains(HEADER);
    });
  }

  @Test
  void istioDoesNotTakeAnotherNamespacesServiceForOurs() {
    create(VIRTUAL_SERVICE.replace("web-canary.shop.svc.cluster.local", "web-canary.shop-v2.svc.cluster.local"));

    assertThat(routers.of(TrafficRouting.istio("web")).observe(target).problems()).singleElement()
        .satisfies(p -> assertThat(p).contains("has no http route whose destinations are web-stable and web-canary"));
  }

  @Test
  void nginxCopiesTheLegacyClassAnnotationToItsCanaryIngress() {
    create(INGRESS.replace("  ingressClassName: nginx\n", "").replace("annotations: {", "annotations: {kubernetes.io/ingress.class: nginx, "));
    TrafficRouter router = routers.of(TrafficRouting.nginx("web"));

    router.apply(target, 80, 20, 0, Optional.empty());

    assertThat(cluster.client().network().v1().ingresses().inNamespace("shop").withName("web-canary").get().getMetadata()
        .getAnnotations()).containsEntry("kubernetes.io/ingress.class", "nginx");
    assertThat(router.observe(target).canaryWeight()).contains(20);
  }

  @Test
  void sendingEverythingToStableSkipsARouteThatIsGone() {
    create(TWO_RULES);
    TrafficRouter router = routers.of(TrafficRouting.gatewayApi("web", "web-internal"));

    router.apply(target, 100, 0, 0, Optional.empty());

    assertThat(router.observe(target).problems()).singleElement().satisfies(p -> assertThat(p).contains("web-internal not found"));
    assertThat(cluster.client().resources(HTTPRoute.class).inNamespace("shop").withName("web").get().getSpec().getRules().get(1)
        .getBackendRefs()).extracting(b -> b.getWeight()).containsExactly(100, 0);
  }
}
