package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRef {
  @Required
  @JsonPropertyDescription("Kind of the target workload. Only Deployment is supported.")
  private TargetKind kind;

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = Limits.TARGET_NAME)
  @JsonPropertyDescription("Name of the target in the Rollout's namespace.")
  private String name;

  public WorkloadRef() {}

  public WorkloadRef(TargetKind kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public TargetKind getKind() { return kind; }
  public void setKind(TargetKind kind) { this.kind = kind; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
