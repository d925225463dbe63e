package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.canary) != has(self.blueGreen)",
    message = "set exactly one strategy: canary or blueGreen")
public class RolloutStrategy {
  @JsonPropertyDescription("Canary steps: traffic moves to the new version in steps, each judged.")
  private CanaryStrategy canary;

  @JsonPropertyDescription("Blue-green: the new version at full size beside the old, judged on a preview, then all traffic at "
      + "once, with a switch back in one write (docs/blue-green.md).")
  private BlueGreenStrategy blueGreen;

  public CanaryStrategy getCanary() { return canary; }
  public void setCanary(CanaryStrategy canary) { this.canary = canary; }
  public BlueGreenStrategy getBlueGreen() { return blueGreen; }
  public void setBlueGreen(BlueGreenStrategy blueGreen) { this.blueGreen = blueGreen; }

  /** True for a blue-green Rollout. */
  public boolean usesBlueGreen() {
    return blueGreen != null && canary == null;
  }
}
