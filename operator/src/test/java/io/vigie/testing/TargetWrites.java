package io.vigie.testing;

import io.vigie.testkit.RecordingDispatcher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.testkit.RecordingDispatcher.Write;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Invariant 5 read from what the API server received: of a Deployment it did not create (the
 * user's), the operator writes nothing but {@code spec.paused} and the annotation
 * {@code vigie.io/rollout}, by JSON patch. Its own canary Deployments (created by it) are its own.
 */
public final class TargetWrites {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DEPLOYMENT = Pattern.compile("/apis/apps/v1/namespaces/([^/]+)/deployments(?:/([^/?]+))?(/[^?]*)?");
  private static final Set<String> ALLOWED = Set.of("/spec/paused", "/metadata/annotations/vigie.io~1rollout");

  private TargetWrites() {}

  /** Each operator write that touched a user's Deployment beyond what Vigie may write, described. */
  public static List<String> violations(List<Write> writes) {
    Set<String> created = new HashSet<>();
    List<String> violations = new ArrayList<>();
    for (Write w : writes) {
      Matcher m = DEPLOYMENT.matcher(w.path());
      if (!w.byOperator() || !m.matches()) {
        continue;
      }
      String namespace = m.group(1);
      JsonNode body = parse(w.body());
      if (w.method().equals("POST") && m.group(2) == null) {
        created.add(namespace + "/" + body.path("metadata").path("name").asText());
        continue;
      }
      if (m.group(2) == null || created.contains(namespace + "/" + m.group(2))) {
        continue;
      }
      String target = namespace + "/" + m.group(2);
      if (!w.method().equals("PATCH") || !body.isArray()) {
        violations.add(w.method() + " of Deployment " + target + " (not a JSON patch of spec.paused): " + w.body());
        continue;
      }
      for (JsonNode op : body) {
        String path = op.path("path").asText();
        boolean test = op.path("op").asText().equals("test");
        boolean annotationsWithOurKeyOnly = path.equals("/metadata/annotations") && op.path("value").isObject()
            && op.path("value").size() == 1 && op.path("value").has("vigie.io/rollout");
        if (!test && !ALLOWED.contains(path) && !annotationsWithOurKeyOnly) {
          violations.add("PATCH of Deployment " + target + " writes " + path + ": " + op);
        }
      }
    }
    return violations;
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }
}
