package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How an analysis' score (the weighted share of its compare metrics that pass, 0 to 100) is read:
 * at or above pass the round succeeds, below marginal the analysis fails, in between it is
 * inconclusive and the Rollout pauses for a person.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.pass) || !has(self.marginal) || self.marginal <= self.pass",
    message = "scoreThresholds.marginal must be at most scoreThresholds.pass")
public class ScoreThresholds {
  public static final int DEFAULT_PASS = 95;
  public static final int DEFAULT_MARGINAL = 75;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("A score at or above this succeeds. Default 95.")
  private Integer pass;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("A score below this fails the analysis; between it and pass, a person decides. Default 75.")
  private Integer marginal;

  public ScoreThresholds() {}

  public ScoreThresholds(int pass, int marginal) {
    this.pass = pass;
    this.marginal = marginal;
  }

  public Integer getPass() { return pass; }
  public void setPass(Integer pass) { this.pass = pass; }
  public Integer getMarginal() { return marginal; }
  public void setMarginal(Integer marginal) { this.marginal = marginal; }

  public int pass() { return pass == null ? DEFAULT_PASS : pass; }
  public int marginal() { return marginal == null ? DEFAULT_MARGINAL : marginal; }
}
