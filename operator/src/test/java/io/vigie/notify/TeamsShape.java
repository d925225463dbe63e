package io.vigie.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a Teams incoming webhook (or a Workflows "post card" URL) accepts: a message whose attachment
 * is an Adaptive Card (contentType application/vnd.microsoft.card.adaptive, type AdaptiveCard, a
 * version, a body of known elements). A receiver in the tests checks every message with it.
 */
final class TeamsShape {
  private static final Set<String> ELEMENTS = Set.of("TextBlock", "FactSet", "Container", "ColumnSet");

  private TeamsShape() {}

  static List<String> problems(JsonNode body) {
    List<String> problems = new ArrayList<>();
    if (!"message".equals(body.path("type").asText())) {
      problems.add("type is not message");
    }
    JsonNode attachment = body.path("attachments").path(0);
    if (!"application/vnd.microsoft.card.adaptive".equals(attachment.path("contentType").asText())) {
      problems.add("attachment is not an Adaptive Card");
    }
    JsonNode card = attachment.path("content");
    if (!"AdaptiveCard".equals(card.path("type").asText()) || !card.path("version").isTextual()) {
      problems.add("content: type AdaptiveCard with a version");
    }
    if (!card.path("body").isArray() || card.path("body").isEmpty()) {
      problems.add("card without a body");
    }
    for (JsonNode element : card.path("body")) {
      if (!ELEMENTS.contains(element.path("type").asText())) {
        problems.add("unknown element " + element.path("type").asText());
      }
      if (element.path("type").asText().equals("FactSet")) {
        element.path("facts").forEach(f -> {
          if (!f.path("title").isTextual() || !f.path("value").isTextual()) {
            problems.add("a fact without title and value");
          }
        });
      }
    }
    return problems;
  }
}
