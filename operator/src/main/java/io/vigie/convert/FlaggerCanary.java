package io.vigie.convert;

import static io.vigie.convert.ArgoAnalysis.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Flagger Canary as a Vigie Rollout. Flagger owns the Services and routes it generates; Vigie
 * weighs the user's, so the conversion writes them: the Service in front of the app, and the Istio
 * VirtualService or Gateway API HTTPRoute the Canary's service section describes. Weights in steps
 * become setWeight and a pause of one interval each; iterations become a header-routed pause (A/B)
 * or a blue-green release judged before the switch.
 */
final class FlaggerCanary {
  private static final Map<String, String> WEBHOOKS = Map.of(
      "pre-rollout", "preRollout", "confirm-rollout", "preRollout", "rollout", "loadTest",
      "confirm-promotion", "confirmPromotion", "post-rollout", "postRollout");
  private static final List<String> ANALYSIS_CARRIED = List.of("interval", "threshold", "maxWeight", "stepWeight",
      "stepWeights", "iterations", "match", "metrics", "webhooks");
  private static final List<String> SERVICE_CARRIED = List.of("name", "port", "targetPort", "portName", "hosts", "gateways",
      "gatewayRefs", "timeout", "retries", "portDiscovery");

  private final ObjectNode flagger;
  private final Inputs inputs;
  private final Notes notes = new Notes();
  private final List<Converted> out = new ArrayList<>();

  private FlaggerCanary(ObjectNode flagger, Inputs inputs) {
    this.flagger = flagger;
    this.inputs = inputs;
  }

  static List<Converted> convert(ObjectNode flagger, Inputs inputs) {
    return new FlaggerCanary(flagger, inputs).convert();
  }

  private List<Converted> convert() {
    String name = Inputs.name(flagger);
    String from = "from flagger.app Canary " + name;
    JsonNode spec = flagger.path("spec");
    JsonNode analysis = spec.has("analysis") ? spec.get("analysis") : spec.path("canaryAnalysis");
    if (spec.has("canaryAnalysis")) {
      notes.changed("spec.canaryAnalysis", "-> read as spec.analysis (Flagger's older API)");
    }
    JsonNode targetRef = spec.path("targetRef");
    if (!"Deployment".equals(targetRef.path("kind").asText("Deployment")) || !targetRef.has("name")) {
      notes.dropped("Canary " + name, "its target is a " + targetRef.path("kind").asText("missing") + "; Vigie's is a Deployment");
      return List.of(new Converted(NODES.objectNode(), from, notes.lines()));
    }
    String target = targetRef.get("name").asText();
    JsonNode service = spec.path("service");
    String serviceName = service.path("name").asText(target);
    int port = service.path("port").asInt(80);
    String provider = provider(spec, service);

    ObjectNode vigieSpec = NODES.objectNode();
    vigieSpec.putObject("targetRef").put("kind", "Deployment").put("name", target);
    vigieSpec.putObject("service").put("name", serviceName).put("port", port);
    appService(serviceName, target, service, port);
    routing(provider, serviceName, port, service, spec).ifPresent(r -> vigieSpec.set("trafficRouting", r));

    String interval = DurationText.of(analysis.get("interval"), "spec.analysis.interval", notes).orElse("1m");
    int threshold = analysis.path("threshold").asInt(1);
    int iterations = analysis.path("iterations").asInt(0);
    boolean blueGreen = iterations > 0 && !analysis.has("match");
    var context = new FlaggerMetrics.Context(provider, interval, blueGreen ? iterations : 0, Math.max(0, threshold - 1),
        spec.path("ingressRef").path("name").asText(serviceName));
    ArrayNode metrics = NODES.arrayNode();
    int i = 0;
    for (JsonNode metric : analysis.path("metrics")) {
      FlaggerMetrics.metric(metric, "spec.analysis.metrics[" + i++ + "]", context, inputs, notes).ifPresent(metrics::add);
    }
    if (!metrics.isEmpty()) {
      notes.changed("spec.analysis.threshold", threshold + " failed checks -> failureLimit " + (threshold - 1)
          + " on each metric (Flagger counts the checks of all metrics together)");
    }
    ObjectNode strategy = vigieSpec.putObject("strategy");
    if (blueGreen) {
      ObjectNode bg = strategy.putObject("blueGreen");
      if (!metrics.isEmpty()) {
        bg.putObject("prePromotionAnalysis").set("metrics", metrics);
        bg.put("autoPromotionSeconds", 0);
        notes.changed("spec.analysis.iterations", iterations + " -> a blue-green release whose pre-promotion analysis "
            + "takes " + iterations + " measurements, one per interval, then switches");
      } else {
        bg.put("autoPromotionSeconds", (int) Math.min(86_400, iterations * DurationText.seconds(interval)));
        notes.changed("spec.analysis.iterations", iterations + " x " + interval + " -> a blue-green release promoted after "
            + "that time (no metric carried over to judge it)");
      }
      if (analysis.has("webhooks")) {
        notes.dropped("spec.analysis.webhooks", "Vigie's gates apply to canary releases; a blue-green release is judged by "
            + "its pre-promotion analysis (a web metric can call the same endpoint)");
      }
    } else {
      strategy.putObject("canary").set("steps", steps(analysis, interval, iterations));
      if (!metrics.isEmpty()) {
        vigieSpec.putObject("analysis").set("metrics", metrics);
      }
      gates(analysis.path("webhooks"), interval).ifPresent(g -> vigieSpec.set("gates", g));
    }
    if (spec.has("progressDeadlineSeconds")) {
      vigieSpec.put("progressDeadlineSeconds", spec.get("progressDeadlineSeconds").asInt());
    }
    leftovers(spec, analysis, service, target, serviceName);
    ObjectNode rollout = Manifest.object("Rollout", ArgoAnalysis.metadata(flagger));
    rollout.set("spec", vigieSpec);
    out.add(new Converted(rollout, from, notes.lines()));
    return out;
  }

  private String provider(JsonNode spec, JsonNode service) {
    if (spec.has("provider")) {
      return spec.get("provider").asText().replaceAll(":.*", "");
    }
    String assumed = service.has("gatewayRefs") ? "gatewayapi" : spec.has("ingressRef") ? "nginx" : "istio";
    notes.changed("spec.provider", "not set -> " + assumed + " assumed (Flagger's mesh provider is set at its install)");
    return assumed;
  }

  /** The Service in front of the app: Flagger generated it; with Vigie it is the user's. */
  private void appService(String serviceName, String target, JsonNode service, int port) {
    if (inputs.find("Service", serviceName).isPresent()) {
      return;
    }
    ObjectNode selector = NODES.objectNode();
    inputs.find("Deployment", target).map(d -> d.path("spec").path("selector").path("matchLabels"))
        .filter(JsonNode::isObject).ifPresentOrElse(labels -> selector.setAll((ObjectNode) labels.deepCopy()),
            () -> selector.put("app", target));
    ObjectNode svc = NODES.objectNode().put("apiVersion", "v1").put("kind", "Service");
    svc.set("metadata", ArgoAnalysis.metadata(flagger).put("name", serviceName));
    ObjectNode svcSpec = svc.putObject("spec");
    svcSpec.set("selector", selector);
    ObjectNode p = svcSpec.putArray("ports").addObject().put("name", service.path("portName").asText("http")).put("port", port);
    JsonNode targetPort = service.path("targetPort");
    if (targetPort.isInt()) {
      p.put("targetPort", targetPort.asInt());
    } else {
      p.put("targetPort", targetPort.isTextual() ? targetPort.asText() : String.valueOf(port));
    }
    out.add(new Converted(svc, "the Service in front of Deployment " + target + " (Flagger generated its own)", List.of(
        "Vigie's spec.service: it selects all the app's pods; Vigie creates " + serviceName + "-stable and " + serviceName
            + "-canary beside it" + (inputs.find("Deployment", target).isEmpty() ? "; selector app=" + target
            + " assumed: use your pods' labels" : ""))));
  }

  private Optional<ObjectNode> routing(String provider, String serviceName, int port, JsonNode service, JsonNode spec) {
    ObjectNode routing = NODES.objectNode();
    switch (provider) {
      case "istio" -> {
        ObjectNode vs = NODES.objectNode().put("apiVersion", "networking.istio.io/v1").put("kind", "VirtualService");
        vs.set("metadata", ArgoAnalysis.metadata(flagger).put("name", serviceName));
        ObjectNode vsSpec = vs.putObject("spec");
        ArrayNode hosts = vsSpec.putArray("hosts");
        service.path("hosts").forEach(h -> hosts.add(h.asText()));
        hosts.add(serviceName);
        if (service.has("gateways")) {
          ArrayNode gateways = vsSpec.putArray("gateways");
          service.get("gateways").forEach(g -> gateways.add(g.asText()));
          gateways.add("mesh");
        }
        ObjectNode http = vsSpec.putArray("http").addObject().put("name", "primary");
        ArrayNode route = http.putArray("route");
        route.addObject().put("weight", 100).putObject("destination").put("host", serviceName + "-stable").putObject("port")
            .put("number", port);
        route.addObject().put("weight", 0).putObject("destination").put("host", serviceName + "-canary").putObject("port")
            .put("number", port);
        for (String field : List.of("timeout", "retries")) {
          if (service.has(field)) {
            http.set(field, service.get(field).deepCopy());
          }
        }
        out.add(new Converted(vs, "the VirtualService Flagger generated for Canary " + Inputs.name(flagger), List.of(
            "yours now: Vigie weighs its route 'primary' between " + serviceName + "-stable and " + serviceName + "-canary")));
        routing.putObject("istio").putObject("virtualService").put("name", serviceName).putArray("routes").add("primary");
      }
      case "gatewayapi" -> {
        ObjectNode route = NODES.objectNode().put("apiVersion", "gateway.networking.k8s.io/v1").put("kind", "HTTPRoute");
        route.set("metadata", ArgoAnalysis.metadata(flagger).put("name", serviceName));
        ObjectNode routeSpec = route.putObject("spec");
        routeSpec.set("parentRefs", service.path("gatewayRefs").deepCopy());
        if (service.has("hosts")) {
          routeSpec.set("hostnames", service.get("hosts").deepCopy());
        }
        ArrayNode refs = routeSpec.putArray("rules").addObject().putArray("backendRefs");
        refs.addObject().put("name", serviceName + "-stable").put("port", port).put("weight", 100);
        refs.addObject().put("name", serviceName + "-canary").put("port", port).put("weight", 0);
        out.add(new Converted(route, "the HTTPRoute Flagger generated for Canary " + Inputs.name(flagger), List.of(
            "yours now: Vigie weighs its backendRefs " + serviceName + "-stable and " + serviceName + "-canary")));
        routing.putObject("gatewayAPI").put("httpRoute", serviceName);
      }
      case "nginx" -> {
        String ingress = spec.path("ingressRef").path("name").asText(serviceName);
        routing.putObject("nginx").put("stableIngress", ingress);
        inputs.renameService(serviceName, serviceName + "-stable");
        if (inputs.find("Ingress", ingress).isEmpty()) {
          notes.forAPerson("point Ingress " + ingress + " at Service " + serviceName + "-stable (Vigie's): Flagger's pointed at "
              + serviceName);
        }
      }
      case "kubernetes" -> {
        return Optional.empty();
      }
      default -> notes.dropped("spec.provider " + provider, "Vigie routes through Gateway API, Istio or NGINX: replica-ratio "
          + "routing is used (the share of canary pods behind Service " + serviceName + ")");
    }
    return routing.isEmpty() ? Optional.empty() : Optional.of(routing);
  }

  private ArrayNode steps(JsonNode analysis, String interval, int iterations) {
    ArrayNode steps = NODES.arrayNode();
    if (iterations > 0) {
      JsonNode headers = analysis.path("match").path(0).path("headers");
      Optional<Map.Entry<String, JsonNode>> exact = headers.size() == 1 ? headers.properties().stream().findFirst()
          .filter(e -> e.getValue().has("exact")) : Optional.empty();
      if (exact.isPresent() && analysis.path("match").size() == 1) {
        steps.addObject().putObject("setHeaderRoute").put("header", exact.get().getKey())
            .put("value", exact.get().getValue().get("exact").asText());
      } else {
        notes.forAPerson("spec.analysis.match: Vigie's header route matches one header by its exact value; these matches ("
            + analysis.path("match") + ") are not carried: write a setHeaderRoute step");
      }
      long seconds = iterations * DurationText.seconds(interval);
      steps.addObject().putObject("pause").put("duration", seconds + "s");
      notes.changed("spec.analysis.iterations", iterations + " x " + interval + " of A/B testing -> a header route, then a "
          + "pause of " + seconds + "s while the analysis judges the canary, then the promotion");
      return steps;
    }
    List<Integer> weights = new ArrayList<>();
    if (analysis.has("stepWeights")) {
      analysis.get("stepWeights").forEach(w -> weights.add(w.asInt()));
    } else {
      int step = analysis.path("stepWeight").asInt(10);
      int max = analysis.path("maxWeight").asInt(50);
      for (int w = step; w <= max && step > 0; w += step) {
        weights.add(w);
      }
    }
    for (int w : weights) {
      steps.addObject().put("setWeight", w);
      steps.addObject().putObject("pause").put("duration", interval);
    }
    if (steps.isEmpty()) {
      steps.addObject().put("setWeight", 100);
    }
    notes.changed("spec.analysis stepWeight/maxWeight", "-> " + weights.size() + " steps: setWeight, then a pause of one "
        + "interval (" + interval + ") each; the analysis judges the canary in the background all along");
    return steps;
  }

  private Optional<ArrayNode> gates(JsonNode webhooks, String interval) {
    ArrayNode gates = NODES.arrayNode();
    int i = 0;
    for (JsonNode hook : webhooks) {
      String at = "spec.analysis.webhooks[" + i++ + "]";
      String type = hook.path("type").asText("rollout");
      String gateType = WEBHOOKS.get(type);
      if (gateType == null) {
        notes.dropped(at + " (" + type + ")", type.equals("rollback") || type.equals("event")
            ? "Vigie tells other systems through notifications (a webhook channel, docs/notifications.md)"
            : "Vigie has no gate of this type (docs/gates.md lists them)");
        continue;
      }
      ObjectNode gate = gates.addObject().put("name", hook.path("name").asText("hook-" + i).toLowerCase()
          .replaceAll("[^a-z0-9-]", "-")).put("type", gateType).put("url", hook.path("url").asText());
      DurationText.of(hook.get("timeout"), at + ".timeout", notes).ifPresent(t -> gate.put("timeout",
          DurationText.seconds(t) > 60 ? "60s" : t));
      if (DurationText.seconds(interval) >= 5 && DurationText.seconds(interval) <= 3600) {
        gate.put("interval", interval);
      }
      if (hook.has("metadata")) {
        gate.set("metadata", hook.get("metadata").deepCopy());
      }
      if (type.equals("rollout")) {
        notes.changed(at, "a rollout hook -> a loadTest gate, called every interval during the steps; Flagger counted its "
            + "failures as failed checks, Vigie reports them (use a step gate with onFailure: Abort to judge)");
      } else if (type.equals("confirm-rollout")) {
        notes.changed(at, "confirm-rollout -> a preRollout gate: both hold the release until the answer is 2xx");
      }
    }
    return gates.isEmpty() ? Optional.empty() : Optional.of(gates);
  }

  private void leftovers(JsonNode spec, JsonNode analysis, JsonNode service, String target, String serviceName) {
    notes.forAPerson("before applying: delete the Flagger Canary (with revertOnDeletion: true Flagger scales Deployment " + target
        + " back up; otherwise scale it yourself) and its generated " + serviceName + "-primary and " + serviceName
        + "-canary Services and " + target + "-primary Deployment: Vigie needs your Deployment at full size and creates "
        + serviceName + "-canary and " + serviceName + "-stable itself");
    if (spec.has("autoscalerRef")) {
      notes.changed("spec.autoscalerRef", spec.get("autoscalerRef").path("name").asText() + " -> keep the HPA on Deployment "
          + target + " as it is: Vigie sizes the canary from it (docs/integrations.md#hpa)");
    }
    for (Map.Entry<String, JsonNode> e : spec.properties()) {
      if (!List.of("targetRef", "service", "analysis", "canaryAnalysis", "progressDeadlineSeconds", "provider",
          "autoscalerRef", "ingressRef").contains(e.getKey())) {
        notes.dropped("spec." + e.getKey(), switch (e.getKey()) {
          case "skipAnalysis" -> "Vigie judges every release; promote by hand with `vigie promote --full`";
          case "suspend" -> "pause a Vigie Rollout with `vigie pause`";
          case "revertOnDeletion" -> "Vigie never scales your Deployment down, so there is nothing to revert";
          default -> "no Vigie equivalent";
        });
      }
    }
    for (Map.Entry<String, JsonNode> e : analysis.properties()) {
      if (!ANALYSIS_CARRIED.contains(e.getKey())) {
        notes.dropped("spec.analysis." + e.getKey(), switch (e.getKey()) {
          case "alerts" -> "tell people with notifications (spec.notifications, docs/notifications.md)";
          case "mirror", "mirrorWeight" -> "Vigie does not mirror traffic";
          case "sessionAffinity" -> "Vigie's header route keeps a tester on the canary (setHeaderRoute)";
          default -> "no Vigie equivalent";
        });
      }
    }
    for (Map.Entry<String, JsonNode> e : service.properties()) {
      if (!SERVICE_CARRIED.contains(e.getKey())) {
        notes.dropped("spec.service." + e.getKey(), "Flagger wrote it into the routes it generated: add it to the route "
            + "object yourself");
      }
    }
  }
}
