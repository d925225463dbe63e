package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Requests carrying this header with this exact value go to the canary, whatever the weight. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HeaderRouteStep {
  @Required
  @Pattern("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}$")
  @JsonPropertyDescription("HTTP header name, e.g. x-canary.")
  private String header;

  @Required
  @Pattern("^[ -~]{1,256}$")
  @JsonPropertyDescription("Exact value the header must have, e.g. \"true\".")
  private String value;

  public HeaderRouteStep() {}

  public HeaderRouteStep(String header, String value) {
    this.header = header;
    this.value = value;
  }

  public String getHeader() { return header; }
  public void setHeader(String header) { this.header = header; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }

  @Override
  public String toString() {
    return header + ": " + value;
  }
}
