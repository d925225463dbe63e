package io.vigie.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates Rollouts and AnalysisTemplates from a seed: a valid object, then a few random mutations
 * of its spec (type swaps, nulls, extreme and zero numbers and durations, long and odd names,
 * unknown fields, wrong shapes, injection attempts in args, conditions and queries). The same seed
 * gives the same objects.
 */
public final class InputFuzzer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Object[] NUMBERS = {0, -1, 1, 100, 101, 2147483647, 2147483648L, 3000000000L, Long.MAX_VALUE, 1e308,
      -1e308, 0.5, -0.0, 86401, 10001};
  private static final String[] DURATIONS = {"0s", "1s", "60s", "61s", "720h", "721h", "24h1s", "9999999999999h",
      "2562047788015216h", "5 min", "", "1h30m", "000000000000000000001s", "99999h", "-1s", "1d"};
  private static final String[] TEXTS = {"", "Web", "a/b", "a..b", "-web", "web.v2", "ü", "a".repeat(300), "b".repeat(10_000),
      "{{args.max}}", "{{args.nope}}", "0.05 || true", "web\"} or vector(0) #", "5m]) or vector(0)", "result < 0.05",
      "result +", "http://127.0.0.1:9/x", "not a url", "ftp://x", "http://", "Host", "x-canary", "\n", "/a~2", "true",
      "Deployment", "GET", "PUT", "{{ args.max }}", "{{args.service}}"};

  private final Random random;
  private final String metricsUrl;

  /** @param metricsUrl an endpoint on loopback answering metric queries (Prometheus and JSON alike) */
  public InputFuzzer(long seed, String metricsUrl) {
    this.random = new Random(seed);
    this.metricsUrl = metricsUrl;
  }

  /** A valid Rollout of Deployment and Service {@code app}, running these templates, in its namespace. */
  public ObjectNode rollout(String name, String app, String stepTemplate, String backgroundTemplate) {
    String json = """
        {"apiVersion": "vigie.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "%s"},
         "spec": {"targetRef": {"kind": "Deployment", "name": "%s"}, "service": {"name": "%s", "port": 80},
          "progressDeadlineSeconds": 600,
          "strategy": {"canary": {"steps": [{"setWeight": 25}, {"pause": {"duration": "1m"}},
             {"analysis": {"templates": [{"name": "%s"}], "args": [{"name": "max", "value": "0.5"}]}},
             {"setWeight": 50}, {"pause": {"duration": "30s"}}]}},
          "analysis": {"templates": [{"name": "%s"}], "args": [{"name": "max", "value": "0.5"}, {"name": "window", "value": "5m"}],
             "metrics": [{"name": "inline", "interval": "30s", "thresholdRange": {"max": 0.5},
                          "provider": {"web": {"url": "%s/stats", "jsonPointer": "/value", "timeout": "2s"}}}]}}}"""
        .formatted(name, app, app, stepTemplate, backgroundTemplate, metricsUrl);
    return read(json);
  }

  /** A valid AnalysisTemplate with a web metric and a Prometheus metric, with args. */
  public ObjectNode template(String name) {
    String json = """
        {"apiVersion": "vigie.io/v1alpha1", "kind": "AnalysisTemplate", "metadata": {"name": "%s"},
         "spec": {"args": [{"name": "max"}, {"name": "window", "value": "2m"}],
          "metrics": [
           {"name": "errors", "interval": "10s", "count": 2, "failureLimit": 1, "thresholdRange": {"max": 0.5},
            "provider": {"web": {"url": "%s/stats", "jsonPointer": "/value", "timeout": "2s",
                                 "headers": [{"name": "x-team", "value": "shop"}]}}},
           {"name": "latency", "interval": "10s", "count": 2, "successCondition": "result < {{args.max}}",
            "provider": {"prometheus": {"address": "%s", "timeout": "2s",
              "query": "histogram_quantile(0.99, rate(x{service=\\"{{args.service}}\\"}[{{args.window}}]))"}}}]}}"""
        .formatted(name, metricsUrl, metricsUrl);
    return read(json);
  }

  /** Applies {@code count} random mutations to the object's spec (and now and then a top-level field). */
  public ObjectNode mutate(ObjectNode object, int count) {
    for (int i = 0; i < count; i++) {
      if (random.nextInt(20) == 0) {
        object.put("unknownTopLevel" + random.nextInt(3), random.nextInt(100));
        continue;
      }
      List<Place> places = new ArrayList<>();
      collect(object, "spec", object.get("spec"), places);
      mutate(places.get(random.nextInt(places.size())));
    }
    return object;
  }

  /** A node of the tree and where it sits: a field of an object or an item of a list. */
  private record Place(JsonNode parent, String field, int index, JsonNode node) {
    void set(JsonNode value) {
      if (parent instanceof ObjectNode o) {
        o.set(field, value);
      } else {
        ((ArrayNode) parent).set(index, value);
      }
    }
  }

  private static void collect(JsonNode parent, String field, JsonNode node, List<Place> places) {
    places.add(new Place(parent, field, -1, node));
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      names.forEach(n -> collect(o, n, o.get(n), places));
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        collectItem(a, i, places);
      }
    }
  }

  private static void collectItem(ArrayNode a, int i, List<Place> places) {
    JsonNode item = a.get(i);
    places.add(new Place(a, null, i, item));
    if (item instanceof ObjectNode || item instanceof ArrayNode) {
      List<Place> inner = new ArrayList<>();
      collect(a, null, item, inner);
      // The first is the item itself, already added with its index.
      places.addAll(inner.subList(1, inner.size()));
    }
  }

  private void mutate(Place place) {
    JsonNode node = place.node();
    if (random.nextInt(5) < 2) {
      sameShape(place);
      return;
    }
    switch (random.nextInt(11)) {
      case 0 -> place.set(NODES.nullNode());
      case 1 -> place.set(number());
      case 2 -> place.set(NODES.textNode(pick(DURATIONS)));
      case 3 -> place.set(NODES.textNode(pick(TEXTS)));
      case 4 -> place.set(node.isArray() ? NODES.objectNode() : NODES.arrayNode().add(node.deepCopy()));
      case 5 -> place.set(NODES.booleanNode(random.nextBoolean()));
      case 6 -> {
        if (node instanceof ObjectNode o) {
          o.put(random.nextBoolean() ? "unknownField" : "setWieght", pick(TEXTS));
        } else {
          place.set(NODES.textNode(String.valueOf(node.asText())));
        }
      }
      case 7 -> {
        if (node instanceof ObjectNode o && o.size() > 0) {
          List<String> names = new ArrayList<>();
          o.fieldNames().forEachRemaining(names::add);
          o.remove(pick(names.toArray(new String[0])));
        } else {
          place.set(NODES.objectNode());
        }
      }
      case 8 -> {
        if (node instanceof ArrayNode a) {
          int copies = random.nextBoolean() ? 1 : 150;
          JsonNode item = a.isEmpty() ? NODES.nullNode() : a.get(random.nextInt(a.size()));
          for (int i = 0; i < copies; i++) {
            a.add(item.deepCopy());
          }
        } else {
          place.set(NODES.arrayNode());
        }
      }
      case 9 -> place.set(node.isNumber() ? NODES.textNode(node.asText()) : node.isTextual() ? number() : NODES.objectNode());
      default -> place.set(NODES.textNode(pick(new String[] {"0.05 || true", "{{args.max}}", "web\"} or vector(0) #",
          "5m]) or vector(0)", "result < {{args.max}} || true", "}}{{", "{{args." + "x".repeat(70) + "}}"})));
    }
  }

  /** A value of the same JSON type at an edge: what a schema of types alone lets through. */
  private void sameShape(Place place) {
    JsonNode node = place.node();
    if (node.isNumber()) {
      place.set(number());
    } else if (node.isTextual()) {
      place.set(NODES.textNode(random.nextBoolean() ? pick(DURATIONS) : pick(TEXTS)));
    } else if (node.isBoolean()) {
      place.set(NODES.booleanNode(!node.asBoolean()));
    } else if (node instanceof ArrayNode a) {
      if (a.isEmpty() || random.nextBoolean()) {
        a.removeAll();
      } else {
        a.add(a.get(random.nextInt(a.size())).deepCopy());
      }
    } else if (node instanceof ObjectNode o && o.size() > 0) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      o.remove(pick(names.toArray(new String[0])));
    }
  }

  private JsonNode number() {
    Object n = pick(NUMBERS);
    if (n instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (n instanceof Long l) {
      return NODES.numberNode(l);
    }
    return NODES.numberNode((Double) n);
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  private static ObjectNode read(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
