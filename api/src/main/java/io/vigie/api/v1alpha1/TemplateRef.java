package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TemplateRef {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = Limits.DNS_SUBDOMAIN)
  private String name;

  @JsonPropertyDescription("true for a ClusterAnalysisTemplate, false (default) for an AnalysisTemplate in the Rollout's namespace.")
  private Boolean clusterScope;

  /** A reference to the AnalysisTemplate of this name in the Rollout's namespace. */
  public static TemplateRef named(String name) {
    TemplateRef ref = new TemplateRef();
    ref.name = name;
    return ref;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Boolean getClusterScope() { return clusterScope; }
  public void setClusterScope(Boolean clusterScope) { this.clusterScope = clusterScope; }
}
