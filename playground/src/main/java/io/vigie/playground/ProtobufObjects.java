package io.vigie.playground;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Optional;

/**
 * The few Kubernetes objects kubectl sends in protocol buffers rather than JSON (its typed `create`
 * commands: `kubectl create namespace`, `create configmap`, `create secret generic`), decoded to
 * JSON for the mock API server. Only the fields those commands set are read: metadata's name,
 * namespace, labels and annotations, a ConfigMap's data, a Secret's data, stringData and type.
 */
final class ProtobufObjects {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private ProtobufObjects() {}

  /** The object as JSON, or empty when it is a kind this does not decode. */
  static Optional<ObjectNode> decode(byte[] body) {
    if (body.length < MAGIC.length || !java.util.Arrays.equals(java.util.Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      return Optional.empty();
    }
    String apiVersion = null;
    String kind = null;
    byte[] raw = null;
    for (ProtoReader.Field f : new ProtoReader(java.util.Arrays.copyOfRange(body, MAGIC.length, body.length)).fields()) {
      if (f.number() == 1) {
        for (ProtoReader.Field t : f.message().fields()) {
          if (t.number() == 1) {
            apiVersion = t.text();
          } else if (t.number() == 2) {
            kind = t.text();
          }
        }
      } else if (f.number() == 2) {
        raw = f.bytes();
      }
    }
    if (raw == null || !"v1".equals(apiVersion) || kind == null) {
      return Optional.empty();
    }
    ObjectNode object = JSON.createObjectNode();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    for (ProtoReader.Field f : new ProtoReader(raw).fields()) {
      switch (kind) {
        case "Namespace" -> {
          if (f.number() == 1) {
            object.set("metadata", metadata(f.message()));
          }
        }
        case "ConfigMap" -> {
          if (f.number() == 1) {
            object.set("metadata", metadata(f.message()));
          } else if (f.number() == 2) {
            entry(object.withObjectProperty("data"), f.message(), false);
          }
        }
        case "Secret" -> {
          if (f.number() == 1) {
            object.set("metadata", metadata(f.message()));
          } else if (f.number() == 2) {
            entry(object.withObjectProperty("data"), f.message(), true);
          } else if (f.number() == 3) {
            object.put("type", f.text());
          } else if (f.number() == 4) {
            entry(object.withObjectProperty("stringData"), f.message(), false);
          }
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(object);
  }

  private static ObjectNode metadata(ProtoReader meta) {
    ObjectNode metadata = JSON.createObjectNode();
    for (ProtoReader.Field f : meta.fields()) {
      switch (f.number()) {
        case 1 -> metadata.put("name", f.text());
        case 2 -> metadata.put("generateName", f.text());
        case 3 -> metadata.put("namespace", f.text());
        case 11 -> entry(metadata.withObjectProperty("labels"), f.message(), false);
        case 12 -> entry(metadata.withObjectProperty("annotations"), f.message(), false);
        default -> {
          // Set by the server, not by a create.
        }
      }
    }
    return metadata;
  }

  /** A map entry (key 1, value 2) into {@code map}; bytes values base64-encoded, as JSON carries them. */
  private static void entry(ObjectNode map, ProtoReader entry, boolean bytes) {
    String key = null;
    byte[] value = new byte[0];
    for (ProtoReader.Field f : entry.fields()) {
      if (f.number() == 1) {
        key = f.text();
      } else if (f.number() == 2) {
        value = f.bytes();
      }
    }
    if (key != null) {
      map.put(key, bytes ? Base64.getEncoder().encodeToString(value) : new String(value, java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
