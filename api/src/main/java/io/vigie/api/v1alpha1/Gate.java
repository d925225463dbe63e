package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * A system the release asks before it moves on (docs/gates.md): Vigie POSTs the release's state to
 * the URL; an HTTP 2xx answer passes the gate, anything else (an error status, a timeout, no answer)
 * holds the release, or rolls it back when onFailure is Abort.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.onFailure) || self.onFailure == 'Hold' || self.type in ['preRollout', 'step', 'confirmPromotion']",
    message = "onFailure: Abort applies to preRollout, step and confirmPromotion gates only")
public class Gate {
  /** When a gate is asked. */
  public enum Type {
    /** Before the canary gets any traffic. */
    preRollout,
    /** At a canary step that names it (steps: - gate: NAME). */
    step,
    /** Before the promotion, after the last step. */
    confirmPromotion,
    /** Once the new revision is promoted; its answer is reported, it changes nothing. */
    postRollout,
    /** A load generator, called every interval while the canary runs its steps (Flagger's loadtester protocol). */
    loadTest
  }

  /** What a failing answer does. */
  public enum OnFailure { Hold, Abort }

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = Limits.DNS_LABEL)
  @JsonPropertyDescription("The gate's name, unique in the Rollout; a step gate is named by its step.")
  private String name;

  @Required
  @JsonPropertyDescription("When the gate is asked: preRollout, step, confirmPromotion, postRollout or loadTest.")
  private Type type;

  @Required
  @Pattern("^https?://.+")
  @Size(max = Limits.URL)
  @JsonPropertyDescription("The URL Vigie POSTs the release's state to (JSON); a 2xx answer passes the gate.")
  private String url;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.TIMEOUT_RULE, message = "timeout is from 1s to 60s")
  @JsonPropertyDescription("Time for one answer, 1s to 60s. Default 10s.")
  private String timeout;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.GATE_INTERVAL_RULE, message = "interval is from 5s to 1h")
  @JsonPropertyDescription("How often a holding gate is asked again, and a load test called, 5s to 1h. Default 30s.")
  private String interval;

  @JsonPropertyDescription("Hold (default): a failing answer holds the release and the gate is asked again every interval. "
      + "Abort: a failing answer rolls the canary back (preRollout, step and confirmPromotion gates).")
  private OnFailure onFailure;

  @Size(max = 32)
  @JsonPropertyDescription("Strings sent in the payload's metadata, e.g. cmd for a Flagger loadtester.")
  private Map<String, String> metadata;

  @Size(max = Limits.HEADERS)
  @JsonPropertyDescription("Request headers; values may come from Secrets in the Rollout's namespace.")
  private List<WebHeader> headers;

  private TlsConfig tls;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Type getType() { return type; }
  public void setType(Type type) { this.type = type; }
  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }
  public OnFailure getOnFailure() { return onFailure; }
  public void setOnFailure(OnFailure onFailure) { this.onFailure = onFailure; }
  public Map<String, String> getMetadata() { return metadata; }
  public void setMetadata(Map<String, String> metadata) { this.metadata = metadata; }
  public List<WebHeader> getHeaders() { return headers; }
  public void setHeaders(List<WebHeader> headers) { this.headers = headers; }
  public TlsConfig getTls() { return tls; }
  public void setTls(TlsConfig tls) { this.tls = tls; }

  /** What a failing answer does, its default applied. */
  public boolean abortsOnFailure() {
    return onFailure == OnFailure.Abort;
  }
}
