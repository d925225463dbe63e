package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a resource's spec by its schema, strictly: no coercion ("600" is not a number, 2.5 not an
 * integer), no unknown field, no null item in a list, no number out of its Java type's range. An
 * API server with Vigie's CRD refuses all of these at apply time; one without it (or an old one)
 * stores them, and the operator must then say what is wrong rather than guess.
 * Null-valued fields are dropped first, as the API server prunes them.
 */
final class SchemaReader {
  private static final ObjectMapper STRICT = strictMapper();

  private SchemaReader() {}

  /** What was read, or why it could not be: "spec.steps[1].setWeight: expected an integer, found "half"". */
  record Reading<T>(T value, String problem) {}

  static <T> Reading<T> read(JsonNode tree, Class<T> type, String root) {
    JsonNode copy = tree.deepCopy();
    String nullItem = dropNulls(copy, root);
    if (nullItem != null) {
      return new Reading<>(null, nullItem + " is null: remove it or give it a value");
    }
    try {
      return new Reading<>(STRICT.treeToValue(copy, type), null);
    } catch (JsonMappingException e) {
      return new Reading<>(null, describe(e, copy, root));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return new Reading<>(null, root + ": " + firstLine(e.getMessage()));
    }
  }

  private static ObjectMapper strictMapper() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        .build();
    for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
        LogicalType.Enum, LogicalType.Collection, LogicalType.POJO)) {
      var config = mapper.coercionConfigFor(type);
      for (CoercionInputShape shape : CoercionInputShape.values()) {
        config.setCoercion(shape, CoercionAction.Fail);
      }
    }
    // What is not a coercion: an integer is a number, and a string a string.
    mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    return mapper;
  }

  /** Removes null-valued fields; returns the path of the first null list item, if any. */
  private static String dropNulls(JsonNode node, String path) {
    if (node instanceof ObjectNode object) {
      List<String> nulls = new ArrayList<>();
      object.properties().forEach(e -> {
        if (e.getValue().isNull()) {
          nulls.add(e.getKey());
        }
      });
      object.remove(nulls);
      for (var entry : object.properties()) {
        String found = dropNulls(entry.getValue(), path + "." + entry.getKey());
        if (found != null) {
          return found;
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isNull()) {
          return path + "[" + i + "]";
        }
        String found = dropNulls(array.get(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String describe(JsonMappingException e, JsonNode tree, String root) {
    String path = root + e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining());
    if (e instanceof UnrecognizedPropertyException u) {
      Collection<Object> known = u.getKnownPropertyIds();
      return path + ": unknown field" + (known == null || known.isEmpty() ? ""
          : " (the schema has " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
    }
    JsonNode found = at(tree, e.getPath());
    String expected = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null
        ? expected(m.getTargetType()) : null;
    if (e.getCause() instanceof InputCoercionException || (found != null && found.isIntegralNumber() && !found.canConvertToInt()
        && expected != null && expected.equals("an integer"))) {
      return path + ": " + shorten(String.valueOf(found)) + " is out of range (an integer is at most " + Integer.MAX_VALUE + ")";
    }
    if (expected != null && found != null) {
      return path + ": expected " + expected + ", found " + kind(found);
    }
    return path + ": " + firstLine(e.getOriginalMessage());
  }

  private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> path) {
    JsonNode node = tree;
    for (JsonMappingException.Reference r : path) {
      if (node == null) {
        return null;
      }
      node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
    }
    return node;
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "an object";
  }

  private static String kind(JsonNode found) {
    if (found.isTextual()) {
      return "the string \"" + shorten(found.asText()) + "\"";
    }
    if (found.isNumber()) {
      return "the number " + shorten(found.asText());
    }
    if (found.isBoolean()) {
      return found.asText();
    }
    return found.isArray() ? "a list" : found.isObject() ? "an object" : shorten(found.toString());
  }

  private static String shorten(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
