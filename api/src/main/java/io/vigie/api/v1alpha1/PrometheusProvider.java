package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusProvider {
  @Size(max = Limits.URL)
  @JsonPropertyDescription("Base URL of the Prometheus HTTP API; default: the operator's --prometheus-address.")
  private String address;

  @Required
  @Size(min = 1, max = Limits.QUERY)
  @JsonPropertyDescription("PromQL instant query returning a scalar or a one-element vector.")
  private String query;

  @Size(max = Limits.QUERY)
  @JsonPropertyDescription("PromQL instant query for the number of requests behind the measurement, for minRequests.")
  private String requestsQuery;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.TIMEOUT_RULE, message = "timeout is from 1s to 60s")
  @JsonPropertyDescription("Query timeout, 1s to 60s. Default 10s.")
  private String timeout;

  @JsonPropertyDescription("Credentials for the Prometheus API, from Secrets in the Rollout's namespace.")
  private HttpAuth auth;

  @JsonPropertyDescription("TLS settings for an https address.")
  private TlsConfig tls;

  public String getRequestsQuery() { return requestsQuery; }
  public void setRequestsQuery(String requestsQuery) { this.requestsQuery = requestsQuery; }
  public HttpAuth getAuth() { return auth; }
  public void setAuth(HttpAuth auth) { this.auth = auth; }
  public TlsConfig getTls() { return tls; }
  public void setTls(TlsConfig tls) { this.tls = tls; }

  public String getAddress() { return address; }
  public void setAddress(String address) { this.address = address; }
  public String getQuery() { return query; }
  public void setQuery(String query) { this.query = query; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
