package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** One step of a canary: exactly one of setWeight, pause and analysis. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.setWeight), has(self.pause), has(self.analysis)].filter(x, x).size() == 1",
    message = "a step has exactly one of setWeight, pause or analysis")
public class CanaryStep {
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Percentage of traffic the canary gets, 0 to 100.")
  private Integer setWeight;

  @JsonPropertyDescription("Wait: for the duration, or until a promote when no duration is given.")
  private PauseStep pause;

  @JsonPropertyDescription("Run analysis templates; the step completes when they succeed.")
  private RolloutAnalysis analysis;

  public static CanaryStep weight(int weight) {
    CanaryStep step = new CanaryStep();
    step.setWeight = weight;
    return step;
  }

  public static CanaryStep pauseFor(String duration) {
    CanaryStep step = new CanaryStep();
    step.pause = new PauseStep(duration);
    return step;
  }

  public static CanaryStep pauseUntilPromoted() {
    return pauseFor(null);
  }

  @Override
  public String toString() {
    if (setWeight != null && pause == null && analysis == null) {
      return "setWeight " + setWeight;
    }
    if (pause != null && setWeight == null && analysis == null) {
      return pause.getDuration() == null ? "pause" : "pause " + pause.getDuration();
    }
    return analysis != null && setWeight == null && pause == null ? "analysis" : "invalid step";
  }

  public Integer getSetWeight() { return setWeight; }
  public void setSetWeight(Integer setWeight) { this.setWeight = setWeight; }
  public PauseStep getPause() { return pause; }
  public void setPause(PauseStep pause) { this.pause = pause; }
  public RolloutAnalysis getAnalysis() { return analysis; }
  public void setAnalysis(RolloutAnalysis analysis) { this.analysis = analysis; }
}
