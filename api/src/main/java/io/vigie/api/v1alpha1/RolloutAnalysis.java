package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Metrics to judge: from analysis templates and inline, with the values of their args. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.templates) && size(self.templates) > 0) || (has(self.metrics) && size(self.metrics) > 0)",
    message = "an analysis names at least one template or one inline metric")
public class RolloutAnalysis {
  @Size(max = Limits.TEMPLATES)
  @JsonPropertyDescription("AnalysisTemplates (or ClusterAnalysisTemplates with clusterScope: true) to run.")
  private List<TemplateRef> templates = new ArrayList<>();

  @Size(max = Limits.METRICS)
  @JsonPropertyDescription("Metrics defined inline, next to those of the templates.")
  private List<Metric> metrics;

  @Size(max = Limits.ARGS)
  @JsonPropertyDescription("Values for the templates' args.")
  private List<AnalysisArg> args;

  @JsonPropertyDescription("What to do when a metric cannot be measured more than consecutiveErrorLimit times in a row: "
      + "Pause (default) waits for a person, Abort rolls back. Never promotes.")
  private OnMetricsError onMetricsError;

  public enum OnMetricsError { Pause, Abort }

  @JsonPropertyDescription("How the score of the compare metrics (the weighted share that pass, 0 to 100) is read. "
      + "Default pass 95, marginal 75.")
  private ScoreThresholds scoreThresholds;

  public ScoreThresholds getScoreThresholds() { return scoreThresholds; }
  public void setScoreThresholds(ScoreThresholds scoreThresholds) { this.scoreThresholds = scoreThresholds; }

  public List<Metric> getMetrics() { return metrics; }
  public void setMetrics(List<Metric> metrics) { this.metrics = metrics; }
  public OnMetricsError getOnMetricsError() { return onMetricsError; }
  public void setOnMetricsError(OnMetricsError onMetricsError) { this.onMetricsError = onMetricsError; }

  public List<TemplateRef> getTemplates() { return templates; }
  public void setTemplates(List<TemplateRef> templates) { this.templates = templates; }
  public List<AnalysisArg> getArgs() { return args; }
  public void setArgs(List<AnalysisArg> args) { this.args = args; }
}
