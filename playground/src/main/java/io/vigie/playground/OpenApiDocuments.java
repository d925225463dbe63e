package io.vigie.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI documents kubectl reads from an API server, built from the CRDs the playground
 * serves: v2 (protocol buffers, what `kubectl apply` validates against, with unknown fields and wrong
 * types refused) and v3 (JSON, what `kubectl explain` reads). The built-in kinds have no schema here,
 * so kubectl validates them as it does any kind a server does not describe: not at all.
 */
final class OpenApiDocuments {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A kind's schema as the CRD gives it, with the name Kubernetes' documents use for it. */
  private record Definition(String name, String group, String version, String kind, String plural, boolean namespaced,
      JsonNode schema) {}

  private final List<Definition> definitions;

  OpenApiDocuments(List<CustomResourceDefinition> crds) {
    this.definitions = crds.stream().flatMap(crd -> crd.getSpec().getVersions().stream()
        .filter(CustomResourceDefinitionVersion::getServed)
        .map(v -> new Definition(definitionName(crd.getSpec().getGroup(), v.getName(), crd.getSpec().getNames().getKind()),
            crd.getSpec().getGroup(), v.getName(), crd.getSpec().getNames().getKind(), crd.getSpec().getNames().getPlural(),
            "Namespaced".equals(crd.getSpec().getScope()), published(JSON.valueToTree(v.getSchema().getOpenAPIV3Schema())))))
        .toList();
  }

  /** The schema as an API server publishes a CRD's: with apiVersion, kind and metadata, which the CRD leaves out. */
  private static JsonNode published(JsonNode schema) {
    ObjectNode copy = schema.deepCopy();
    ObjectNode properties = copy.withObjectProperty("properties");
    if (!properties.has("apiVersion")) {
      properties.putObject("apiVersion").put("type", "string")
          .put("description", "The versioned schema of this object: vigie.io/v1alpha1.");
    }
    if (!properties.has("kind")) {
      properties.putObject("kind").put("type", "string").put("description", "The kind of this object.");
    }
    if (!properties.has("metadata")) {
      properties.putObject("metadata").put("type", "object").put("description", "Standard object metadata.");
    }
    return copy;
  }

  /** The reverse-domain name Kubernetes gives a CRD's definition: io.vigie.v1alpha1.Rollout. */
  private static String definitionName(String group, String version, String kind) {
    List<String> parts = new java.util.ArrayList<>(List.of(group.split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + version + "." + kind;
  }

  /** /openapi/v2 in application/com.github.proto-openapi.spec.v2@v1.0+protobuf. */
  byte[] v2() {
    ProtoWriter definitionsMessage = new ProtoWriter();
    for (Definition d : definitions) {
      ProtoWriter schema = schema(d.schema());
      schema.message(31, namedAny("x-kubernetes-group-version-kind",
          "- group: " + d.group() + "\n  kind: " + d.kind() + "\n  version: " + d.version() + "\n"));
      definitionsMessage.message(1, new ProtoWriter().string(1, d.name()).message(2, schema));
    }
    return new ProtoWriter()
        .string(1, "2.0")
        .message(2, new ProtoWriter().string(1, "Kubernetes").string(2, "v1.32.0"))
        .message(8, new ProtoWriter())
        .message(9, definitionsMessage)
        .toByteArray();
  }

  /** The OpenAPI v2 Schema message of a JSON schema: what kubectl's validation reads of it. */
  private static ProtoWriter schema(JsonNode node) {
    ProtoWriter schema = new ProtoWriter();
    schema.string(4, text(node, "description"));
    JsonNode required = node.get("required");
    if (required != null) {
      required.forEach(r -> schema.string(19, r.asText()));
    }
    JsonNode additional = node.get("additionalProperties");
    if (additional != null) {
      schema.message(21, additional.isBoolean() ? new ProtoWriter().bool(2, additional.asBoolean())
          : new ProtoWriter().message(1, schema(additional)));
    }
    String type = text(node, "type");
    // int-or-string fields have no type: kubectl then accepts any value there, as the server does.
    if (type != null && !node.path("x-kubernetes-int-or-string").asBoolean(false)) {
      schema.message(22, new ProtoWriter().string(1, type));
    }
    JsonNode items = node.get("items");
    if (items != null) {
      schema.message(23, new ProtoWriter().message(1, schema(items)));
    }
    JsonNode properties = node.get("properties");
    if (properties != null) {
      ProtoWriter named = new ProtoWriter();
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        named.message(1, new ProtoWriter().string(1, property.getKey()).message(2, schema(property.getValue())));
      }
      schema.message(25, named);
    }
    if (node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      schema.message(31, namedAny("x-kubernetes-preserve-unknown-fields", "true\n"));
    }
    return schema;
  }

  private static ProtoWriter namedAny(String name, String yaml) {
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().string(2, yaml));
  }

  /** /openapi/v3: where each group's document is. */
  String v3Index() {
    ObjectNode paths = JSON.createObjectNode();
    for (String groupVersion : groupVersions().keySet()) {
      paths.putObject("apis/" + groupVersion).put("serverRelativeURL", "/openapi/v3/apis/" + groupVersion + "?hash=" + hash(groupVersion));
    }
    ObjectNode index = JSON.createObjectNode();
    index.set("paths", paths);
    return index.toString();
  }

  /** /openapi/v3/apis/GROUP/VERSION, or null when the playground serves no such group. */
  String v3(String groupVersion) {
    List<Definition> of = groupVersions().get(groupVersion);
    if (of == null) {
      return null;
    }
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (Definition d : of) {
      // kubectl explain finds a resource's schema through the response of its GET path.
      String collection = "/apis/" + groupVersion + (d.namespaced() ? "/namespaces/{namespace}/" : "/") + d.plural();
      ObjectNode get = paths.putObject(collection + "/{name}").putObject("get");
      get.put("operationId", "read" + d.kind());
      get.put("x-kubernetes-action", "get");
      get.putObject("x-kubernetes-group-version-kind").put("group", d.group()).put("version", d.version()).put("kind", d.kind());
      get.putObject("responses").putObject("200").put("description", "OK").putObject("content")
          .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + d.name());
      ObjectNode schema = d.schema().deepCopy();
      ArrayNode gvk = schema.putArray("x-kubernetes-group-version-kind");
      gvk.addObject().put("group", d.group()).put("kind", d.kind()).put("version", d.version());
      schemas.set(d.name(), schema);
    }
    return doc.toString();
  }

  private Map<String, List<Definition>> groupVersions() {
    Map<String, List<Definition>> byGroupVersion = new LinkedHashMap<>();
    for (Definition d : definitions) {
      byGroupVersion.computeIfAbsent(d.group() + "/" + d.version(), k -> new java.util.ArrayList<>()).add(d);
    }
    return byGroupVersion;
  }

  private String hash(String groupVersion) {
    return Integer.toHexString(v3(groupVersion).hashCode());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
