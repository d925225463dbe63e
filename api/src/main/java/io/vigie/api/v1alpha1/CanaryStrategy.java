package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStrategy {
  /** Kept in line with the schema's maxItems so that the operator and the API server agree. */
  public static final int MAX_STEPS = Limits.STEPS;

  @Required
  @Size(min = 1, max = MAX_STEPS)
  @JsonPropertyDescription("The steps of the canary, in order. After the last one the new revision is promoted.")
  private List<CanaryStep> steps = new ArrayList<>();

  @JsonPropertyDescription("A baseline Deployment of the stable version next to the canary, for comparisons.")
  private Baseline baseline;

  @Min(0)
  @Max(BlueGreenStrategy.SCALE_DOWN_DELAY_SECONDS_MAX)
  @JsonPropertyDescription("With spec.trafficRouting: seconds the canary's pods (and the baseline's) keep running after "
      + "the route stopped sending them requests, on a rollback or a promotion, so that every proxy has applied the "
      + "route before the pods go. Default 30. Replica-ratio canaries are scaled down at once.")
  private Integer scaleDownDelaySeconds;

  public List<CanaryStep> getSteps() { return steps; }
  public void setSteps(List<CanaryStep> steps) { this.steps = steps; }
  public Baseline getBaseline() { return baseline; }
  public void setBaseline(Baseline baseline) { this.baseline = baseline; }
  public Integer getScaleDownDelaySeconds() { return scaleDownDelaySeconds; }
  public void setScaleDownDelaySeconds(Integer scaleDownDelaySeconds) { this.scaleDownDelaySeconds = scaleDownDelaySeconds; }

  /** How long a routed canary's pods outlive its last traffic. */
  public int scaleDownDelay() {
    return scaleDownDelaySeconds == null ? BlueGreenStrategy.DEFAULT_SCALE_DOWN_DELAY_SECONDS : scaleDownDelaySeconds;
  }

  /** True when the Rollout runs a baseline next to its canary. */
  public boolean withBaseline() {
    return baseline != null && baseline.on();
  }
}
