package io.vigie.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The route objects of the input (Istio VirtualService, Gateway API HTTPRoute, Ingress) made to send
 * to the Services Vigie weighs, {@code <service>-stable} and {@code <service>-canary}, instead of
 * the peer's.
 */
final class RouteRewrites {
  private RouteRewrites() {}

  /** The route with its Service names renamed, or the same object when it names none of them. */
  static Converted rewrite(ObjectNode route, Map<String, String> renames) {
    ObjectNode copy = route.deepCopy();
    Notes notes = new Notes();
    String kind = copy.path("kind").asText();
    switch (kind) {
      case "VirtualService" -> {
        for (JsonNode http : copy.path("spec").path("http")) {
          for (JsonNode destination : http.path("route")) {
            rename((ObjectNode) destination.path("destination"), "host", renames, "spec.http[].route[].destination.host", notes);
            weighIfUnweighed((ObjectNode) destination, destination.path("destination").path("host").asText(), renames,
                "spec.http[].route[].weight", notes);
          }
        }
      }
      case "HTTPRoute" -> {
        String version = copy.path("apiVersion").asText();
        if (!version.equals("gateway.networking.k8s.io/v1")) {
          copy.put("apiVersion", "gateway.networking.k8s.io/v1");
          notes.changed("apiVersion", version + " -> gateway.networking.k8s.io/v1 (the version Vigie reads and writes)");
        }
        for (JsonNode rule : copy.path("spec").path("rules")) {
          for (JsonNode ref : rule.path("backendRefs")) {
            rename((ObjectNode) ref, "name", renames, "spec.rules[].backendRefs[].name", notes);
            weighIfUnweighed((ObjectNode) ref, ref.path("name").asText(), renames, "spec.rules[].backendRefs[].weight", notes);
          }
        }
      }
      case "Ingress" -> {
        for (JsonNode rule : copy.path("spec").path("rules")) {
          for (JsonNode path : rule.path("http").path("paths")) {
            JsonNode service = path.path("backend").path("service");
            if (service.isObject()) {
              rename((ObjectNode) service, "name", renames, "spec.rules[].http.paths[].backend.service.name", notes);
            }
          }
        }
      }
      default -> {
        return new Converted(route, "unchanged", java.util.List.of());
      }
    }
    return new Converted(copy, notes.lines().isEmpty() ? "unchanged" : "rewritten for Vigie", notes.lines());
  }

  /** Unweighed, two backends share traffic equally: before any canary, stable must get it all. */
  private static void weighIfUnweighed(ObjectNode holder, String name, Map<String, String> renames, String path, Notes notes) {
    String shortName = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    if (holder.has("weight") || !renames.containsValue(shortName)) {
      return;
    }
    // renames always end in Vigie's -stable or -canary
    int weight = shortName.endsWith("-canary") ? 0 : 100;
    holder.put("weight", weight);
    notes.changed(path, "none -> " + weight + " for " + name + " (unweighed backends would share traffic equally)");
  }

  private static void rename(ObjectNode holder, String field, Map<String, String> renames, String path, Notes notes) {
    if (holder.isMissingNode() || !holder.has(field)) {
      return;
    }
    String name = holder.get(field).asText();
    String shortName = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    String renamed = renames.get(shortName);
    if (renamed != null) {
      holder.put(field, renamed + name.substring(shortName.length()));
      notes.changed(path, name + " -> " + renamed + name.substring(shortName.length())
          + " (Vigie weighs its own Services, <service>-stable and <service>-canary)");
    }
  }
}
