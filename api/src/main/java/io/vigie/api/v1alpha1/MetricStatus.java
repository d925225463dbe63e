package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Where one metric stands: its counts and its last measurements. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricStatus {
  private String name;
  private AnalysisPhase phase;
  @JsonPropertyDescription("Why the metric has its phase, with the values and limits.")
  private String message;
  @JsonPropertyDescription("The success rule, e.g. at most 5%.")
  /** The metric's unit, so that readers of the status show its values as it says. */
  private MetricUnit unit;
  private String rule;
  @JsonPropertyDescription("The limits the verdict counts against, e.g. failureLimit 1, inconclusiveLimit 0.")
  private String limits;
  private int measured;
  private int successful;
  private int failed;
  private int inconclusive;
  private int errors;
  private int consecutiveErrors;
  @JsonPropertyDescription("For an errorRate metric: what its sequential test has seen so far.")
  private SequentialEvidence sequential;
  @JsonPropertyDescription("For a dryRun metric: what it would have done, e.g. would have rolled back at step 3/5.")
  private String dryRunVerdict;
  @JsonPropertyDescription("For a compare metric: its last comparison.")
  private ComparisonEvidence comparison;
  @JsonPropertyDescription("The last measurements, newest last, bounded.")
  private List<MeasurementStatus> measurements = new ArrayList<>();

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public AnalysisPhase getPhase() { return phase; }
  public void setPhase(AnalysisPhase phase) { this.phase = phase; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getRule() { return rule; }
  public void setRule(String rule) { this.rule = rule; }
  public String getLimits() { return limits; }
  public void setLimits(String limits) { this.limits = limits; }
  public int getMeasured() { return measured; }
  public void setMeasured(int measured) { this.measured = measured; }
  public int getSuccessful() { return successful; }
  public void setSuccessful(int successful) { this.successful = successful; }
  public int getFailed() { return failed; }
  public void setFailed(int failed) { this.failed = failed; }
  public int getInconclusive() { return inconclusive; }
  public void setInconclusive(int inconclusive) { this.inconclusive = inconclusive; }
  public int getErrors() { return errors; }
  public void setErrors(int errors) { this.errors = errors; }
  public int getConsecutiveErrors() { return consecutiveErrors; }
  public void setConsecutiveErrors(int consecutiveErrors) { this.consecutiveErrors = consecutiveErrors; }
  public String getDryRunVerdict() { return dryRunVerdict; }
  public void setDryRunVerdict(String dryRunVerdict) { this.dryRunVerdict = dryRunVerdict; }
  public ComparisonEvidence getComparison() { return comparison; }
  public void setComparison(ComparisonEvidence comparison) { this.comparison = comparison; }
  public SequentialEvidence getSequential() { return sequential; }
  public void setSequential(SequentialEvidence sequential) { this.sequential = sequential; }
  public List<MeasurementStatus> getMeasurements() { return measurements; }
  public void setMeasurements(List<MeasurementStatus> measurements) { this.measurements = measurements; }

  public MetricUnit getUnit() {
    return unit;
  }

  public void setUnit(MetricUnit unit) {
    this.unit = unit;
  }
}
