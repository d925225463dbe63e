package io.vigie.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.compiler.CelCompiler;
import dev.cel.parser.CelStandardMacro;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates objects against a CRD's openAPIV3Schema the way the API server does for the parts
 * our CRDs use: the structural schema (types, required, bounds, patterns, enums, list sizes) and
 * the x-kubernetes-validations CEL rules, evaluated with the CEL engine Kubernetes also uses.
 */
public final class CrdSchemaValidator {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CelCompiler CEL_COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private static final CelRuntime CEL_RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final JsonNode openApiSchema;
  private final JsonSchema structural;

  private CrdSchemaValidator(JsonNode openApiSchema) {
    this.openApiSchema = openApiSchema;
    this.structural = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(withoutExtensions(openApiSchema));
  }

  public static CrdSchemaValidator forCrd(Path crdYaml, String version) throws IOException {
    JsonNode crd = YAML.readTree(Files.readString(crdYaml));
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (version.equals(v.path("name").asText())) {
        return new CrdSchemaValidator(v.path("schema").path("openAPIV3Schema"));
      }
    }
    throw new IllegalArgumentException(crdYaml + " has no version " + version);
  }

  /**
   * The errors of the structural schema alone (types, required, bounds, patterns, enums, sizes), as an
   * API server without CEL validation (Kubernetes before 1.25) answers: empty if it stores the object.
   */
  public List<String> validateStructure(String objectYaml) throws IOException {
    List<String> errors = new ArrayList<>();
    for (ValidationMessage m : structural.validate(YAML.readTree(objectYaml))) {
      errors.add(m.getMessage());
    }
    return errors;
  }

  /** The errors the API server would answer for this object (given as YAML or JSON), empty if accepted. */
  public List<String> validate(String objectYaml) throws IOException {
    JsonNode object = YAML.readTree(objectYaml);
    List<String> errors = new ArrayList<>();
    for (ValidationMessage m : structural.validate(object)) {
      errors.add(m.getMessage());
    }
    if (errors.isEmpty()) {
      checkRules(openApiSchema, object, "", errors);
    }
    return errors;
  }

  private static void checkRules(JsonNode schema, JsonNode value, String path, List<String> errors) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String ruleText = rule.path("rule").asText();
      try {
        if (!evaluate(ruleText, value)) {
          errors.add(path + ": " + rule.path("message").asText(ruleText));
        }
      } catch (CelEvaluationException e) {
        // The API server refuses an object on which a rule cannot be evaluated (a duration that overflows).
        errors.add(path + ": rule '" + ruleText + "' cannot be evaluated on this value: " + e.getMessage());
      }
    }
    if (value.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").properties().iterator();
      while (props.hasNext()) {
        Map.Entry<String, JsonNode> p = props.next();
        checkRules(p.getValue(), value.get(p.getKey()), path + "." + p.getKey(), errors);
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        checkRules(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
      }
    }
  }

  private static boolean evaluate(String rule, JsonNode self) throws CelEvaluationException {
    CelAbstractSyntaxTree ast;
    try {
      ast = CEL_COMPILER.compile(rule).getAst();
    } catch (CelValidationException e) {
      throw new IllegalStateException("CEL rule '" + rule + "' does not compile: " + e.getMessage(), e);
    }
    return Boolean.TRUE.equals(CEL_RUNTIME.createProgram(ast).eval(Map.of("self", toCel(self))));
  }

  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(toCel(n)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }

  private static JsonNode withoutExtensions(JsonNode schema) {
    ObjectNode copy = schema.deepCopy();
    // The API server fills in the schema of the fields every object has.
    ObjectNode properties = copy.withObjectProperty("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    properties.putObject("metadata").put("type", "object");
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> extensions = new ArrayList<>();
      object.fieldNames().forEachRemaining(name -> {
        if (name.startsWith("x-kubernetes-")) {
          extensions.add(name);
        }
      });
      object.remove(extensions);
      // Kubernetes prunes unknown fields rather than rejecting them; the structural part here rejects,
      // which is what `kubectl apply --validate=strict` (kubectl's default) does.
      if (object.has("properties") && !object.has("additionalProperties")) {
        object.put("additionalProperties", false);
      }
      object.forEach(CrdSchemaValidator::strip);
    } else if (node != null && node.isArray()) {
      node.forEach(CrdSchemaValidator::strip);
    }
  }

  static String toJson(Object o) throws IOException {
    return JSON.writeValueAsString(o);
  }
}
