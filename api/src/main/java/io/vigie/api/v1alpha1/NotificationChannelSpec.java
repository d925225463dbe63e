package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.slack), has(self.teams), has(self.webhook)].filter(x, x).size() == 1",
    message = "a channel is exactly one of slack, teams or webhook")
public class NotificationChannelSpec {
  public static final int DEFAULT_TIMEOUT_SECONDS = 5;

  @JsonPropertyDescription("A Slack incoming webhook: its URL in a Secret labelled vigie.io/notification-secret=true. "
      + "Messages are Block Kit.")
  private IncomingWebhook slack;

  @JsonPropertyDescription("A Microsoft Teams incoming webhook (or Workflows URL): its URL in a Secret labelled "
      + "vigie.io/notification-secret=true. Messages are Adaptive Cards.")
  private IncomingWebhook teams;

  @JsonPropertyDescription("A JSON webhook of yours, each body signed with HMAC-SHA256 (header X-Vigie-Signature).")
  private SignedWebhook webhook;

  @Size(max = Limits.URL)
  @JsonPropertyDescription("A link added to every message, {{namespace}}, {{rollout}} and {{revision}} filled in, e.g. "
      + "https://grafana.example/d/vigie?var-namespace={{namespace}}&var-rollout={{rollout}}.")
  private String dashboardURL;

  @Min(1)
  @Max(60)
  @JsonPropertyDescription("Seconds a delivery may take before it is retried. Default 5.")
  private Integer timeoutSeconds;

  public IncomingWebhook getSlack() { return slack; }
  public void setSlack(IncomingWebhook slack) { this.slack = slack; }
  public IncomingWebhook getTeams() { return teams; }
  public void setTeams(IncomingWebhook teams) { this.teams = teams; }
  public SignedWebhook getWebhook() { return webhook; }
  public void setWebhook(SignedWebhook webhook) { this.webhook = webhook; }
  public String getDashboardURL() { return dashboardURL; }
  public void setDashboardURL(String dashboardURL) { this.dashboardURL = dashboardURL; }
  public Integer getTimeoutSeconds() { return timeoutSeconds; }
  public void setTimeoutSeconds(Integer timeoutSeconds) { this.timeoutSeconds = timeoutSeconds; }

  /** A chat's incoming webhook, whose URL is a credential. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class IncomingWebhook {
    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("The Secret key holding the webhook's URL.")
    private SecretKeyRef urlSecretRef;

    public SecretKeyRef getUrlSecretRef() { return urlSecretRef; }
    public void setUrlSecretRef(SecretKeyRef urlSecretRef) { this.urlSecretRef = urlSecretRef; }
  }

  /** A JSON webhook; the receiver checks the signature with the shared key. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SignedWebhook {
    @io.fabric8.generator.annotation.Required
    @Size(max = Limits.URL)
    private String url;

    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("The Secret key holding the HMAC-SHA256 key: X-Vigie-Signature is sha256=<hex of the HMAC of the body>.")
    private SecretKeyRef signingSecretRef;

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public SecretKeyRef getSigningSecretRef() { return signingSecretRef; }
    public void setSigningSecretRef(SecretKeyRef signingSecretRef) { this.signingSecretRef = signingSecretRef; }
  }
}
