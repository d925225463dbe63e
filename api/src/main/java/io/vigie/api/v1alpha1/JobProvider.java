package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A measurement that is a Kubernetes Job (docs/analysis.md#job-metrics): Vigie creates it from this
 * spec in the Rollout's namespace, owned by the Rollout and labelled with the revision; the
 * measurement succeeds when the Job succeeds and fails when it fails.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobProvider {
  @Required
  @PreserveUnknownFields
  @JsonPropertyDescription("A batch/v1 JobSpec (template.spec.containers, restartPolicy Never or OnFailure, backoffLimit, "
      + "...), checked by the operator; ttlSecondsAfterFinished defaults to 3600.")
  private com.fasterxml.jackson.databind.JsonNode spec;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.JOB_TIMEOUT_RULE, message = "timeout is from 10s to 24h")
  @JsonPropertyDescription("How long the Job may run before the measurement is an error and the Job is deleted, 10s to 24h. "
      + "Default 10m.")
  private String timeout;

  public com.fasterxml.jackson.databind.JsonNode getSpec() { return spec; }
  public void setSpec(com.fasterxml.jackson.databind.JsonNode spec) { this.spec = spec; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
