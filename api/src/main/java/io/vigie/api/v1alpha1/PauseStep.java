package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PauseStep {
  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.PAUSE_RULE, message = "a pause lasts at most 720h")
  @JsonPropertyDescription("How long to wait, e.g. 30s, 5m, 1h, 1h30m. Without it the rollout waits for a promote.")
  private String duration;

  public PauseStep() {}

  public PauseStep(String duration) {
    this.duration = duration;
  }

  public String getDuration() { return duration; }
  public void setDuration(String duration) { this.duration = duration; }
}
