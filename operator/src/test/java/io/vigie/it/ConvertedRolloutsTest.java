package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vigie.api.v1alpha1.AnalysisTemplate;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.convert.Converted;
import io.vigie.convert.Manifest;
import io.vigie.convert.ManifestConverter;
import io.vigie.testing.OperatorHarness;
import io.vigie.traffic.IstioRouter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Rollouts `vigie convert` writes from real Argo Rollouts and Flagger manifests, applied as written
 * (plus what their "to do" notes ask) to the mock cluster with the operator running: each adopts its
 * Deployment and runs its first steps on a new image, through the routes the conversion wrote.
 */
class ConvertedRolloutsTest {
  private static final Path INPUTS = Path.of("src/test/resources/convert");
  private static final ResourceDefinitionContext HTTP_ROUTE = new ResourceDefinitionContext.Builder()
      .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("HTTPRoute").withPlural("httproutes")
      .withNamespaced(true).build();

  @Test
  void anArgoCanaryPausesAtItsFirstStepWithTheWeightArgoWouldGive() throws IOException {
    try (OperatorHarness k8s = OperatorHarness.start()) {
      apply(k8s, "argo/rollout-canary.yaml");
      createService(k8s, "rollout-canary", "rollout-canary");   // its "to do": Argo's basic canary has no Service
      k8s.awaitPhase("rollout-canary", RolloutPhase.Healthy);
      k8s.setImage("rollout-canary", "argoproj/rollouts-demo:yellow");
      RolloutStatus paused = k8s.awaitPhase("rollout-canary", RolloutPhase.Paused);
      assertThat(paused.getStep()).isEqualTo("2/8");
      assertThat(paused.getDesiredWeight()).isEqualTo(20);
      assertThat(k8s.deployment("rollout-canary-canary").getSpec().getReplicas()).as("20% of 5").isEqualTo(1);
      assertThat(paused.getCanaryWeight()).as("Vigie keeps stable at 5 pods, so 1 of 6 serves the canary").isEqualTo(17);
    }
  }

  @Test
  void anArgoWorkloadRefRunsOnTheUsersDeploymentScaledBackUp() throws IOException {
    try (OperatorHarness k8s = OperatorHarness.start()) {
      apply(k8s, "argo/workload-ref.yaml");
      createService(k8s, "rollout-ref-deployment", "rollout-ref-deployment");
      k8s.awaitPhase("rollout-ref-deployment", RolloutPhase.Healthy);
      assertThat(k8s.deployment("rollout-ref-deployment").getSpec().getReplicas()).isEqualTo(5);
      k8s.setImage("rollout-ref-deployment", "argoproj/rollouts-demo:yellow");
      RolloutStatus canary = k8s.awaitStatus("rollout-ref-deployment", s -> "2/2".equals(s.getStep()));
      assertThat(canary.getPhase()).isEqualTo(RolloutPhase.Progressing);
      assertThat(canary.getCanaryWeight()).as("1 canary pod beside 5").isEqualTo(17);
      k8s.advance("rollout-ref-deployment", java.time.Duration.ofSeconds(10));
      RolloutStatus promoted = k8s.awaitStatus("rollout-ref-deployment", s -> s.getPhase() == RolloutPhase.Healthy
          && s.getCanaryRevision() == null);
      assertThat(k8s.deployment("rollout-ref-deployment").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("argoproj/rollouts-demo:yellow");
      assertThat(promoted.getHistory()).isNotEmpty();
    }
  }

  @Test
  void anArgoGatewayApiRolloutWeighsTheRewrittenHttpRoute() throws IOException {
    try (OperatorHarness k8s = OperatorHarness.start()) {
      apply(k8s, "argo/gatewayapi-md-rollout.yaml");
      createService(k8s, "argo-rollouts-service", "rollouts-demo");   // its "to do"
      k8s.awaitPhase("rollouts-demo", RolloutPhase.Healthy);
      k8s.setImage("rollouts-demo", "argoproj/rollouts-demo:blue");
      k8s.awaitPhase("rollouts-demo", RolloutPhase.Paused);
      k8s.eventually(() -> assertThat(backendWeights(k8s, "argo-rollouts-http-route"))
          .containsExactly(Map.entry("argo-rollouts-service-stable", 70), Map.entry("argo-rollouts-service-canary", 30)));
    }
  }

  @Test
  void anArgoBlueGreenRolloutRunsGreenBesideBlueAndWaitsForThePromote() throws IOException {
    try (OperatorHarness k8s = OperatorHarness.start()) {
      apply(k8s, "argo/rollout-bluegreen.yaml");
      k8s.awaitPhase("rollout-bluegreen", RolloutPhase.Healthy);
      k8s.setImage("rollout-bluegreen", "argoproj/rollouts-demo:green");
      RolloutStatus waiting = k8s.awaitStatus("rollout-bluegreen", s -> s.getPhase() == RolloutPhase.Paused);
      assertThat(waiting.getBlueGreen()).isNotNull();
      assertThat(k8s.deployment("rollout-bluegreen-canary").getSpec().getReplicas()).as("green at full size").isEqualTo(2);
      assertThat(k8s.service("rollout-bluegreen-preview").getSpec().getSelector()).as("the user's preview Service shows green")
          .containsEntry("vigie.io/role", "canary");
    }
  }

  @Test
  void aFlaggerIstioCanaryHoldsOnItsPreRolloutWebhookThenWeighsTheVirtualServiceItNeeded() throws IOException {
    try (OperatorHarness k8s = withPrometheus()) {
      passTheHeldPreRolloutWebhook(k8s, "flagger/istio-canary-hpa-webhooks.yaml");
      k8s.awaitStatus("podinfo", s -> Integer.valueOf(10).equals(s.getCanaryWeight()));
      k8s.eventually(() -> assertThat(destinationWeights(k8s, "podinfo"))
          .containsExactly(Map.entry("podinfo-stable", 90), Map.entry("podinfo-canary", 10)));
    }
  }

  @Test
  void aFlaggerNginxCanaryGetsVigiesCanaryIngressBesideTheRewrittenOne() throws IOException {
    try (OperatorHarness k8s = withPrometheus()) {
      passTheHeldPreRolloutWebhook(k8s, "flagger/nginx-canary-with-ingress.yaml");
      k8s.awaitStatus("podinfo", s -> Integer.valueOf(5).equals(s.getCanaryWeight()));
      k8s.eventually(() -> {
        Ingress canary = k8s.client().network().v1().ingresses().inNamespace(NS).withName("podinfo-canary").get();
        assertThat(canary).isNotNull();
        assertThat(canary.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/canary-weight", "5");
        assertThat(canary.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName())
            .isEqualTo("podinfo-canary");
      });
    }
  }

  @Test
  void aFlaggerBlueGreenCanaryBecomesABlueGreenReleasePromotedAfterItsIterations() throws IOException {
    try (OperatorHarness k8s = OperatorHarness.start()) {
      apply(k8s, "flagger/podinfo-deployment.yaml");
      apply(k8s, "flagger/kubernetes-blue-green-canary.yaml", "flagger/kubernetes-blue-green-metrictemplate.yaml");
      k8s.awaitPhase("podinfo", RolloutPhase.Healthy);
      String blue = k8s.status("podinfo").getStableRevision();
      k8s.setImage("podinfo", "stefanprodan/podinfo:3.1.1");
      RolloutStatus green = k8s.awaitStatus("podinfo", s -> s.getMessage() != null && s.getMessage().contains("switching at"));
      assertThat(green.getMessage()).contains("ready on Service shop/podinfo-preview");
      k8s.advance("podinfo", java.time.Duration.ofMinutes(5));
      k8s.awaitStatus("podinfo", s -> s.getMessage() != null && s.getMessage().startsWith("green serves all traffic"));
      k8s.advance("podinfo", java.time.Duration.ofSeconds(30));   // blue stays warm for Vigie's default scale-down delay
      RolloutStatus promoted = k8s.awaitStatus("podinfo", s -> s.getPhase() == RolloutPhase.Healthy
          && !blue.equals(s.getStableRevision()));
      assertThat(promoted.getHistory()).isNotEmpty();
    }
  }

  /**
   * A converted Flagger Canary of the podinfo tutorials, released: its pre-rollout webhook (the
   * loadtester, not reachable here) holds it, and a person passes it, as vigie promote does.
   */
  private static void passTheHeldPreRolloutWebhook(OperatorHarness k8s, String canary) throws IOException {
    apply(k8s, "flagger/podinfo-deployment.yaml");
    apply(k8s, canary);
    k8s.awaitPhase("podinfo", RolloutPhase.Healthy);
    k8s.setImage("podinfo", "stefanprodan/podinfo:3.1.1");
    RolloutStatus held = k8s.awaitStatus("podinfo", s -> s.getPhase() == RolloutPhase.Paused && s.getGates() != null);
    assertThat(held.getMessage()).as("the loadtester is not reachable here").contains("acceptance-test");
    k8s.annotate("podinfo", "vigie.io/promote", "true");
  }

  /** As the built-in metrics' note asks: the operator knows where Prometheus is. */
  private static OperatorHarness withPrometheus() {
    return OperatorHarness.start(io.vigie.reconciler.OperatorSettings.defaults("test-operator")
        .withPrometheus("http://prometheus.monitoring:9090"));
  }

  private static Map<String, Integer> backendWeights(OperatorHarness k8s, String route) {
    GenericKubernetesResource r = k8s.client().genericKubernetesResources(HTTP_ROUTE).inNamespace(NS).withName(route).get();
    JsonNode refs = k8s.client().getKubernetesSerialization().convertValue(r, JsonNode.class).path("spec").path("rules").path(0)
        .path("backendRefs");
    Map<String, Integer> weights = new java.util.LinkedHashMap<>();
    refs.forEach(ref -> weights.put(ref.path("name").asText(), ref.path("weight").asInt()));
    return weights;
  }

  private static Map<String, Integer> destinationWeights(OperatorHarness k8s, String virtualService) {
    GenericKubernetesResource vs = k8s.client().genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace(NS)
        .withName(virtualService).get();
    JsonNode route = k8s.client().getKubernetesSerialization().convertValue(vs, JsonNode.class).path("spec").path("http").path(0)
        .path("route");
    Map<String, Integer> weights = new java.util.LinkedHashMap<>();
    route.forEach(d -> weights.put(d.path("destination").path("host").asText(), d.path("weight").asInt()));
    return weights;
  }

  private static void createService(OperatorHarness k8s, String name, String app) {
    k8s.client().services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addToSelector("app", app).addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec().build())
        .create();
  }

  /** `vigie convert -f FILE... | kubectl apply -n shop -f -`, or the file itself when it has nothing to convert. */
  private static void apply(OperatorHarness k8s, String... files) throws IOException {
    List<ObjectNode> documents = new ArrayList<>();
    for (String file : files) {
      documents.addAll(Manifest.read(Files.readString(INPUTS.resolve(file)), file));
    }
    List<ObjectNode> objects = ManifestConverter.hasPeerObjects(documents)
        ? ManifestConverter.convert(documents).stream().map(Converted::object).filter(o -> !o.isEmpty()).toList()
        : documents;
    var json = k8s.client().getKubernetesSerialization();
    for (ObjectNode object : objects) {
      ((ObjectNode) object.get("metadata")).put("namespace", NS);
      switch (object.path("kind").asText()) {
        case "Rollout" -> k8s.client().resources(Rollout.class).inNamespace(NS).resource(json.convertValue(object, Rollout.class))
            .create();
        case "AnalysisTemplate" -> k8s.client().resources(AnalysisTemplate.class).inNamespace(NS)
            .resource(json.convertValue(object, AnalysisTemplate.class)).create();
        case "VirtualService" -> k8s.client().genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace(NS)
            .resource(json.convertValue(object, GenericKubernetesResource.class)).create();
        default -> k8s.client().resource(object.toString()).inNamespace(NS).create();
      }
    }
  }
}
