package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last comparison of a compare metric: both sides' points, medians, the shift and its interval, the verdict. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComparisonEvidence {
  /** A comparison's verdict, as Kayenta names them. */
  public enum Result { Pass, High, Low, NoData }

  @JsonPropertyDescription("The side the canary was compared with: baseline or stable.")
  private String side;
  private int canaryPoints;
  private int otherPoints;
  private Double canaryMedian;
  private Double otherMedian;
  @JsonPropertyDescription("Hodges-Lehmann estimate of canary minus the other side, with its interval at the metric's confidence.")
  private Double shift;
  private Double lower;
  private Double upper;
  @JsonProperty("pValue")
  @JsonPropertyDescription("Two-sided Mann-Whitney p-value.")
  private Double pValue;
  private Result result;

  public String getSide() { return side; }
  public void setSide(String side) { this.side = side; }
  public int getCanaryPoints() { return canaryPoints; }
  public void setCanaryPoints(int canaryPoints) { this.canaryPoints = canaryPoints; }
  public int getOtherPoints() { return otherPoints; }
  public void setOtherPoints(int otherPoints) { this.otherPoints = otherPoints; }
  public Double getCanaryMedian() { return canaryMedian; }
  public void setCanaryMedian(Double canaryMedian) { this.canaryMedian = canaryMedian; }
  public Double getOtherMedian() { return otherMedian; }
  public void setOtherMedian(Double otherMedian) { this.otherMedian = otherMedian; }
  public Double getShift() { return shift; }
  public void setShift(Double shift) { this.shift = shift; }
  public Double getLower() { return lower; }
  public void setLower(Double lower) { this.lower = lower; }
  public Double getUpper() { return upper; }
  public void setUpper(Double upper) { this.upper = upper; }
  @JsonProperty("pValue")
  public Double getPValue() { return pValue; }
  @JsonProperty("pValue")
  public void setPValue(Double pValue) { this.pValue = pValue; }
  public Result getResult() { return result; }
  public void setResult(Result result) { this.result = result; }
}
