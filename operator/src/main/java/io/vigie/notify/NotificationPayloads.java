package io.vigie.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigie.api.v1alpha1.PendingNotification;
import java.util.Optional;

/**
 * The bodies sent for one owed message: a Slack Block Kit message, a Microsoft Teams Adaptive Card,
 * or Vigie's own JSON. Each names the Rollout, the revision, the step and what happened, the failing
 * metric with its values against its rule and the template diff of a rollback, and the idempotency key.
 */
final class NotificationPayloads {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NotificationPayloads() {}

  /** A title a person reads first: "shop/web RolledBack: revision 5f2c..." */
  static String title(String namespace, String rollout, PendingNotification n) {
    return namespace + "/" + rollout + " " + n.getEvent() + ": revision " + n.getRevision();
  }

  static String webhook(String namespace, String rollout, PendingNotification n, Optional<String> link) {
    ObjectNode body = JSON.createObjectNode();
    body.put("idempotencyKey", n.getKey());
    body.put("event", n.getEvent().name());
    body.putObject("rollout").put("namespace", namespace).put("name", rollout);
    body.put("revision", n.getRevision());
    body.put("stableRevision", n.getStableRevision());
    body.put("step", n.getStep());
    body.put("message", n.getMessage());
    body.putPOJO("evidence", n.getEvidence());
    body.putPOJO("changes", n.getChanges());
    link.ifPresent(l -> body.put("link", l));
    body.put("at", n.getAt());
    return body.toString();
  }

  static String slack(String namespace, String rollout, PendingNotification n, Optional<String> link) {
    ObjectNode body = JSON.createObjectNode();
    body.put("text", title(namespace, rollout, n) + ": " + n.getMessage());
    ArrayNode blocks = body.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", truncate(title(namespace, rollout, n), 150));
    blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", truncate(n.getMessage(), 3000));
    ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
    fields.addObject().put("type", "mrkdwn").put("text", "*Step*\n" + orDash(n.getStep()));
    fields.addObject().put("type", "mrkdwn").put("text", "*Stable revision*\n" + orDash(n.getStableRevision()));
    if (!n.getEvidence().isEmpty()) {
      blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
          .put("text", truncate("*Evidence*\n" + String.join("\n", n.getEvidence()), 3000));
    }
    if (!n.getChanges().isEmpty()) {
      blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
          .put("text", truncate("*What changed*\n" + String.join("\n", n.getChanges()), 3000));
    }
    ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
    context.addObject().put("type", "mrkdwn").put("text", "key " + n.getKey() + " · " + n.getAt());
    link.ifPresent(l -> context.addObject().put("type", "mrkdwn").put("text", "<" + l + "|dashboard>"));
    return body.toString();
  }

  static String teams(String namespace, String rollout, PendingNotification n, Optional<String> link) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "message");
    ObjectNode attachment = body.putArray("attachments").addObject();
    attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
    attachment.putNull("contentUrl");
    ObjectNode card = attachment.putObject("content");
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", "1.4");
    ArrayNode items = card.putArray("body");
    items.addObject().put("type", "TextBlock").put("text", title(namespace, rollout, n)).put("weight", "Bolder").put("size", "Medium")
        .put("wrap", true);
    items.addObject().put("type", "TextBlock").put("text", n.getMessage()).put("wrap", true);
    ArrayNode facts = items.addObject().put("type", "FactSet").putArray("facts");
    facts.addObject().put("title", "Step").put("value", orDash(n.getStep()));
    facts.addObject().put("title", "Stable revision").put("value", orDash(n.getStableRevision()));
    n.getEvidence().forEach(e -> facts.addObject().put("title", "Evidence").put("value", e));
    n.getChanges().forEach(c -> facts.addObject().put("title", "Changed").put("value", c));
    facts.addObject().put("title", "Key").put("value", n.getKey());
    link.ifPresent(l -> card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "Dashboard").put("url", l));
    return body.toString();
  }

  private static String truncate(String text, int max) {
    return text == null ? "" : text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static String orDash(String text) {
    return text == null ? "-" : text;
  }
}
