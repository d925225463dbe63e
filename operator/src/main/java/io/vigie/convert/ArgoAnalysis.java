package io.vigie.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo Rollouts' analysis in Vigie's: AnalysisTemplate and ClusterAnalysisTemplate objects, and the
 * analysis blocks of a Rollout (background, steps, blue-green's pre and post promotion). Metrics of a
 * provider Vigie has (prometheus, web, job) carry over; the others are left out, said in a note.
 */
final class ArgoAnalysis {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern NOT_CEL = Pattern.compile("\\b(all|any|none|filter|map|len|isNaN|isInf|default|asInt|asFloat)\\(|#");
  private static final List<String> METRIC_FIELDS = List.of("name", "interval", "initialDelay", "count", "successCondition",
      "failureCondition", "failureLimit", "inconclusiveLimit", "consecutiveErrorLimit", "provider");

  private ArgoAnalysis() {}

  /** An AnalysisTemplate or ClusterAnalysisTemplate of Argo's as Vigie's of the same kind and name. */
  static List<Converted> template(ObjectNode argo) {
    Notes notes = new Notes();
    ObjectNode spec = NODES.objectNode();
    JsonNode argoSpec = argo.path("spec");
    ArrayNode args = NODES.arrayNode();
    for (JsonNode arg : argoSpec.path("args")) {
      ObjectNode vigieArg = args.addObject().put("name", arg.path("name").asText());
      if (arg.has("value")) {
        vigieArg.put("value", arg.get("value").asText());
      }
      if (arg.has("valueFrom")) {
        notes.dropped("spec.args[" + arg.path("name").asText() + "].valueFrom", "a template's arg takes a value only; pass it "
            + "from the Rollout's analysis args (valueFrom.secretKeyRef there), so the template names no Secret");
      }
    }
    if (!args.isEmpty()) {
      spec.set("args", args);
    }
    ArrayNode metrics = spec.putArray("metrics");
    int i = 0;
    for (JsonNode metric : argoSpec.path("metrics")) {
      metric(metric, "spec.metrics[" + i++ + "]", notes).ifPresent(metrics::add);
    }
    for (String field : List.of("dryRun", "measurementRetention")) {
      if (argoSpec.has(field)) {
        notes.dropped("spec." + field, "Vigie sets dryRun per metric and keeps the last measurements of each metric in status");
      }
    }
    String kind = argo.path("kind").asText();
    if (metrics.isEmpty()) {
      notes.dropped(kind + " " + Inputs.name(argo), "none of its metrics has a provider Vigie runs, so there is no template to write");
      ObjectNode comment = NODES.objectNode();
      return List.of(new Converted(comment, "from argoproj.io " + kind + " " + Inputs.name(argo), notes.lines()));
    }
    ObjectNode out = Manifest.object(kind, metadata(argo));
    out.set("spec", spec);
    return List.of(new Converted(out, "from argoproj.io " + kind + " " + Inputs.name(argo), notes.lines()));
  }

  static ObjectNode metadata(JsonNode argo) {
    ObjectNode metadata = NODES.objectNode();
    JsonNode from = argo.path("metadata");
    metadata.put("name", from.path("name").asText());
    for (String field : List.of("namespace", "labels")) {
      if (from.has(field)) {
        metadata.set(field, from.get(field).deepCopy());
      }
    }
    return metadata;
  }

  /** A metric of Argo's as Vigie's, or nothing (noted) when its provider has no Vigie equivalent. */
  static Optional<ObjectNode> metric(JsonNode argo, String field, Notes notes) {
    String name = argo.path("name").asText();
    ObjectNode out = NODES.objectNode().put("name", name);
    Optional<ObjectNode> provider = provider(argo.path("provider"), field + ".provider", notes);
    if (provider.isEmpty()) {
      return Optional.empty();
    }
    DurationText.of(argo.get("interval"), field + ".interval", notes).ifPresent(d -> out.put("interval", d));
    DurationText.of(argo.get("initialDelay"), field + ".initialDelay", notes).ifPresent(d -> out.put("initialDelay", d));
    for (String count : List.of("count", "failureLimit", "inconclusiveLimit", "consecutiveErrorLimit")) {
      JsonNode value = argo.get(count);
      if (value == null) {
        continue;
      }
      if (value.canConvertToInt() || value.asText().matches("[0-9]+")) {
        out.put(count, value.asInt());
      } else {
        notes.dropped(field + "." + count, "\"" + value.asText() + "\" is filled from an arg; Vigie's counts are numbers, so "
            + "its default applies: write the number here");
      }
    }
    for (String condition : List.of("successCondition", "failureCondition")) {
      if (argo.has(condition)) {
        out.put(condition, condition(argo.get(condition).asText(), field + "." + condition, notes));
      }
    }
    out.set("provider", provider.get());
    for (Map.Entry<String, JsonNode> entry : argo.properties()) {
      String key = entry.getKey();
      if (!METRIC_FIELDS.contains(key)) {
        notes.dropped(field + "." + key, "no Vigie equivalent (docs/analysis.md lists a metric's fields)");
      }
    }
    return Optional.of(out);
  }

  /** Argo's expr conditions in CEL, the language of Vigie's conditions: result[0] is the one value Vigie reads. */
  static String condition(String expr, String field, Notes notes) {
    String cel = expr.replace("result[0]", "result").replaceAll("\\band\\b", "&&").replaceAll("\\bor\\b", "||")
        .replaceAll("\\bnot\\b", "!").trim();
    if (NOT_CEL.matcher(cel).find()) {
      notes.forAPerson(field + " \"" + expr + "\" uses functions of Argo's expr language: rewrite it in CEL on the single value "
          + "`result` (docs/analysis.md); until then the template is refused as Invalid");
    } else if (!cel.equals(expr.trim())) {
      notes.changed(field, "\"" + expr.trim() + "\" -> \"" + cel + "\" (CEL; a query answers one value, `result`)");
    }
    return cel;
  }

  private static Optional<ObjectNode> provider(JsonNode argo, String field, Notes notes) {
    ObjectNode out = NODES.objectNode();
    if (argo.has("prometheus")) {
      JsonNode p = argo.get("prometheus");
      ObjectNode prometheus = out.putObject("prometheus");
      if (p.has("address")) {
        prometheus.put("address", p.get("address").asText());
      }
      prometheus.put("query", p.path("query").asText());
      DurationText.of(p.get("timeout"), field + ".prometheus.timeout", notes).ifPresent(d -> prometheus.put("timeout", d));
      dropAll(p, List.of("address", "query", "timeout"), field + ".prometheus", notes, Map.of(
          "headers", "Vigie sends only auth headers (provider.prometheus.auth: bearerToken or basic from a Secret)",
          "insecure", "Vigie verifies TLS: give the server's CA in provider.prometheus.tls.ca",
          "rangeQuery", "Vigie's queries are instant queries: fold the range into the query (e.g. max_over_time)",
          "authentication", "use provider.prometheus.auth (bearerToken or basic from a Secret)"));
      return Optional.of(out);
    }
    if (argo.has("web")) {
      JsonNode w = argo.get("web");
      ObjectNode web = out.putObject("web").put("url", w.path("url").asText());
      if (w.has("method")) {
        web.put("method", w.get("method").asText());
      }
      if (w.has("body")) {
        web.put("body", w.get("body").asText());
      } else if (w.has("jsonBody")) {
        web.put("body", w.get("jsonBody").toString());
      }
      if (w.has("jsonPath")) {
        jsonPointer(w.get("jsonPath").asText()).ifPresentOrElse(p -> {
          web.put("jsonPointer", p);
          notes.changed(field + ".web.jsonPath", w.get("jsonPath").asText() + " -> jsonPointer " + p);
        }, () -> notes.forAPerson(field + ".web.jsonPath " + w.get("jsonPath").asText() + " is more than a path: write the "
            + "JSON pointer of the value (e.g. /data/ratio) in provider.web.jsonPointer"));
      }
      ArrayNode headers = NODES.arrayNode();
      for (JsonNode header : w.path("headers")) {
        headers.addObject().put("name", header.path("key").asText()).put("value", header.path("value").asText());
      }
      if (!headers.isEmpty()) {
        web.set("headers", headers);
      }
      DurationText.of(w.get("timeoutSeconds"), field + ".web.timeoutSeconds", notes).ifPresent(d -> web.put("timeout", d));
      dropAll(w, List.of("url", "method", "body", "jsonBody", "jsonPath", "headers", "timeoutSeconds"), field + ".web", notes,
          Map.of("insecure", "Vigie verifies TLS: give the server's CA in provider.web.tls.ca"));
      return Optional.of(out);
    }
    if (argo.has("job")) {
      ObjectNode job = out.putObject("job");
      job.set("spec", argo.get("job").path("spec").deepCopy());
      notes.forAPerson("a job metric runs pods: only a ClusterAnalysisTemplate may define one unless the admin allows namespaced "
          + "ones (--allow-namespaced-job-metrics; docs/analysis.md#job-metrics)");
      return Optional.of(out);
    }
    String kind = argo.fieldNames().hasNext() ? argo.fieldNames().next() : "none";
    notes.dropped(field.replace(".provider", "") + " (provider " + kind + ")", "Vigie's providers are prometheus, web and job: "
        + "query the same data through one of them (a web provider reads any JSON API)");
    return Optional.empty();
  }

  private static void dropAll(JsonNode node, List<String> carried, String field, Notes notes, Map<String, String> why) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!carried.contains(key)) {
        notes.dropped(field + "." + key, why.getOrDefault(key, "no Vigie equivalent"));
      }
    }
  }

  /** {$.a.b} or $.a[0].b as a JSON pointer; nothing for filters and wildcards. */
  static Optional<String> jsonPointer(String jsonPath) {
    String path = jsonPath.trim();
    if (path.startsWith("{") && path.endsWith("}")) {
      path = path.substring(1, path.length() - 1);
    }
    if (!path.startsWith("$")) {
      return Optional.empty();
    }
    Matcher m = Pattern.compile("\\.([A-Za-z0-9_-]+)|\\[([0-9]+)]").matcher(path);
    StringBuilder pointer = new StringBuilder();
    int end = 1;
    while (m.find()) {
      if (m.start() != end) {
        return Optional.empty();
      }
      pointer.append('/').append(m.group(1) != null ? m.group(1) : m.group(2));
      end = m.end();
    }
    return end == path.length() && pointer.length() > 0 ? Optional.of(pointer.toString()) : Optional.empty();
  }

  /** A Rollout's analysis block (background, step, pre/post promotion) in Vigie's form. */
  static ObjectNode block(JsonNode argo, String field, Notes notes) {
    ObjectNode out = NODES.objectNode();
    ArrayNode templates = out.putArray("templates");
    int i = 0;
    for (JsonNode ref : argo.path("templates")) {
      String at = field + ".templates[" + i++ + "]";
      String name = ref.has("templateName") ? ref.get("templateName").asText() : ref.path("clusterTemplateName").asText();
      ObjectNode vigieRef = templates.addObject().put("name", name);
      if (ref.path("clusterScope").asBoolean(false) || ref.has("clusterTemplateName")) {
        vigieRef.put("clusterScope", true);
      }
      if (ref.has("clusterTemplateName")) {
        notes.changed(at + ".clusterTemplateName", "-> name with clusterScope: true");
      }
    }
    if (argo.has("templateName")) {
      templates.addObject().put("name", argo.get("templateName").asText());
      notes.changed(field + ".templateName", "-> templates[].name (Argo's older form)");
    }
    ArrayNode args = NODES.arrayNode();
    for (JsonNode arg : argo.path("args")) {
      String argName = arg.path("name").asText();
      ObjectNode vigieArg = NODES.objectNode().put("name", argName);
      if (arg.has("value")) {
        vigieArg.put("value", arg.get("value").asText());
      } else if (arg.path("valueFrom").has("secretKeyRef")) {
        vigieArg.putObject("valueFrom").set("secretKeyRef", arg.path("valueFrom").get("secretKeyRef").deepCopy());
      } else if (arg.path("valueFrom").has("podTemplateHashValue")) {
        notes.changed(field + ".args[" + argName + "]", "podTemplateHashValue " + arg.path("valueFrom").path("podTemplateHashValue")
            .asText() + " -> Vigie passes {{args." + (arg.path("valueFrom").path("podTemplateHashValue").asText().equals("Stable")
            ? "stable" : "canary") + "-revision}} to every template: use it there and leave this arg out");
        continue;
      } else {
        notes.dropped(field + ".args[" + argName + "].valueFrom", "Vigie fills args from a value or a Secret key only; "
            + "pod fields: use Vigie's built-in args (namespace, service, canary-service, canary-deployment, ...)");
        continue;
      }
      args.add(vigieArg);
    }
    if (!args.isEmpty()) {
      out.set("args", args);
    }
    for (String key : List.of("startingStep", "dryRun", "measurementRetention", "analysisRunMetadata", "name")) {
      if (argo.has(key)) {
        notes.dropped(field + "." + key, switch (key) {
          case "startingStep" -> "Vigie's background analysis judges the whole canary, from its first step";
          case "name" -> "Vigie names a step's analysis run after the step";
          default -> "no Vigie equivalent";
        });
      }
    }
    return out;
  }
}
