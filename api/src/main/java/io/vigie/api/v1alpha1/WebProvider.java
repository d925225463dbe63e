package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebProvider {
  @Required
  private String url;

  @Pattern("^(GET|POST)$")
  private String method;

  private String body;

  @JsonPropertyDescription("JSON pointer (RFC 6901) to the number in the response, e.g. /data/errorRate.")
  private String jsonPointer;

  @JsonPropertyDescription("JSON pointer to the number of requests behind the measurement, for minRequests.")
  private String requestsJsonPointer;

  @JsonPropertyDescription("Request headers; values may come from Secrets in the Rollout's namespace.")
  private List<WebHeader> headers;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Request timeout. Default 10s.")
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
