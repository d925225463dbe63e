package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** One step of a canary: exactly one of setWeight, pause, analysis, setHeaderRoute and gate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.setWeight), has(self.pause), has(self.analysis), has(self.setHeaderRoute), has(self.gate)]"
        + ".filter(x, x).size() == 1",
    message = "a step has exactly one of setWeight, pause, analysis, setHeaderRoute or gate")
public class CanaryStep {
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Percentage of traffic the canary gets, 0 to 100.")
  private Integer setWeight;

  @JsonPropertyDescription("Wait: for the duration, or until a promote when no duration is given.")
  private PauseStep pause;

  @JsonPropertyDescription("Run analysis templates; the step completes when they succeed.")
  private RolloutAnalysis analysis;

  @JsonPropertyDescription("Send requests that carry this header to the canary whatever the weight, from this step until "
      + "promotion or rollback. Needs spec.trafficRouting.")
  private HeaderRouteStep setHeaderRoute;

  @io.fabric8.generator.annotation.Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @io.fabric8.generator.annotation.Size(max = Limits.DNS_LABEL)
  @JsonPropertyDescription("Hold here until the named gate of spec.gates (type step) answers 2xx (docs/gates.md).")
  private String gate;

  public static CanaryStep gate(String name) {
    CanaryStep step = new CanaryStep();
    step.gate = name;
    return step;
  }

  public static CanaryStep headerRoute(String header, String value) {
    CanaryStep step = new CanaryStep();
    step.setHeaderRoute = new HeaderRouteStep(header, value);
    return step;
  }

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

  /** How many of setWeight, pause, analysis, setHeaderRoute and gate the step has: a valid step has one. */
  public int actionCount() {
    return (setWeight != null ? 1 : 0) + (pause != null ? 1 : 0) + (analysis != null ? 1 : 0) + (setHeaderRoute != null ? 1 : 0)
        + (gate != null ? 1 : 0);
  }

  @Override
  public String toString() {
    if (actionCount() != 1) {
      return "invalid step";
    }
    if (setWeight != null) {
      return "setWeight " + setWeight;
    }
    if (pause != null) {
      return pause.getDuration() == null ? "pause" : "pause " + pause.getDuration();
    }
    if (gate != null) {
      return "gate " + gate;
    }
    return analysis != null ? "analysis" : "setHeaderRoute " + setHeaderRoute;
  }

  public Integer getSetWeight() { return setWeight; }
  public void setSetWeight(Integer setWeight) { this.setWeight = setWeight; }
  public PauseStep getPause() { return pause; }
  public void setPause(PauseStep pause) { this.pause = pause; }
  public RolloutAnalysis getAnalysis() { return analysis; }
  public HeaderRouteStep getSetHeaderRoute() { return setHeaderRoute; }
  public void setSetHeaderRoute(HeaderRouteStep setHeaderRoute) { this.setHeaderRoute = setHeaderRoute; }
  public void setAnalysis(RolloutAnalysis analysis) { this.analysis = analysis; }
  public String getGate() { return gate; }
  public void setGate(String gate) { this.gate = gate; }
}
