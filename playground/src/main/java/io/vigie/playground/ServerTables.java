package io.vigie.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Server-side printing, as an API server answers `kubectl get` (Accept: as=Table): the columns
 * Kubernetes prints for the built-in kinds the playground holds, and for the CRDs their
 * additionalPrinterColumns in the CRD's order.
 */
final class ServerTables {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A column: its definition, and how a cell is read off an object. */
  private record Column(String name, String type, String format, int priority, Function<JsonNode, Object> cell) {}

  private final Map<String, List<Column>> byResource = new HashMap<>();
  private final Clock clock;

  ServerTables(List<CustomResourceDefinition> crds, Clock clock) {
    this.clock = clock;
    Column name = new Column("Name", "string", "name", 0, o -> o.path("metadata").path("name").asText());
    Column age = new Column("Age", "string", "", 0, o -> age(o.path("metadata").path("creationTimestamp").asText(null)));
    byResource.put("deployments", List.of(name,
        new Column("Ready", "string", "", 0, o -> o.path("status").path("readyReplicas").asInt(0) + "/" + o.path("spec").path("replicas").asInt(1)),
        new Column("Up-to-date", "integer", "", 0, o -> o.path("status").path("updatedReplicas").asInt(0)),
        new Column("Available", "integer", "", 0, o -> o.path("status").path("availableReplicas").asInt(0)),
        age,
        new Column("Containers", "string", "", 1, o -> joined(o.path("spec").path("template").path("spec").path("containers"), "name")),
        new Column("Images", "string", "", 1, o -> joined(o.path("spec").path("template").path("spec").path("containers"), "image"))));
    byResource.put("replicasets", List.of(name,
        new Column("Desired", "integer", "", 0, o -> o.path("spec").path("replicas").asInt(0)),
        new Column("Current", "integer", "", 0, o -> o.path("status").path("replicas").asInt(0)),
        new Column("Ready", "integer", "", 0, o -> o.path("status").path("readyReplicas").asInt(0)),
        age,
        new Column("Images", "string", "", 1, o -> joined(o.path("spec").path("template").path("spec").path("containers"), "image"))));
    byResource.put("pods", List.of(name,
        new Column("Ready", "string", "", 0, o -> readyContainers(o)),
        new Column("Status", "string", "", 0, ServerTables::podStatus),
        new Column("Restarts", "integer", "", 0, o -> {
          int restarts = 0;
          for (JsonNode c : o.path("status").path("containerStatuses")) {
            restarts += c.path("restartCount").asInt(0);
          }
          return restarts;
        }),
        age));
    byResource.put("services", List.of(name,
        new Column("Type", "string", "", 0, o -> o.path("spec").path("type").asText("ClusterIP")),
        new Column("Cluster-IP", "string", "", 0, o -> o.path("spec").path("clusterIP").asText("<none>")),
        new Column("External-IP", "string", "", 0, o -> "<none>"),
        new Column("Port(s)", "string", "", 0, o -> {
          List<String> ports = new ArrayList<>();
          o.path("spec").path("ports").forEach(p -> ports.add(p.path("port").asText() + "/" + p.path("protocol").asText("TCP")));
          return ports.isEmpty() ? "<none>" : String.join(",", ports);
        }),
        age,
        new Column("Selector", "string", "", 1, o -> {
          List<String> pairs = new ArrayList<>();
          o.path("spec").path("selector").properties().forEach(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
          return pairs.isEmpty() ? "<none>" : String.join(",", pairs);
        })));
    byResource.put("events", List.of(
        new Column("Last Seen", "string", "", 0, o -> age(firstText(o, "lastTimestamp", "eventTime", "firstTimestamp"))),
        new Column("Type", "string", "", 0, o -> o.path("type").asText("")),
        new Column("Reason", "string", "", 0, o -> o.path("reason").asText("")),
        new Column("Object", "string", "", 0, o -> o.path("involvedObject").path("kind").asText("").toLowerCase(java.util.Locale.ROOT)
            + "/" + o.path("involvedObject").path("name").asText("")),
        new Column("Message", "string", "", 0, o -> o.path("message").asText("")),
        new Column("Name", "string", "name", 1, o -> o.path("metadata").path("name").asText())));
    byResource.put("namespaces", List.of(name, new Column("Status", "string", "", 0, o -> o.path("status").path("phase").asText("Active")), age));
    for (CustomResourceDefinition crd : crds) {
      List<Column> columns = new ArrayList<>(List.of(name));
      List<CustomResourceColumnDefinition> printer = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
      for (CustomResourceColumnDefinition c : printer == null ? List.<CustomResourceColumnDefinition>of() : printer) {
        String path = c.getJsonPath();
        boolean date = "date".equals(c.getType());
        columns.add(new Column(c.getName(), date ? "string" : c.getType(), c.getFormat() == null ? "" : c.getFormat(),
            c.getPriority() == null ? 0 : c.getPriority(), o -> {
              JsonNode value = at(o, path);
              if (value == null || value.isNull() || value.isMissingNode()) {
                return null;
              }
              return date ? age(value.asText()) : value.isNumber() ? value.numberValue() : value.asText();
            }));
      }
      if (printer == null || printer.isEmpty()) {
        columns.add(age);
      }
      byResource.put(crd.getSpec().getNames().getPlural(), columns);
    }
    byResource.put("", List.of(name, age));
  }

  /** A Table of a list (its items) or of one object, for the resource's plural name. */
  ObjectNode table(String plural, JsonNode listOrObject) {
    List<Column> columns = byResource.getOrDefault(plural, byResource.get(""));
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    JsonNode listMeta = listOrObject.path("metadata");
    if (listOrObject.has("items") && listMeta.has("resourceVersion")) {
      metadata.put("resourceVersion", listMeta.path("resourceVersion").asText());
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column c : columns) {
      definitions.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
          .put("description", c.name()).put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    List<JsonNode> objects = new ArrayList<>();
    if (listOrObject.has("items")) {
      listOrObject.path("items").forEach(objects::add);
    } else {
      objects.add(listOrObject);
    }
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column c : columns) {
        cells.add(JSON.valueToTree(c.cell().apply(object)));
      }
      row.set("object", object);
    }
    return table;
  }

  /** A simple JSON path, .status.phase. */
  private static JsonNode at(JsonNode object, String path) {
    JsonNode node = object;
    for (String step : path.replaceFirst("^\\.", "").split("\\.")) {
      node = node == null ? null : node.get(step);
    }
    return node;
  }

  private String age(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      Duration d = Duration.between(Instant.parse(timestamp), clock.instant());
      return humanDuration(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }

  /** As kubectl shows ages: 45s, 5m12s, 42m, 3h5m, 26h, 4d2h, 12d. */
  static String humanDuration(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 10) {
      return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    if (m < 180) {
      return m + "m";
    }
    long h = m / 60;
    if (h < 8) {
      return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
    }
    if (h < 48) {
      return h + "h";
    }
    long days = h / 24;
    return days < 8 ? days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h") : days + "d";
  }

  private static String joined(JsonNode items, String field) {
    List<String> values = new ArrayList<>();
    items.forEach(i -> values.add(i.path(field).asText()));
    return String.join(",", values);
  }

  private static String firstText(JsonNode o, String... fields) {
    for (String f : fields) {
      if (o.hasNonNull(f) && !o.path(f).asText().isEmpty()) {
        return o.path(f).asText();
      }
    }
    return o.path("metadata").path("creationTimestamp").asText(null);
  }

  private static String readyContainers(JsonNode pod) {
    JsonNode statuses = pod.path("status").path("containerStatuses");
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode s : statuses) {
      ready += s.path("ready").asBoolean(false) ? 1 : 0;
    }
    return ready + "/" + total;
  }

  private static String podStatus(JsonNode pod) {
    if (pod.path("metadata").has("deletionTimestamp")) {
      return "Terminating";
    }
    for (JsonNode s : pod.path("status").path("containerStatuses")) {
      String waiting = s.path("state").path("waiting").path("reason").asText("");
      if (!waiting.isEmpty()) {
        return waiting;
      }
    }
    return pod.path("status").path("phase").asText("Pending");
  }

  /** The Table of one watch event's object: the same columns, one row. */
  ObjectNode row(String plural, JsonNode object) {
    return table(plural, object);
  }
}
