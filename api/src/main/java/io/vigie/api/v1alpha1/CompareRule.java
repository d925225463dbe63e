package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A metric judged by comparing the canary's points with the comparison side's (the baseline, or the
 * stable pods) over a window, as Kayenta's judge does: a Mann–Whitney test and the Hodges–Lehmann
 * shift with its interval (docs/analysis.md, "Comparisons"). The provider's query reads one side;
 * {{side}} names it (canary, then baseline or stable). With the Prometheus provider it runs as a
 * range query over the window; with the web provider its jsonPointer points at an array of numbers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CompareRule {
  public static final double DEFAULT_TOLERANCE = 0.10;
  public static final double DEFAULT_CONFIDENCE = 0.98;
  public static final int DEFAULT_MIN_POINTS = 5;
  public static final String DEFAULT_WINDOW = "5m";
  public static final String DEFAULT_STEP = "15s";
  public static final int DEFAULT_WEIGHT = 1;

  /** What counts as worse. */
  public enum Direction {
    @JsonProperty("increase") INCREASE,
    @JsonProperty("decrease") DECREASE,
    @JsonProperty("either") EITHER
  }

  /** Whether the metric's failure fails the analysis whatever the score. */
  public enum Criticality {
    @JsonProperty("critical") CRITICAL,
    @JsonProperty("normal") NORMAL
  }

  @JsonPropertyDescription("What counts as worse: increase (latency, errors), decrease (throughput, hit rate) or either. "
      + "Default increase.")
  private Direction direction;

  @Min(0)
  @Max(10)
  @JsonPropertyDescription("A shift smaller than this share of the comparison side's median is never a failure. Default 0.1.")
  private Double tolerance;

  @Min(0.5)
  @Max(0.9999)
  @JsonPropertyDescription("Confidence of the shift's interval: the metric is High or Low only when the whole interval is "
      + "beyond 0. Default 0.98.")
  private Double confidence;

  @JsonPropertyDescription("critical: its failure fails the analysis whatever the score; normal (default): it weighs in "
      + "the score.")
  private Criticality criticality;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Its weight in the analysis' score. Default 1.")
  private Integer weight;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.INTERVAL_RULE, message = "window is from 1s to 24h")
  @JsonPropertyDescription("How far back each measurement reads both sides' points (Prometheus range query). Default 5m.")
  private String window;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.INTERVAL_RULE, message = "step is from 1s to 24h")
  @JsonPropertyDescription("Resolution of the range query: one point per step. Default 15s.")
  private String step;

  @Min(1)
  @Max(Limits.COMPARE_POINTS_MAX)
  @JsonPropertyDescription("Points each side needs for a verdict; fewer is NoData (inconclusive, never a pass). Default 5.")
  private Integer minPoints;

  public Direction getDirection() { return direction; }
  public void setDirection(Direction direction) { this.direction = direction; }
  public Double getTolerance() { return tolerance; }
  public void setTolerance(Double tolerance) { this.tolerance = tolerance; }
  public Double getConfidence() { return confidence; }
  public void setConfidence(Double confidence) { this.confidence = confidence; }
  public Criticality getCriticality() { return criticality; }
  public void setCriticality(Criticality criticality) { this.criticality = criticality; }
  public Integer getWeight() { return weight; }
  public void setWeight(Integer weight) { this.weight = weight; }
  public String getWindow() { return window; }
  public void setWindow(String window) { this.window = window; }
  public String getStep() { return step; }
  public void setStep(String step) { this.step = step; }
  public Integer getMinPoints() { return minPoints; }
  public void setMinPoints(Integer minPoints) { this.minPoints = minPoints; }

  public Direction direction() { return direction == null ? Direction.INCREASE : direction; }
  public double tolerance() { return tolerance == null ? DEFAULT_TOLERANCE : tolerance; }
  public double confidence() { return confidence == null ? DEFAULT_CONFIDENCE : confidence; }
  public boolean critical() { return criticality == Criticality.CRITICAL; }
  public int weight() { return weight == null ? DEFAULT_WEIGHT : weight; }
  public String window() { return window == null ? DEFAULT_WINDOW : window; }
  public String step() { return step == null ? DEFAULT_STEP : step; }
  public int minPoints() { return minPoints == null ? DEFAULT_MIN_POINTS : minPoints; }
}
