package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusProvider {
  @JsonPropertyDescription("Base URL of the Prometheus HTTP API; default: the operator's --prometheus-address.")
  private String address;

  @Required
  @JsonPropertyDescription("PromQL instant query returning a scalar or a one-element vector.")
  private String query;

  @Pattern(Durations.PATTERN)
  private String timeout;

  public String getAddress() { return address; }
  public void setAddress(String address) { this.address = address; }
  public String getQuery() { return query; }
  public void setQuery(String query) { this.query = query; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
