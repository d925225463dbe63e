package io.vigie.convert;

import static io.vigie.convert.ArgoAnalysis.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flagger's metrics in Vigie's: the built-in request-success-rate and request-duration (queries of the
 * mesh's own metrics, written out for Istio and NGINX), MetricTemplates (their query inlined into the
 * Rollout when the template is in the input, and each also as an AnalysisTemplate), Flagger's
 * template variables as Vigie's built-in args.
 */
final class FlaggerMetrics {
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");
  private static final String WIDE = "1.0e300";
  /** Flagger's first API named its built-in metrics after Istio's series. */
  private static final Map<String, String> LEGACY_NAMES = Map.of("istio_requests_total", "request-success-rate",
      "istio_request_duration_seconds_bucket", "request-duration");

  private FlaggerMetrics() {}

  /** A Canary's metric as an inline Vigie metric, or nothing (noted). */
  static Optional<ObjectNode> metric(JsonNode flagger, String field, Context canary, Inputs inputs, Notes notes) {
    String name = LEGACY_NAMES.getOrDefault(flagger.path("name").asText(), flagger.path("name").asText());
    String window = DurationText.of(flagger.get("interval"), field + ".interval", notes).orElse("1m");
    ObjectNode out = NODES.objectNode().put("name", name.replaceAll("[^a-z0-9-]", "-"));
    ObjectNode prometheus = NODES.objectNode();
    if (flagger.has("templateRef")) {
      String template = flagger.get("templateRef").path("name").asText();
      Optional<ObjectNode> found = inputs.find("MetricTemplate", template);
      if (found.isEmpty()) {
        notes.dropped(field + " (templateRef " + template + ")", "MetricTemplate " + template + " is not in the input: "
            + "convert it with the Canary (vigie convert -f canary.yaml -f templates.yaml) so its query can be carried");
        return Optional.empty();
      }
      JsonNode provider = found.get().path("spec").path("provider");
      if (!"prometheus".equals(provider.path("type").asText("prometheus"))) {
        notes.dropped(field + " (provider " + provider.path("type").asText() + ")", "Vigie queries Prometheus (or any JSON "
            + "API with a web metric): write the query for one of them");
        return Optional.empty();
      }
      if (provider.has("address")) {
        prometheus.put("address", provider.get("address").asText());
      }
      if (provider.has("secretRef")) {
        notes.forAPerson(field + ": MetricTemplate " + template + " authenticates with Secret " + provider.path("secretRef")
            .path("name").asText() + ": set provider.prometheus.auth (bearerToken or basic)");
      }
      prometheus.put("query", query(found.get().path("spec").path("query").asText(), window, flagger.path("templateVariables"),
          field, notes));
    } else if (flagger.has("query")) {
      prometheus.put("query", query(flagger.get("query").asText(), window, NODES.objectNode(), field, notes));
    } else {
      Optional<String> builtin = builtin(name, window, canary);
      if (builtin.isEmpty()) {
        notes.dropped(field + " (" + name + ")", "Flagger computes it from the metrics of its provider " + canary.provider() + "; Vigie has "
            + "no built-in metrics: write its query in an AnalysisTemplate (docs/analysis.md)");
        return Optional.empty();
      }
      prometheus.put("query", builtin.get());
      notes.forAPerson("the built-in metrics' queries go to the operator's Prometheus: run it with --prometheus-address (Helm "
          + "value prometheus.address) where Flagger's --metrics-server pointed");
      notes.changed(field + " (" + name + ")", "Flagger's built-in metric -> its Prometheus query for " + canary.provider()
          + " on Vigie's canary");
    }
    out.put("interval", canary.interval());
    if (canary.count() > 0) {
      out.put("count", canary.count());
    }
    out.put("failureLimit", canary.failureLimit());
    JsonNode range = flagger.path("thresholdRange");
    if (range.has("min") || range.has("max")) {
      ObjectNode threshold = out.putObject("thresholdRange");
      if (range.has("min")) {
        threshold.put("min", range.get("min").asDouble());
      }
      if (range.has("max")) {
        threshold.put("max", range.get("max").asDouble());
      }
    } else if (flagger.has("threshold")) {
      out.putObject("thresholdRange").put(name.contains("duration") ? "max" : "min", flagger.get("threshold").asDouble());
      notes.changed(field + ".threshold", "-> thresholdRange (Flagger's older form)");
    } else {
      notes.forAPerson(field + " has no thresholdRange: give the metric its limit");
    }
    out.putObject("provider").set("prometheus", prometheus);
    return Optional.of(out);
  }

  /** Flagger's built-in metrics on the meshes whose metrics are known; the canary is Vigie's. */
  private static Optional<String> builtin(String name, String window, Context canary) {
    String istio = "reporter=\"destination\",destination_workload_namespace=\"{{args.namespace}}\","
        + "destination_workload=\"{{args.canary-deployment}}\"";
    String nginx = "namespace=\"{{args.namespace}}\",ingress=\"" + canary.ingress() + "-canary\"";
    return switch (canary.provider() + "/" + name) {
      case "istio/request-success-rate" -> Optional.of("sum(rate(istio_requests_total{" + istio + ",response_code!~\"5.*\"}["
          + window + "]))\n/\nsum(rate(istio_requests_total{" + istio + "}[" + window + "])) * 100\n");
      case "istio/request-duration" -> Optional.of("histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{"
          + istio + "}[" + window + "])) by (le))\n");
      case "nginx/request-success-rate" -> Optional.of("sum(rate(nginx_ingress_controller_requests{" + nginx
          + ",status!~\"5.*\"}[" + window + "]))\n/\nsum(rate(nginx_ingress_controller_requests{" + nginx + "}[" + window
          + "])) * 100\n");
      case "nginx/request-duration" -> Optional.of("sum(rate(nginx_ingress_controller_response_duration_seconds_sum{" + nginx
          + "}[" + window + "]))\n/\nsum(rate(nginx_ingress_controller_response_duration_seconds_count{" + nginx + "}["
          + window + "])) * 1000\n");
      default -> Optional.empty();
    };
  }

  /** Flagger's template variables as Vigie's built-in args; {@code {{ variables.x }}} from the metric's values. */
  static String query(String flagger, String window, JsonNode variables, String field, Notes notes) {
    String query = flagger.replaceAll("\\{\\{\\s*target\\s*}}-canary", "{{args.canary-service}}")
        .replaceAll("\\{\\{\\s*target\\s*}}-primary", "{{args.stable-service}}");
    Matcher m = VARIABLE.matcher(query);
    StringBuilder out = new StringBuilder();
    Set<String> unknown = new LinkedHashSet<>();
    while (m.find()) {
      String variable = m.group(1);
      String replacement = switch (variable) {
        case "namespace" -> "{{args.namespace}}";
        case "target" -> "{{args.canary-deployment}}";
        case "service" -> "{{args.service}}";
        case "interval" -> window;
        default -> {
          if (variable.startsWith("variables.") && variables.has(variable.substring("variables.".length()))) {
            yield variables.get(variable.substring("variables.".length())).asText();
          }
          if (variable.startsWith("args.")) {
            yield m.group(0);
          }
          unknown.add(variable);
          yield "{{args." + variable.replace("variables.", "") + "}}";
        }
      };
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    if (!out.toString().equals(flagger)) {
      notes.changed(field + " query", "Flagger's {{ namespace }}, {{ target }}, {{ interval }} -> Vigie's args (the canary "
          + "is Vigie's: {{args.canary-deployment}}, {{args.canary-service}})");
    }
    unknown.forEach(v -> notes.forAPerson(field + " query: {{ " + v + " }} has no value here: pass the arg "
        + v.replace("variables.", "")));
    return out.toString();
  }

  /** A MetricTemplate as an AnalysisTemplate of one metric, its limits as args. */
  static List<Converted> template(ObjectNode flagger) {
    Notes notes = new Notes();
    String name = Inputs.name(flagger);
    JsonNode provider = flagger.path("spec").path("provider");
    String from = "from flagger.app MetricTemplate " + name;
    if (!"prometheus".equals(provider.path("type").asText("prometheus"))) {
      notes.dropped("MetricTemplate " + name, "its provider is " + provider.path("type").asText() + "; Vigie queries "
          + "Prometheus or a JSON API (a web metric): write the query for one of them");
      return List.of(new Converted(NODES.objectNode(), from, notes.lines()));
    }
    String query = query(flagger.path("spec").path("query").asText(), "{{args.interval}}", NODES.objectNode(), "spec", notes);
    ObjectNode spec = NODES.objectNode();
    ArrayNode args = spec.putArray("args");
    args.addObject().put("name", "interval").put("value", "1m");
    args.addObject().put("name", "min").put("value", "-" + WIDE);
    args.addObject().put("name", "max").put("value", WIDE);
    Matcher m = Pattern.compile("\\{\\{args\\.([A-Za-z0-9_.-]+)}}").matcher(query);
    Set<String> declared = new LinkedHashSet<>(List.of("interval", "min", "max"));
    while (m.find()) {
      if (!io.vigie.analysis.AnalysisResolver.BUILTINS.contains(m.group(1)) && declared.add(m.group(1))) {
        args.addObject().put("name", m.group(1));
      }
    }
    ObjectNode metric = spec.putArray("metrics").addObject().put("name", name).put("interval", "1m")
        .put("successCondition", "result >= {{args.min}} && result <= {{args.max}}");
    ObjectNode prometheus = metric.putObject("provider").putObject("prometheus");
    if (provider.has("address")) {
      prometheus.put("address", provider.get("address").asText());
    }
    prometheus.put("query", query);
    if (provider.has("secretRef")) {
      notes.forAPerson("spec.provider.secretRef " + provider.path("secretRef").path("name").asText() + ": set "
          + "provider.prometheus.auth (bearerToken or basic from a Secret)");
    }
    notes.changed("the limits", "Flagger puts them on the Canary's metric; here they are the args min and max (pass them "
        + "with the template)");
    ObjectNode out = Manifest.object("AnalysisTemplate", ArgoAnalysis.metadata(flagger));
    out.set("spec", spec);
    return List.of(new Converted(out, from, notes.lines()));
  }

  /** What a Canary's metrics need to know of it. */
  record Context(String provider, String interval, int count, int failureLimit, String ingress) {}

}
