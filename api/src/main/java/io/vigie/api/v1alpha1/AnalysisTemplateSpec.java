package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = LenientTemplateSpecDeserializer.class)
public class AnalysisTemplateSpec {
  public static final int MAX_METRICS = Limits.METRICS;

  @Size(max = Limits.ARGS)
  @JsonPropertyDescription("Args the metrics use as {{args.NAME}}; an arg without a value must be given by the Rollout.")
  private List<TemplateArg> args;

  @Required
  @Size(min = 1, max = MAX_METRICS)
  private List<Metric> metrics = new ArrayList<>();

  /** Set when the stored spec did not fit the schema: what is wrong, and where. Never serialized. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  private String schemaProblem;

  @com.fasterxml.jackson.annotation.JsonIgnore
  public String getSchemaProblem() { return schemaProblem; }
  @com.fasterxml.jackson.annotation.JsonIgnore
  public void setSchemaProblem(String schemaProblem) { this.schemaProblem = schemaProblem; }

  public List<TemplateArg> getArgs() { return args; }
  public void setArgs(List<TemplateArg> args) { this.args = args; }
  public List<Metric> getMetrics() { return metrics; }
  public void setMetrics(List<Metric> metrics) { this.metrics = metrics; }
}
