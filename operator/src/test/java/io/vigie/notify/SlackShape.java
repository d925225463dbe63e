package io.vigie.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules of Slack's Block Kit that an incoming webhook enforces (api.slack.com/reference/block-kit):
 * a top-level text, at most 50 blocks, header text plain_text of at most 150 characters, section text
 * and fields of at most 3,000 and 2,000 characters, at most 10 fields, context elements at most 10.
 * A receiver in the tests checks every message with them.
 */
final class SlackShape {
  private static final Set<String> TYPES = Set.of("header", "section", "context", "divider");

  private SlackShape() {}

  static List<String> problems(JsonNode body) {
    List<String> problems = new ArrayList<>();
    if (!body.path("text").isTextual() || body.path("text").asText().isBlank()) {
      problems.add("no fallback text");
    }
    JsonNode blocks = body.path("blocks");
    if (!blocks.isArray() || blocks.isEmpty() || blocks.size() > 50) {
      problems.add("blocks: 1 to 50");
    }
    for (JsonNode block : blocks) {
      String type = block.path("type").asText();
      if (!TYPES.contains(type)) {
        problems.add("unknown block type " + type);
      }
      JsonNode text = block.path("text");
      if (type.equals("header") && (!"plain_text".equals(text.path("type").asText()) || text.path("text").asText().length() > 150)) {
        problems.add("header: plain_text of at most 150");
      }
      if (type.equals("section")) {
        if (text.isMissingNode() && !block.has("fields")) {
          problems.add("section: text or fields");
        }
        if (!text.isMissingNode() && (!Set.of("mrkdwn", "plain_text").contains(text.path("type").asText())
            || text.path("text").asText().length() > 3000)) {
          problems.add("section text: mrkdwn or plain_text of at most 3000");
        }
        if (block.path("fields").size() > 10) {
          problems.add("section: at most 10 fields");
        }
        block.path("fields").forEach(f -> {
          if (f.path("text").asText().length() > 2000) {
            problems.add("field of at most 2000");
          }
        });
      }
      if (type.equals("context") && (block.path("elements").isEmpty() || block.path("elements").size() > 10)) {
        problems.add("context: 1 to 10 elements");
      }
    }
    return problems;
  }
}
