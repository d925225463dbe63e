package io.vigie.playground;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector as kubectl sends it (`metadata.name=web`, `involvedObject.kind=Rollout,...`,
 * `type!=Normal`), matched against an object's JSON: what `kubectl describe` uses to find an
 * object's Events, and `kubectl delete` to watch one object go.
 */
record FieldSelector(List<Term> terms) {
  record Term(String path, String value, boolean equal) {}

  static FieldSelector parse(String query) {
    List<Term> terms = new ArrayList<>();
    if (query != null && !query.isBlank()) {
      for (String part : URLDecoder.decode(query, StandardCharsets.UTF_8).split(",")) {
        boolean not = part.contains("!=");
        String[] sides = part.split(not ? "!=" : "==?", 2);
        if (sides.length == 2) {
          terms.add(new Term(sides[0].trim(), sides[1].trim(), !not));
        }
      }
    }
    return new FieldSelector(List.copyOf(terms));
  }

  boolean isEmpty() {
    return terms.isEmpty();
  }

  boolean matches(JsonNode object) {
    for (Term term : terms) {
      JsonNode node = object;
      for (String step : term.path().split("\\.")) {
        node = node == null ? null : node.get(step);
      }
      String actual = node == null || node.isNull() ? "" : node.asText();
      if (actual.equals(term.value()) != term.equal()) {
        return false;
      }
    }
    return true;
  }
}
