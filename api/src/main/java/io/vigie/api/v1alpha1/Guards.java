package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Conditions under which no release should move forward, whatever the canary's own health: a
 * traffic surge, or a stable version that is failing by itself (docs/guards.md). While a guard
 * holds, the canary keeps its traffic and its analyses, and a failing canary is still rolled back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Guards {
  @JsonPropertyDescription("Hold while the Service's request rate is above factor times its rate before the release started.")
  private SurgeGuard surge;

  @JsonPropertyDescription("Metrics of the stable side alone ({{side}} is stable in their queries), each with its rule: while "
      + "one fails, the release holds, failures the canary shares with stable are not blamed on it, and a rollback does "
      + "not move traffic onto the failing stable side without a person's vigie.io/abort.")
  private RolloutAnalysis stable;

  public SurgeGuard getSurge() { return surge; }
  public void setSurge(SurgeGuard surge) { this.surge = surge; }
  public RolloutAnalysis getStable() { return stable; }
  public void setStable(RolloutAnalysis stable) { this.stable = stable; }
}
