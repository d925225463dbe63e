package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceRef {
  @Required
  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = Limits.SERVICE_NAME)
  @JsonPropertyDescription("Name of the Service in front of the target, in the Rollout's namespace.")
  private String name;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Service port the traffic uses; the Vigie-owned stable and canary Services expose it too.")
  private Integer port;

  public ServiceRef() {}

  public ServiceRef(String name, Integer port) {
    this.name = name;
    this.port = port;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
}
