package io.vigie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigie.api.schema.CrdSchemaValidator;
import io.vigie.convert.Manifest;
import io.vigie.testkit.MockCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * `vigie convert` on real manifests of Argo Rollouts and Flagger (src/test/resources/convert, sources
 * and licenses in its SOURCES.md): what each becomes, the notes a user reads, and bad input.
 */
class ConvertCommandTest {
  static final Path INPUTS = Path.of("src/test/resources/convert");

  record Output(String text, List<ObjectNode> objects) {
    ObjectNode only(String kind) {
      List<ObjectNode> found = objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
      assertThat(found).as("one %s in:%n%s", kind, text).hasSize(1);
      return found.get(0);
    }

    ObjectNode named(String kind, String name) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name")
          .asText())).findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in:\n" + text));
    }

    List<String> kinds() {
      return objects.stream().map(o -> o.path("kind").asText() + " " + o.path("metadata").path("name").asText()).toList();
    }
  }

  static Output convert(String... files) throws IOException {
    CommandLineRun run = new CommandLineRun();
    List<String> args = new ArrayList<>(List.of("convert"));
    for (String file : files) {
      args.add("-f");
      args.add(INPUTS.resolve(file).toString());
    }
    assertThat(run.execute(args.toArray(String[]::new))).as("exit code; stderr: %s", run.err).isZero();
    return new Output(run.out.toString(), Manifest.read(run.out.toString(), "output"));
  }

  @Test
  void everyVigieObjectWrittenFromTheRealManifestsIsAcceptedByVigiesSchemas() throws IOException {
    Map<String, CrdSchemaValidator> schemas = Map.of(
        "Rollout", CrdSchemaValidator.forCrd(MockCluster.CRDS.resolve("rollouts.vigie.io-v1.yml"), "v1alpha1"),
        "AnalysisTemplate", CrdSchemaValidator.forCrd(MockCluster.CRDS.resolve("analysistemplates.vigie.io-v1.yml"), "v1alpha1"),
        "ClusterAnalysisTemplate", CrdSchemaValidator.forCrd(MockCluster.CRDS.resolve("clusteranalysistemplates.vigie.io-v1.yml"),
            "v1alpha1"));
    int rollouts = 0;
    int templates = 0;
    List<Path> files;
    try (Stream<Path> list = Stream.concat(Files.list(INPUTS.resolve("argo")), Files.list(INPUTS.resolve("flagger")))) {
      files = list.filter(f -> !f.getFileName().toString().startsWith("podinfo-") && !f.endsWith("nginx-md-rollout.yaml"))
          .sorted().toList();
    }
    for (Path file : files) {
      Output out = convert(INPUTS.relativize(file).toString());
      assertThat(out.text()).as("%s says where each object came from", file).contains("# vigie convert: from ");
      for (ObjectNode object : out.objects()) {
        if (object.path("apiVersion").asText().startsWith("vigie.io/")) {
          String kind = object.path("kind").asText();
          assertThat(schemas).containsKey(kind);
          assertThat(schemas.get(kind).validate(object.toString())).as("%s %s from %s", kind, object.path("metadata")
              .path("name").asText(), file).isEmpty();
          rollouts += kind.equals("Rollout") ? 1 : 0;
          templates += kind.endsWith("AnalysisTemplate") ? 1 : 0;
        }
        assertThat(object.path("apiVersion").asText()).as("nothing of the peers is left in %s", file)
            .doesNotStartWith("argoproj.io").doesNotStartWith("flagger.app");
      }
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(30);
    assertThat(rollouts).isGreaterThanOrEqualTo(20);
    assertThat(templates).isGreaterThanOrEqualTo(9);
  }

  @Test
  void anArgoCanaryWithAPodTemplateBecomesTheDeploymentItImpliesAndARolloutOfTheSameSteps() throws IOException {
    Output out = convert("argo/rollout-canary.yaml");
    assertThat(out.kinds()).containsExactly("Deployment rollout-canary", "Rollout rollout-canary");
    JsonNode deployment = out.only("Deployment");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(5);
    assertThat(deployment.path("spec").path("template").path("spec").path("containers").path(0).path("image").asText())
        .isEqualTo("argoproj/rollouts-demo:blue");
    assertThat(deployment.path("spec").path("selector").toString()).isEqualTo("{\"matchLabels\":{\"app\":\"rollout-canary\"}}");
    JsonNode spec = out.only("Rollout").path("spec");
    assertThat(spec.path("targetRef").toString()).isEqualTo("{\"kind\":\"Deployment\",\"name\":\"rollout-canary\"}");
    assertThat(spec.path("strategy").path("canary").path("steps").toString()).isEqualTo("[{\"setWeight\":20},{\"pause\":{}},"
        + "{\"setWeight\":40},{\"pause\":{\"duration\":\"40s\"}},{\"setWeight\":60},{\"pause\":{\"duration\":\"20s\"}},"
        + "{\"setWeight\":80},{\"pause\":{\"duration\":\"20s\"}}]");
    assertThat(out.text()).contains("# changed: spec.strategy.canary.steps[3].pause.duration: 40 -> 40s (a number is seconds)")
        .contains("# to do: the Argo Rollout names no Service; Vigie routes through the Service in front of the pods: "
            + "rollout-canary is assumed, create it or fix spec.service");
  }

  @Test
  void aWorkloadRefKeepsTheUsersDeploymentAtTheRolloutsSize() throws IOException {
    Output out = convert("argo/workload-ref.yaml");
    assertThat(out.kinds()).containsExactly("Deployment rollout-ref-deployment", "Rollout rollout-ref-deployment");
    assertThat(out.only("Deployment").path("spec").path("replicas").asInt()).as("Argo kept it at 0").isEqualTo(5);
    assertThat(out.text()).contains("# changed: spec.replicas: 0 -> 5 (from the Argo Rollout");
    assertThat(out.only("Rollout").path("spec").path("targetRef").path("name").asText()).isEqualTo("rollout-ref-deployment");
  }

  @Test
  void argosStableAndCanaryServicesGiveWayToVigiesAndTheRoutesSendToThem() throws IOException {
    Output istio = convert("argo/e2e-istio-canary-background-analysis.yaml");
    assertThat(istio.kinds()).containsExactly("Service istio-canary-bg-analysis", "VirtualService istio-canary-bg-analysis-vsvc",
        "Deployment istio-canary-bg-analysis", "Rollout istio-canary-bg-analysis");
    JsonNode spec = istio.only("Rollout").path("spec");
    assertThat(spec.path("service").toString()).isEqualTo("{\"name\":\"istio-canary-bg-analysis\",\"port\":80}");
    assertThat(spec.path("trafficRouting").toString())
        .isEqualTo("{\"istio\":{\"virtualService\":{\"name\":\"istio-canary-bg-analysis-vsvc\",\"routes\":[\"primary\"]}}}");
    assertThat(spec.path("analysis").toString()).isEqualTo("{\"templates\":[{\"name\":\"sleep-job\"}]}");
    assertThat(istio.only("VirtualService").path("spec").path("http").path(0).path("route").path(1).path("destination")
        .path("host").asText()).as("already Vigie's name").isEqualTo("istio-canary-bg-analysis-canary");

    Output gateway = convert("argo/gatewayapi-md-rollout.yaml");
    assertThat(gateway.only("Rollout").path("spec").path("service").path("name").asText()).isEqualTo("argo-rollouts-service");
    assertThat(gateway.only("Rollout").path("spec").path("trafficRouting").toString())
        .isEqualTo("{\"gatewayAPI\":{\"httpRoute\":\"argo-rollouts-http-route\"}}");
    JsonNode route = gateway.only("HTTPRoute");
    assertThat(route.path("apiVersion").asText()).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(route.path("spec").path("rules").path(0).path("backendRefs").toString()).isEqualTo(
        "[{\"name\":\"argo-rollouts-service-stable\",\"port\":80,\"weight\":100},"
            + "{\"name\":\"argo-rollouts-service-canary\",\"port\":80,\"weight\":0}]");
  }

  @Test
  void aBlueGreenRolloutKeepsItsServicesAndWaitsForAPromoteWhenArgoDid() throws IOException {
    Output out = convert("argo/rollout-bluegreen.yaml");
    JsonNode spec = out.only("Rollout").path("spec");
    assertThat(spec.path("service").toString()).isEqualTo("{\"name\":\"rollout-bluegreen-active\",\"port\":80}");
    assertThat(spec.path("strategy").toString())
        .isEqualTo("{\"blueGreen\":{\"previewService\":{\"name\":\"rollout-bluegreen-preview\"}}}");
    assertThat(out.kinds()).contains("Service rollout-bluegreen-active", "Service rollout-bluegreen-preview");
  }

  @Test
  void analysisTemplatesCarryTheirMetricsInCelAndSayWhatTheyCannot() throws IOException {
    Output prometheus = convert("argo/prometheus-md-success-rate-template.yaml");
    JsonNode metric = prometheus.only("AnalysisTemplate").path("spec").path("metrics").path(0);
    assertThat(metric.path("successCondition").asText()).isEqualTo("result >= 0.95");
    assertThat(metric.path("interval").asText()).isEqualTo("5m");
    assertThat(metric.path("failureLimit").asInt()).isEqualTo(3);
    assertThat(metric.path("provider").path("prometheus").path("timeout").asText()).isEqualTo("40s");
    assertThat(metric.path("provider").path("prometheus").path("query").asText()).contains("{{args.service-name}}");
    assertThat(prometheus.text()).contains("# changed: spec.metrics[0].successCondition: \"result[0] >= 0.95\" -> \"result >= 0.95\"")
        .contains("# not carried over: spec.metrics[0].provider.prometheus.headers: Vigie sends only auth headers");

    Output range = convert("argo/prometheus-md-range-query-template.yaml");
    assertThat(range.text()).contains("# not carried over: spec.metrics[0].provider.prometheus.rangeQuery")
        .contains("# to do: spec.metrics[0].successCondition \"all(result, # < 1000)\" uses functions of Argo's expr language");

    Output web = convert("argo/e2e-rollout-bg-analysis-withArgs.yaml");
    JsonNode webMetric = web.named("AnalysisTemplate", "analysis-secret").path("spec").path("metrics").path(0);
    assertThat(webMetric.path("provider").path("web").path("jsonPointer").asText()).isEqualTo("/message");
    assertThat(webMetric.has("interval")).as("an arg-filled duration is not guessed").isFalse();
    assertThat(web.text()).contains("# not carried over: spec.metrics[0].interval: \"{{args.analysis-interval}}\" is filled "
        + "from an arg");
    assertThat(web.named("Rollout", "rollout-bg-analysis").path("spec").path("analysis").path("args").size()).isEqualTo(4);

    Output cluster = convert("argo/cluster-analysis-templates.yaml");
    assertThat(cluster.only("ClusterAnalysisTemplate").path("spec").path("metrics").path(0).path("provider").has("job")).isTrue();
    Output steps = convert("argo/rollout-canary-with-cluster-analysis.yaml");
    assertThat(steps.only("Rollout").path("spec").path("strategy").path("canary").path("steps").toString())
        .contains("{\"name\":\"always-pass\",\"clusterScope\":true}");
  }

  @Test
  void aFlaggerIstioCanaryBecomesARolloutWithTheRoutesAndServiceFlaggerGenerated() throws IOException {
    Output out = convert("flagger/istio-canary-hpa-webhooks.yaml");
    assertThat(out.kinds()).containsExactly("Service podinfo", "VirtualService podinfo", "Rollout podinfo");
    JsonNode vs = out.only("VirtualService").path("spec");
    assertThat(vs.path("hosts").toString()).isEqualTo("[\"app.example.com\",\"podinfo\"]");
    assertThat(vs.path("gateways").toString()).isEqualTo("[\"public-gateway.istio-system.svc.cluster.local\",\"mesh\"]");
    assertThat(vs.path("http").path(0).path("route").toString()).isEqualTo(
        "[{\"weight\":100,\"destination\":{\"host\":\"podinfo-stable\",\"port\":{\"number\":9898}}},"
            + "{\"weight\":0,\"destination\":{\"host\":\"podinfo-canary\",\"port\":{\"number\":9898}}}]");
    assertThat(vs.path("http").path(0).path("retries").path("attempts").asInt()).isEqualTo(3);
    JsonNode spec = out.only("Rollout").path("spec");
    assertThat(spec.path("service").toString()).isEqualTo("{\"name\":\"podinfo\",\"port\":9898}");
    assertThat(spec.path("strategy").path("canary").path("steps").size()).as("10..50 by 10, a pause after each").isEqualTo(10);
    assertThat(spec.path("strategy").path("canary").path("steps").path(8).toString()).isEqualTo("{\"setWeight\":50}");
    assertThat(spec.path("strategy").path("canary").path("steps").path(9).toString()).isEqualTo("{\"pause\":{\"duration\":\"1m\"}}");
    JsonNode metrics = spec.path("analysis").path("metrics");
    assertThat(metrics.path(0).path("thresholdRange").toString()).isEqualTo("{\"min\":99.0}");
    assertThat(metrics.path(0).path("failureLimit").asInt()).as("threshold 5").isEqualTo(4);
    assertThat(metrics.path(0).path("provider").path("prometheus").path("query").asText())
        .contains("istio_requests_total{reporter=\"destination\",destination_workload_namespace=\"{{args.namespace}}\","
            + "destination_workload=\"{{args.canary-deployment}}\",response_code!~\"5.*\"}[1m]");
    assertThat(metrics.path(1).path("provider").path("prometheus").path("query").asText())
        .contains("istio_request_duration_milliseconds_bucket").contains("[30s]");
    assertThat(spec.path("gates").toString()).contains("{\"name\":\"acceptance-test\",\"type\":\"preRollout\"")
        .contains("{\"name\":\"load-test\",\"type\":\"loadTest\"");
    assertThat(out.text()).contains("# not carried over: spec.service.trafficPolicy")
        .contains("# to do: before applying: delete the Flagger Canary");
  }

  @Test
  void flaggerMetricTemplatesAreInlinedWithVigiesArgsAndWrittenAsTemplates() throws IOException {
    Output out = convert("flagger/gatewayapi-canary-with-metrictemplates.yaml");
    assertThat(out.kinds()).containsExactly("AnalysisTemplate latency", "AnalysisTemplate error-rate", "Service podinfo",
        "HTTPRoute podinfo", "Rollout podinfo");
    JsonNode latency = out.only("Rollout").path("spec").path("analysis").path("metrics").path(1);
    assertThat(latency.path("thresholdRange").toString()).isEqualTo("{\"max\":0.5}");
    assertThat(latency.path("provider").path("prometheus").path("query").asText())
        .contains("envoy_cluster_name=~\"{{args.namespace}}_{{args.canary-service}}_[0-9a-zA-Z-]+\"").contains("}[30s]")
        .doesNotContain("{{ ");
    assertThat(out.named("AnalysisTemplate", "latency").path("spec").path("metrics").path(0).path("successCondition").asText())
        .isEqualTo("result >= {{args.min}} && result <= {{args.max}}");
    assertThat(out.only("HTTPRoute").path("spec").path("parentRefs").toString())
        .isEqualTo("[{\"name\":\"contour\",\"namespace\":\"projectcontour\"}]");

    Output datadog = convert("flagger/metrictemplate-datadog-not-found-percentage.yaml");
    assertThat(datadog.objects()).isEmpty();
    assertThat(datadog.text()).contains("# not carried over: MetricTemplate not-found-percentage: its provider is datadog");
  }

  @Test
  void flaggerNginxBlueGreenAndABTestingCarryWhatVigieHas() throws IOException {
    Output nginx = convert("flagger/nginx-canary-with-ingress.yaml");
    assertThat(nginx.only("Rollout").path("spec").path("trafficRouting").toString())
        .isEqualTo("{\"nginx\":{\"stableIngress\":\"podinfo\"}}");
    assertThat(nginx.only("Ingress").path("spec").path("rules").path(0).path("http").path("paths").path(0).path("backend")
        .path("service").path("name").asText()).isEqualTo("podinfo-stable");
    assertThat(nginx.only("Rollout").path("spec").path("analysis").path("metrics").path(0).path("provider").path("prometheus")
        .path("query").asText()).contains("ingress=\"podinfo-canary\"");

    Output blueGreen = convert("flagger/kubernetes-blue-green-canary.yaml", "flagger/kubernetes-blue-green-metrictemplate.yaml");
    JsonNode strategy = blueGreen.only("Rollout").path("spec").path("strategy");
    assertThat(strategy.toString()).isEqualTo("{\"blueGreen\":{\"autoPromotionSeconds\":300}}");
    assertThat(blueGreen.text()).contains("# changed: spec.analysis.iterations: 10 x 30s -> a blue-green release promoted after");

    Output ab = convert("flagger/istio-ab-testing-canary.yaml");
    assertThat(ab.only("Rollout").path("spec").path("strategy").path("canary").path("steps").toString())
        .isEqualTo("[{\"pause\":{\"duration\":\"600s\"}}]");
    assertThat(ab.text()).contains("# to do: spec.analysis.match: Vigie's header route matches one header by its exact value");

    Output exact = convert("flagger/gatewayapi-ab-canary-e2e.yaml");
    assertThat(exact.only("Rollout").path("spec").path("strategy").path("canary").path("steps").path(0).has("setHeaderRoute"))
        .isTrue();
  }

  @Test
  void badInputIsOneLineAndExitThree() throws IOException {
    CommandLineRun yaml = new CommandLineRun();
    assertThat(yaml.execute("convert", "-f", INPUTS.resolve("argo/nginx-md-rollout.yaml").toString())).isEqualTo(3);
    assertThat(yaml.err.toString()).isEqualTo("vigie convert: " + INPUTS.resolve("argo/nginx-md-rollout.yaml")
        + " line 5: mapping values are not allowed here\n");
    assertThat(yaml.out.toString()).isEmpty();

    CommandLineRun nothing = new CommandLineRun();
    assertThat(nothing.execute("convert", "-f", INPUTS.resolve("flagger/podinfo-hpa.yaml").toString())).isEqualTo(3);
    assertThat(nothing.err.toString()).contains("nothing to convert in").contains("no flagger.app Canary or MetricTemplate");

    CommandLineRun missing = new CommandLineRun();
    assertThat(missing.execute("convert", "-f", "no-such.yaml")).isEqualTo(3);
    assertThat(missing.err.toString()).isEqualTo("vigie convert: no-such.yaml: no such file\n");

    Path list = Files.createTempFile("convert", ".yaml");
    Files.writeString(list, "- a\n- b\n");
    CommandLineRun notObjects = new CommandLineRun();
    assertThat(notObjects.execute("convert", "-f", list.toString())).isEqualTo(3);
    assertThat(notObjects.err.toString()).contains("document 1 is not a Kubernetes object (no kind)");
    Files.delete(list);
  }
}
