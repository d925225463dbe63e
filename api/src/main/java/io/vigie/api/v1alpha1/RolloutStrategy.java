package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStrategy {
  @Required
  private CanaryStrategy canary;

  public CanaryStrategy getCanary() { return canary; }
  public void setCanary(CanaryStrategy canary) { this.canary = canary; }
}
