package io.vigie.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The documents given to one conversion, and what the converters decided about the ones that are
 * not theirs: a Deployment to emit changed, a Service to leave out (Vigie owns that name), a Service
 * name the routes must send to instead.
 */
final class Inputs {
  private final List<ObjectNode> documents;
  private final Map<Integer, List<Converted>> outputs = new HashMap<>();
  private final Map<String, String> serviceRenames = new LinkedHashMap<>();

  Inputs(List<ObjectNode> documents) {
    this.documents = List.copyOf(documents);
  }

  List<ObjectNode> documents() {
    return documents;
  }

  /** The document of this kind and name (namespaces aside: one file is one namespace). */
  Optional<ObjectNode> find(String kind, String name) {
    return documents.stream().filter(d -> kind.equals(d.path("kind").asText()) && name.equals(name(d))).findFirst();
  }

  static String name(JsonNode document) {
    return document.path("metadata").path("name").asText();
  }

  /** What the conversion writes in place of {@code document} (nothing: an empty list). */
  void output(ObjectNode document, List<Converted> converted) {
    outputs.put(indexOf(document), new ArrayList<>(converted));
  }

  /** What is written in place of the document so far, if a converter decided. */
  Optional<List<Converted>> decided(ObjectNode document) {
    return Optional.ofNullable(outputs.get(indexOf(document)));
  }

  /** Routes in the input that send to {@code from} are made to send to {@code to}. */
  void renameService(String from, String to) {
    if (!from.equals(to)) {
      serviceRenames.put(from, to);
    }
  }

  Map<String, String> serviceRenames() {
    return serviceRenames;
  }

  private int indexOf(ObjectNode document) {
    for (int i = 0; i < documents.size(); i++) {
      if (documents.get(i) == document) {
        return i;
      }
    }
    throw new IllegalArgumentException("not an input document: " + name(document));
  }
}
