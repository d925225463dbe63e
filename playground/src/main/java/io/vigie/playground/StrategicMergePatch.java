package io.vigie.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch, as kubectl sends it for the built-in kinds (`set image`,
 * `annotate`, `patch`, client-side `apply`): maps merge, lists of named things merge by their key
 * (a container by its name, a port by its number) instead of being replaced, and the directives
 * `$patch`, `$setElementOrder/`, `$retainKeys` and `$deleteFromPrimitiveList/` apply. The merge keys
 * are those of the built-in types the playground serves (pods, Deployments, Services).
 */
final class StrategicMergePatch {
  /** The patchMergeKey of a list, by its field name; candidates tried in order (ports: containerPort, else port). */
  private static final Map<String, List<String>> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", List.of("name")), Map.entry("initContainers", List.of("name")),
      Map.entry("ephemeralContainers", List.of("name")), Map.entry("env", List.of("name")),
      Map.entry("volumes", List.of("name")), Map.entry("volumeMounts", List.of("mountPath")),
      Map.entry("volumeDevices", List.of("devicePath")), Map.entry("imagePullSecrets", List.of("name")),
      Map.entry("ports", List.of("containerPort", "port")), Map.entry("conditions", List.of("type")),
      Map.entry("ownerReferences", List.of("uid")), Map.entry("hostAliases", List.of("ip")),
      Map.entry("topologySpreadConstraints", List.of("topologyKey")), Map.entry("resourceClaims", List.of("name")));
  /** Lists of strings merged as sets rather than replaced. */
  private static final Set<String> MERGED_PRIMITIVES = Set.of("finalizers");

  private StrategicMergePatch() {}

  static JsonNode apply(JsonNode original, JsonNode patch) {
    if (!patch.isObject() || !original.isObject()) {
      return patch.deepCopy();
    }
    return mergeMap((ObjectNode) original.deepCopy(), (ObjectNode) patch);
  }

  private static ObjectNode mergeMap(ObjectNode target, ObjectNode patch) {
    String directive = patch.path("$patch").asText("");
    if (directive.equals("replace")) {
      ObjectNode replaced = patch.deepCopy();
      replaced.remove("$patch");
      return replaced;
    }
    JsonNode retain = patch.get("$retainKeys");
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.equals("$patch") || name.equals("$retainKeys") || name.startsWith("$setElementOrder/")) {
        continue;
      }
      if (name.startsWith("$deleteFromPrimitiveList/")) {
        String list = name.substring("$deleteFromPrimitiveList/".length());
        if (target.get(list) instanceof ArrayNode items) {
          Set<String> gone = new LinkedHashSet<>();
          value.forEach(v -> gone.add(v.asText()));
          ArrayNode kept = JsonNodeFactory.instance.arrayNode();
          items.forEach(i -> {
            if (!gone.contains(i.asText())) {
              kept.add(i);
            }
          });
          target.set(list, kept);
        }
        continue;
      }
      if (value.isNull()) {
        target.remove(name);
      } else if (value.isObject() && value.path("$patch").asText("").equals("delete")) {
        target.remove(name);
      } else if (value.isObject() && target.get(name) instanceof ObjectNode existing) {
        target.set(name, mergeMap(existing, (ObjectNode) value));
      } else if (value.isArray() && target.get(name) instanceof ArrayNode existing) {
        target.set(name, mergeList(name, existing, (ArrayNode) value, patch.get("$setElementOrder/" + name)));
      } else if (value.isObject()) {
        target.set(name, mergeMap(JsonNodeFactory.instance.objectNode(), (ObjectNode) value));
      } else if (value.isArray()) {
        target.set(name, mergeList(name, JsonNodeFactory.instance.arrayNode(), (ArrayNode) value, null));
      } else {
        target.set(name, value.deepCopy());
      }
    }
    if (retain != null && retain.isArray()) {
      Set<String> keep = new LinkedHashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      List<String> names = new ArrayList<>();
      target.fieldNames().forEachRemaining(names::add);
      names.stream().filter(n -> !keep.contains(n)).forEach(target::remove);
    }
    return target;
  }

  private static ArrayNode mergeList(String name, ArrayNode target, ArrayNode patch, JsonNode order) {
    if (MERGED_PRIMITIVES.contains(name)) {
      Set<String> seen = new LinkedHashSet<>();
      ArrayNode merged = JsonNodeFactory.instance.arrayNode();
      for (JsonNode item : target) {
        if (seen.add(item.asText())) {
          merged.add(item);
        }
      }
      for (JsonNode item : patch) {
        if (seen.add(item.asText())) {
          merged.add(item);
        }
      }
      return merged;
    }
    String key = mergeKey(name, patch, target);
    if (key == null) {
      ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
      patch.forEach(item -> replaced.add(item.isObject() ? mergeMap(JsonNodeFactory.instance.objectNode(), (ObjectNode) item) : item));
      return replaced;
    }
    List<JsonNode> merged = new ArrayList<>();
    target.forEach(merged::add);
    for (JsonNode item : patch) {
      JsonNode id = item.get(key);
      int at = indexOf(merged, key, id);
      boolean delete = item.path("$patch").asText("").equals("delete");
      if (delete) {
        if (at >= 0) {
          merged.remove(at);
        }
      } else if (at >= 0 && merged.get(at) instanceof ObjectNode existing) {
        merged.set(at, mergeMap(existing, (ObjectNode) item));
      } else if (item.isObject()) {
        merged.add(mergeMap(JsonNodeFactory.instance.objectNode(), (ObjectNode) item));
      }
    }
    if (order != null && order.isArray()) {
      List<JsonNode> ordered = new ArrayList<>();
      for (JsonNode wanted : order) {
        int at = indexOf(merged, key, wanted.get(key));
        if (at >= 0) {
          ordered.add(merged.remove(at));
        }
      }
      ordered.addAll(merged);
      merged = ordered;
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    merged.forEach(out::add);
    return out;
  }

  private static String mergeKey(String name, ArrayNode patch, ArrayNode target) {
    for (String candidate : MERGE_KEYS.getOrDefault(name, List.of())) {
      JsonNode sample = patch.size() > 0 ? patch.get(0) : target.size() > 0 ? target.get(0) : null;
      if (sample != null && sample.has(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static int indexOf(List<JsonNode> items, String key, JsonNode id) {
    for (int i = 0; i < items.size(); i++) {
      if (id != null && id.equals(items.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }
}
