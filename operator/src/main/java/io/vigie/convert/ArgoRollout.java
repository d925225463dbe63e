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
 * An Argo Rollouts Rollout as a Vigie Rollout: the pod template becomes the Deployment it implies (or
 * the workloadRef's Deployment is kept, at full size), the canary and stable Services become the one
 * Service in front of the app (Vigie owns {@code <service>-stable} and {@code <service>-canary}), and
 * steps, analysis, routing and blue-green carry over where Vigie has them.
 */
final class ArgoRollout {
  private static final Map<String, String> DROPPED_CANARY = Map.of(
      "scaleDownDelaySeconds", "Vigie removes the canary once traffic is back on stable, with no delay to set",
      "abortScaleDownDelaySeconds", "Vigie scales the canary down right after traffic is back on stable",
      "dynamicStableScale", "Vigie never scales your Deployment down during a canary: stable keeps its full size",
      "canaryMetadata", "Vigie labels the canary pods itself (vigie.io/role, vigie.io/revision)",
      "stableMetadata", "Vigie labels the pods itself",
      "antiAffinity", "put the anti-affinity in the pod template",
      "pingPong", "Vigie's canary is a Deployment of its own beside yours (docs/concepts.md)",
      "minPodsPerReplicaSet", "Vigie sizes the canary from the step's weight, at least one pod");
  private static final List<String> CARRIED_CANARY = List.of("steps", "analysis", "trafficRouting", "canaryService",
      "stableService", "maxSurge", "maxUnavailable");

  private final ObjectNode argo;
  private final Inputs inputs;
  private final Notes notes = new Notes();
  private final String name;
  private final List<Converted> out = new ArrayList<>();

  private ArgoRollout(ObjectNode argo, Inputs inputs) {
    this.argo = argo;
    this.inputs = inputs;
    this.name = Inputs.name(argo);
  }

  static List<Converted> convert(ObjectNode argo, Inputs inputs) {
    return new ArgoRollout(argo, inputs).convert();
  }

  private List<Converted> convert() {
    JsonNode spec = argo.path("spec");
    JsonNode strategy = spec.path("strategy");
    ObjectNode vigieSpec = NODES.objectNode();
    Optional<String> target = target(spec, strategy.path("canary"));
    String from = "from argoproj.io Rollout " + name;
    if (target.isEmpty()) {
      out.add(new Converted(NODES.objectNode(), from, notes.lines()));
      return out;
    }
    vigieSpec.putObject("targetRef").put("kind", "Deployment").put("name", target.get());
    ObjectNode vigieStrategy = NODES.objectNode();
    if (strategy.has("blueGreen")) {
      vigieSpec.set("service", blueGreen(strategy.get("blueGreen"), vigieStrategy.putObject("blueGreen")));
    } else if (strategy.has("canary")) {
      JsonNode canary = strategy.get("canary");
      vigieSpec.set("service", canaryService(canary, spec));
      routing(canary.path("trafficRouting")).ifPresent(r -> vigieSpec.set("trafficRouting", r));
      vigieStrategy.putObject("canary").set("steps", steps(canary.path("steps")));
      if (canary.has("analysis")) {
        vigieSpec.set("analysis", ArgoAnalysis.block(canary.get("analysis"), "spec.strategy.canary.analysis", notes));
      }
      canary.properties().forEach(e -> {
        if (!CARRIED_CANARY.contains(e.getKey())) {
          notes.dropped("spec.strategy.canary." + e.getKey(), DROPPED_CANARY.getOrDefault(e.getKey(), "no Vigie equivalent"));
        }
      });
    } else {
      notes.forAPerson("spec.strategy has neither canary nor blueGreen: Vigie's default is written (a canary at 20%, then promote)");
      vigieStrategy.putObject("canary").putArray("steps").addObject().put("setWeight", 20);
    }
    vigieSpec.set("strategy", vigieStrategy);
    if (spec.has("progressDeadlineSeconds")) {
      vigieSpec.put("progressDeadlineSeconds", spec.get("progressDeadlineSeconds").asInt());
    }
    for (String field : List.of("paused", "restartAt", "rollbackWindow", "progressDeadlineAbort", "analysis")) {
      if (spec.has(field)) {
        notes.dropped("spec." + field, switch (field) {
          case "paused" -> "pause a Vigie Rollout with `vigie pause` (the vigie.io/pause annotation)";
          case "rollbackWindow" -> "a rollback in Vigie is a new template of the Deployment, judged like any other";
          case "progressDeadlineAbort" -> "Vigie reports a stalled promotion (condition Stalled) and keeps stable serving";
          default -> "no Vigie equivalent";
        });
      }
    }
    ObjectNode rollout = Manifest.object("Rollout", ArgoAnalysis.metadata(argo));
    rollout.set("spec", vigieSpec);
    out.add(new Converted(rollout, from, notes.lines()));
    return out;
  }

  /** The Deployment Vigie watches: the workloadRef's, or one written from the inline template. */
  private Optional<String> target(JsonNode spec, JsonNode canary) {
    int replicas = spec.path("replicas").asInt(1);
    if (spec.has("workloadRef")) {
      JsonNode ref = spec.get("workloadRef");
      if (!"Deployment".equals(ref.path("kind").asText())) {
        notes.dropped("Rollout " + name, "spec.workloadRef is a " + ref.path("kind").asText() + "; Vigie's target is a "
            + "Deployment: write one from its pod template and convert again");
        return Optional.empty();
      }
      String deployment = ref.path("name").asText();
      if (ref.has("scaleDown")) {
        notes.dropped("spec.workloadRef.scaleDown", "Vigie never scales your Deployment to zero: it stays the stable side");
      }
      inputs.find("Deployment", deployment).ifPresentOrElse(d -> {
        ObjectNode copy = d.deepCopy();
        Notes deploymentNotes = new Notes();
        if (copy.path("spec").path("replicas").asInt(1) != replicas) {
          deploymentNotes.changed("spec.replicas", copy.path("spec").path("replicas").asText("1") + " -> " + replicas
              + " (from the Argo Rollout: Argo ran the pods, Vigie leaves them to your Deployment)");
          ((ObjectNode) copy.get("spec")).put("replicas", replicas);
        }
        inputs.output(d, List.of(new Converted(copy, "Deployment " + deployment + " of Argo's workloadRef", deploymentNotes.lines())));
      }, () -> notes.forAPerson("scale Deployment " + deployment + " to " + replicas + " replicas before applying: Argo's "
          + "workloadRef kept it at 0, Vigie leaves the pods to it"));
      return Optional.of(deployment);
    }
    if (!spec.has("template")) {
      notes.dropped("Rollout " + name, "it has neither spec.template nor spec.workloadRef");
      return Optional.empty();
    }
    ObjectNode deployment = NODES.objectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
    deployment.set("metadata", ArgoAnalysis.metadata(argo));
    ObjectNode deploymentSpec = deployment.putObject("spec").put("replicas", replicas);
    for (String field : List.of("selector", "template", "revisionHistoryLimit", "minReadySeconds")) {
      if (spec.has(field)) {
        deploymentSpec.set(field, spec.get(field).deepCopy());
      }
    }
    if (canary.has("maxSurge") || canary.has("maxUnavailable")) {
      ObjectNode rolling = deploymentSpec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate");
      for (String field : List.of("maxSurge", "maxUnavailable")) {
        if (canary.has(field)) {
          JsonNode value = canary.get(field);
          String text = value.asText().replaceAll("[,\\s]", "");
          if (text.matches("[0-9]+")) {
            rolling.put(field, Integer.parseInt(text));
          } else {
            rolling.put(field, text);
          }
        }
      }
    }
    out.add(new Converted(deployment, "the Deployment implied by Argo Rollout " + name + " (its pod template)", List.of(
        "Vigie's target: your Deployment holds the pod template; a new template starts a canary. "
            + "maxSurge/maxUnavailable, if any, shape the promotion's rolling update")));
    return Optional.of(name);
  }

  private ObjectNode canaryService(JsonNode canary, JsonNode spec) {
    String stable = canary.path("stableService").asText(null);
    String canaryName = canary.path("canaryService").asText(null);
    if (stable == null) {
      return serviceRef(appService(spec).orElseGet(() -> {
        notes.forAPerson("the Argo Rollout names no Service; Vigie routes through the Service in front of the pods: " + name
            + " is assumed, create it or fix spec.service");
        return name;
      }));
    }
    String base = serviceBase(stable, canaryName);
    // Vigie weighs Services of its own, <service>-stable and <service>-canary: the routes send to them.
    inputs.renameService(stable, base + "-stable");
    Optional<ObjectNode> stableService = inputs.find("Service", stable);
    if (inputs.find("Service", base).isPresent()) {
      stableService.filter(s -> !stable.equals(base)).ifPresent(s -> inputs.output(s, List.of()));
    } else if (stableService.isPresent() && !stable.equals(base)) {
      ObjectNode app = stableService.get().deepCopy();
      ((ObjectNode) app.get("metadata")).put("name", base);
      inputs.output(stableService.get(), List.of(new Converted(app, "Service " + base + " from Argo's stableService " + stable,
          List.of("the Service in front of all the app's pods (Vigie's spec.service); Vigie creates and owns " + base
              + "-stable and " + base + "-canary, with this selector and the revision's pod-template-hash"))));
    } else if (stableService.isEmpty()) {
      notes.forAPerson("create Service " + base + " (in front of all the app's pods) and delete Service " + stable
          + (canaryName == null ? "" : " and " + canaryName) + ": Vigie creates and owns " + base + "-stable and " + base
          + "-canary");
    }
    notes.changed("spec.strategy.canary.stableService", stable + " -> spec.service " + base + " (Vigie creates "
        + base + "-stable itself" + (stable.equals(base) || stableService.isEmpty() ? ")" : "; Service " + stable
        + " of the input is left out)"));
    if (canaryName != null) {
      inputs.renameService(canaryName, base + "-canary");
      Optional<ObjectNode> canaryService = inputs.find("Service", canaryName);
      canaryService.ifPresent(c -> inputs.output(c, List.of()));
      notes.changed("spec.strategy.canary.canaryService", canaryName + " -> Vigie's own " + base + "-canary"
          + (canaryService.isPresent() ? " (Service " + canaryName + " of the input is left out)" : ""));
    }
    return serviceRef(base);
  }

  /**
   * The name of the Service in front of the app: Argo's stable Service without its "stable" word
   * (web-stable -> web, web-stable-service -> web-service) when the canary Service differs from it only
   * by that word, else the stable Service itself.
   */
  static String serviceBase(String stable, String canary) {
    String base = stable.replaceFirst("-stable(?=-|$)", "");
    boolean paired = canary == null || canary.equals(stable.replaceFirst("-stable(?=-|$)", "-canary"));
    return paired && !base.equals(stable) && !base.isEmpty() ? base : stable;
  }

  /** A Service of the input whose selector picks the template's pods. */
  private Optional<String> appService(JsonNode spec) {
    JsonNode labels = spec.path("template").path("metadata").path("labels");
    return inputs.documents().stream().filter(d -> "Service".equals(d.path("kind").asText()))
        .filter(s -> {
          JsonNode selector = s.path("spec").path("selector");
          if (!selector.isObject() || selector.isEmpty()) {
            return false;
          }
          for (Map.Entry<String, JsonNode> e : selector.properties()) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
              return false;
            }
          }
          return true;
        }).map(Inputs::name).findFirst();
  }

  private ObjectNode serviceRef(String service) {
    ObjectNode ref = NODES.objectNode().put("name", service);
    Optional<ObjectNode> found = inputs.find("Service", service);
    if (found.isEmpty()) {
      // Argo's stable Service, when this one is written from it or still to be created
      found = inputs.find("Service", service + "-stable");
    }
    int port = found.map(s -> s.path("spec").path("ports").path(0).path("port").asInt(0)).orElse(0);
    if (port == 0) {
      notes.forAPerson("spec.service.port: 80 is assumed; set your Service's port");
      port = 80;
    }
    return ref.put("port", port);
  }

  private ObjectNode blueGreen(JsonNode argo, ObjectNode out) {
    String active = argo.path("activeService").asText(name);
    if (argo.has("previewService")) {
      out.putObject("previewService").put("name", argo.get("previewService").asText());
    }
    if (argo.has("previewReplicaCount")) {
      out.put("previewReplicaCount", argo.get("previewReplicaCount").asInt());
    }
    for (String analysis : List.of("prePromotionAnalysis", "postPromotionAnalysis")) {
      if (argo.has(analysis)) {
        out.set(analysis, ArgoAnalysis.block(argo.get(analysis), "spec.strategy.blueGreen." + analysis, notes));
      }
    }
    if (argo.path("autoPromotionEnabled").asBoolean(true)) {
      out.put("autoPromotionSeconds", argo.path("autoPromotionSeconds").asInt(0));
    } else if (argo.has("autoPromotionSeconds")) {
      notes.dropped("spec.strategy.blueGreen.autoPromotionSeconds", "autoPromotionEnabled is false: Vigie waits for "
          + "`vigie promote` as Argo would");
    }
    if (argo.has("scaleDownDelaySeconds")) {
      out.put("scaleDownDelaySeconds", argo.get("scaleDownDelaySeconds").asInt());
    }
    for (String field : List.of("antiAffinity", "activeMetadata", "previewMetadata", "abortScaleDownDelaySeconds",
        "scaleDownDelayRevisionLimit", "prePromotionAnalysisRevisionLimit")) {
      if (argo.has(field)) {
        notes.dropped("spec.strategy.blueGreen." + field, "no Vigie equivalent (docs/blue-green.md)");
      }
    }
    return serviceRef(active);
  }

  private Optional<ObjectNode> routing(JsonNode argo) {
    if (argo.isMissingNode() || argo.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : argo.properties()) {
      String at = "spec.strategy.canary.trafficRouting." + e.getKey();
      JsonNode r = e.getValue();
      switch (e.getKey()) {
        case "istio" -> {
          JsonNode vs = r.has("virtualService") ? r.get("virtualService") : r.path("virtualServices").path(0);
          ObjectNode istio = out.putObject("istio").putObject("virtualService").put("name", vs.path("name").asText());
          if (vs.has("routes")) {
            istio.set("routes", vs.get("routes").deepCopy());
          }
          if (r.path("virtualServices").size() > 1) {
            notes.dropped(at + ".virtualServices[1:]", "Vigie weighs one VirtualService");
          }
          if (r.has("destinationRule")) {
            notes.forAPerson(at + ".destinationRule: Vigie splits by host, not by subset: give VirtualService " + vs.path("name")
                .asText() + " two destinations, hosts <service>-stable and <service>-canary (docs/traffic.md)");
          }
        }
        case "nginx" -> {
          String ingress = r.has("stableIngress") ? r.get("stableIngress").asText() : r.path("stableIngresses").path(0).asText();
          out.putObject("nginx").put("stableIngress", ingress);
          for (String field : List.of("annotationPrefix", "additionalIngressAnnotations", "canaryIngressAnnotations",
              "stableIngresses")) {
            if (r.has(field)) {
              notes.dropped(at + "." + field, "Vigie writes ingress-nginx's canary annotations itself, on one Ingress");
            }
          }
        }
        case "plugins", "plugin" -> {
          JsonNode gateway = r.has("argoproj-labs/gatewayAPI") ? r.get("argoproj-labs/gatewayAPI") : r.path("gatewayAPI");
          if (gateway.isMissingNode()) {
            notes.dropped(at, "Vigie has no such plugin: replica-ratio routing is used");
            continue;
          }
          ObjectNode gatewayApi = out.putObject("gatewayAPI");
          if (gateway.has("httpRoute")) {
            gatewayApi.put("httpRoute", gateway.get("httpRoute").asText());
          } else {
            ArrayNode routes = gatewayApi.putArray("httpRoutes");
            gateway.path("httpRoutes").forEach(h -> routes.add(h.path("name").asText()));
          }
        }
        case "managedRoutes" -> notes.changed(at, "not needed: Vigie adds and removes its header route itself");
        default -> notes.dropped(at, "Vigie routes through Gateway API, Istio or NGINX: replica-ratio routing is used "
            + "(the share of canary pods behind your Service)");
      }
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }

  private ArrayNode steps(JsonNode argo) {
    ArrayNode steps = NODES.arrayNode();
    int i = 0;
    for (JsonNode step : argo) {
      String at = "spec.strategy.canary.steps[" + i++ + "]";
      if (step.has("setWeight")) {
        steps.addObject().put("setWeight", step.get("setWeight").asInt());
      } else if (step.has("pause")) {
        ObjectNode pause = steps.addObject().putObject("pause");
        DurationText.of(step.get("pause").get("duration"), at + ".pause.duration", notes).ifPresent(d -> pause.put("duration", d));
      } else if (step.has("analysis")) {
        steps.addObject().set("analysis", ArgoAnalysis.block(step.get("analysis"), at + ".analysis", notes));
      } else if (step.has("setHeaderRoute")) {
        JsonNode match = step.get("setHeaderRoute").path("match");
        JsonNode exact = match.path(0).path("headerValue").path("exact");
        if (match.size() == 1 && exact.isTextual()) {
          steps.addObject().putObject("setHeaderRoute").put("header", match.get(0).path("headerName").asText())
              .put("value", exact.asText());
        } else if (match.isEmpty()) {
          notes.changed(at, "setHeaderRoute without match (removing the route) -> left out: Vigie removes its header "
              + "route at the next setWeight");
        } else {
          notes.dropped(at + ".setHeaderRoute", "Vigie's header route matches one header by its exact value");
        }
      } else {
        String kind = step.fieldNames().hasNext() ? step.fieldNames().next() : "empty";
        notes.dropped(at + "." + kind, switch (kind) {
          case "setCanaryScale" -> "Vigie sizes the canary from the step's weight";
          case "experiment" -> "Vigie has no experiments; a baseline beside the canary (spec.strategy.canary.baseline) gives "
              + "the judge a like-for-like comparison";
          case "setMirrorRoute" -> "Vigie does not mirror traffic";
          default -> "no Vigie equivalent";
        });
      }
    }
    if (steps.isEmpty()) {
      notes.changed("spec.strategy.canary.steps", "none -> one step, setWeight 100 (Vigie needs at least one step)");
      steps.addObject().put("setWeight", 100);
    }
    return steps;
  }
}
