package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One analysis of the current canary: the background one, or the one of an analysis step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisRunStatus {
  @JsonPropertyDescription("background, or step-N for the analysis step N (1-based).")
  private String name;
  private AnalysisPhase phase;
  private String message;
  private String startedAt;
  private List<MetricStatus> metrics = new ArrayList<>();
  @JsonPropertyDescription("The weighted share of the compare metrics that passed their last comparison, 0 to 100 "
      + "(only when the run has compare metrics, once each has one).")
  private Integer score;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public AnalysisPhase getPhase() { return phase; }
  public void setPhase(AnalysisPhase phase) { this.phase = phase; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public Integer getScore() { return score; }
  public void setScore(Integer score) { this.score = score; }
  public List<MetricStatus> getMetrics() { return metrics; }
  public void setMetrics(List<MetricStatus> metrics) { this.metrics = metrics; }
}
