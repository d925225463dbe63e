package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebProvider {
  @Required
  @Size(min = 1, max = Limits.URL)
  private String url;

  @Pattern("^(GET|POST)$")
  private String method;

  @Size(max = Limits.BODY)
  private String body;

  @Size(max = Limits.JSON_POINTER)
  @JsonPropertyDescription("JSON pointer (RFC 6901) to the number in the response, e.g. /data/errorRate.")
  private String jsonPointer;

  @Size(max = Limits.JSON_POINTER)
  @JsonPropertyDescription("JSON pointer to the number of requests behind the measurement, for minRequests.")
  private String requestsJsonPointer;

  @Size(max = Limits.HEADERS)
  @JsonPropertyDescription("Request headers; values may come from Secrets in the Rollout's namespace.")
  private List<WebHeader> headers;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.TIMEOUT_RULE, message = "timeout is from 1s to 60s")
  @JsonPropertyDescription("Request timeout, 1s to 60s. Default 10s.")
  private String timeout;

  private TlsConfig tls;

  public String getRequestsJsonPointer() { return requestsJsonPointer; }
  public void setRequestsJsonPointer(String requestsJsonPointer) { this.requestsJsonPointer = requestsJsonPointer; }
  public List<WebHeader> getHeaders() { return headers; }
  public void setHeaders(List<WebHeader> headers) { this.headers = headers; }
  public TlsConfig getTls() { return tls; }
  public void setTls(TlsConfig tls) { this.tls = tls; }

  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public String getMethod() { return method; }
  public void setMethod(String method) { this.method = method; }
  public String getBody() { return body; }
  public void setBody(String body) { this.body = body; }
  public String getJsonPointer() { return jsonPointer; }
  public void setJsonPointer(String jsonPointer) { this.jsonPointer = jsonPointer; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
