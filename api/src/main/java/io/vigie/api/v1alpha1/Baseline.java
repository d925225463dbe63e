package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * New pods of the stable version next to the canary, so that analyses compare new pods with equally
 * new pods: warm-up, caches and nodes affect both sides alike.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Baseline {
  @JsonPropertyDescription("Run <target>-baseline (the stable pod template at the canary's size, pods labelled "
      + "vigie.io/role: baseline) while the canary runs. With a traffic router the canary's weight is shared equally "
      + "between <service>-canary and <service>-baseline (add a weight-0 backend for the latter to your route); with "
      + "replica ratios the baseline pods serve behind your Service. Analyses compare the canary with it ({{side}} is "
      + "'baseline'). Not with NGINX, whose canary Ingress has one backend.")
  private Boolean enabled;

  public Baseline() {}

  public Baseline(boolean enabled) {
    this.enabled = enabled;
  }

  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean enabled) { this.enabled = enabled; }

  public boolean on() {
    return Boolean.TRUE.equals(enabled);
  }
}
