package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One metric behind a rollback: its rule, limits and measurements. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricEvidence {
  private String run;
  private String metric;
  private AnalysisPhase phase;
  /** The metric's unit, so that readers of the status show its values as it says. */
  private MetricUnit unit;
  private String rule;
  private String limits;
  private List<MeasurementStatus> measurements = new ArrayList<>();
  @JsonPropertyDescription("For a compare metric: its last comparison.")
  private ComparisonEvidence comparison;

  public ComparisonEvidence getComparison() { return comparison; }
  public void setComparison(ComparisonEvidence comparison) { this.comparison = comparison; }

  public String getRun() { return run; }
  public void setRun(String run) { this.run = run; }
  public String getMetric() { return metric; }
  public void setMetric(String metric) { this.metric = metric; }
  public AnalysisPhase getPhase() { return phase; }
  public void setPhase(AnalysisPhase phase) { this.phase = phase; }
  public String getRule() { return rule; }
  public void setRule(String rule) { this.rule = rule; }
  public String getLimits() { return limits; }
  public void setLimits(String limits) { this.limits = limits; }
  public List<MeasurementStatus> getMeasurements() { return measurements; }
  public void setMeasurements(List<MeasurementStatus> measurements) { this.measurements = measurements; }

  public MetricUnit getUnit() {
    return unit;
  }

  public void setUnit(MetricUnit unit) {
    this.unit = unit;
  }
}
