package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One measurement of a metric. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MeasurementStatus {
  private String at;
  @JsonPropertyDescription("The value as text (a number, NaN, +Inf or -Inf); absent when the measurement failed.")
  private String value;
  private AnalysisPhase phase;
  private String message;

  public MeasurementStatus() {}

  public MeasurementStatus(String at, String value, AnalysisPhase phase, String message) {
    this.at = at;
    this.value = value;
    this.phase = phase;
    this.message = message;
  }

  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public AnalysisPhase getPhase() { return phase; }
  public void setPhase(AnalysisPhase phase) { this.phase = phase; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
