package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Analysis templates to run, with the values of their args. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutAnalysis {
  @Required
  @Size(min = 1)
  @JsonPropertyDescription("AnalysisTemplates (or ClusterAnalysisTemplates with clusterScope: true) to run.")
  private List<TemplateRef> templates = new ArrayList<>();

  @JsonPropertyDescription("Values for the templates' args.")
  private List<AnalysisArg> args;

  public List<TemplateRef> getTemplates() { return templates; }
  public void setTemplates(List<TemplateRef> templates) { this.templates = templates; }
  public List<AnalysisArg> getArgs() { return args; }
  public void setArgs(List<AnalysisArg> args) { this.args = args; }
}
