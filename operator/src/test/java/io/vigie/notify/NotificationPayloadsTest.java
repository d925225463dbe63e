package io.vigie.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.api.v1alpha1.NotificationSubscription.Event;
import io.vigie.api.v1alpha1.PendingNotification;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The three bodies have the shapes their receivers require (Slack Block Kit, Teams Adaptive Card, Vigie's JSON). */
class NotificationPayloadsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PendingNotification rolledBack() {
    PendingNotification n = new PendingNotification();
    n.setKey("v2/RolledBack/2/4/0/chat");
    n.setEvent(Event.RolledBack);
    n.setRevision("v2");
    n.setStableRevision("v1");
    n.setStep("2/4");
    n.setMessage("revision v2 rolled back (AnalysisFailed): analysis error-rate failed: 25% > max 5%");
    n.setEvidence(List.of("error-rate Failed: 25%, 25% (at most 5%)"));
    n.setChanges(List.of("container web: image v1 → v2"));
    n.setAt("2026-01-01T00:00:00Z");
    return n;
  }

  @Test
  void slackGetsBlockKitWithAFallbackText() throws Exception {
    JsonNode body = JSON.readTree(NotificationPayloads.slack("shop", "web", rolledBack(), Optional.of("https://g/d?r=web")));
    assertThat(SlackShape.problems(body)).isEmpty();
    assertThat(body.path("text").asText()).startsWith("shop/web RolledBack: revision v2: revision v2 rolled back");
    assertThat(body.toString()).contains("error-rate Failed: 25%, 25% (at most 5%)").contains("container web: image v1 → v2")
        .contains("<https://g/d?r=web|dashboard>").contains("v2/RolledBack/2/4/0/chat");
  }

  @Test
  void teamsGetsAnAdaptiveCard() throws Exception {
    JsonNode body = JSON.readTree(NotificationPayloads.teams("shop", "web", rolledBack(), Optional.empty()));
    assertThat(TeamsShape.problems(body)).isEmpty();
    assertThat(body.toString()).contains("error-rate Failed").contains("container web: image v1 → v2");
  }

  @Test
  void theWebhookBodyIsSignedWithTheSharedKey() throws Exception {
    String body = NotificationPayloads.webhook("shop", "web", rolledBack(), Optional.empty());
    JsonNode json = JSON.readTree(body);
    assertThat(json.path("idempotencyKey").asText()).isEqualTo("v2/RolledBack/2/4/0/chat");
    assertThat(json.path("rollout").path("name").asText()).isEqualTo("web");
    assertThat(json.path("evidence").get(0).asText()).isEqualTo("error-rate Failed: 25%, 25% (at most 5%)");
    // The receiver's check: HMAC-SHA256 of the exact body with the key, hex.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("k3y".getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    assertThat(Notifier.hmac("k3y", body)).isEqualTo(java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(
        java.nio.charset.StandardCharsets.UTF_8))));
  }
}
