package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Why the last update was rolled back, with the evidence, for the person on call. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackReport {
  @JsonPropertyDescription("The revision rolled back, and the stable one that serves instead.")
  private String revision;
  private String stableRevision;
  @JsonPropertyDescription("What triggered it: AnalysisFailed, AnalysisError, ProgressDeadlineExceeded, GateFailed or ManualAbort.")
  private String trigger;
  private String summary;
  @JsonPropertyDescription("When the canary first served traffic, when the rollback was decided, when the canary served no more.")
  private String canaryStartedAt;
  private String decidedAt;
  private String trafficBackAt;
  @JsonPropertyDescription("Seconds from the canary's first traffic to the decision.")
  private Long secondsToDecision;
  @JsonPropertyDescription("Seconds from the decision to the canary serving nothing.")
  private Long secondsToTrafficBack;
  @JsonPropertyDescription("The metrics that failed or could not be measured, with their measurements against their rule.")
  private List<MetricEvidence> metrics = new ArrayList<>();
  @JsonPropertyDescription("What changed from the stable pod template to the canary's: images, env, args, resources, probes, "
      + "referenced ConfigMaps and Secrets.")
  private List<String> changes = new ArrayList<>();

  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getStableRevision() { return stableRevision; }
  public void setStableRevision(String stableRevision) { this.stableRevision = stableRevision; }
  public String getTrigger() { return trigger; }
  public void setTrigger(String trigger) { this.trigger = trigger; }
  public String getSummary() { return summary; }
  public void setSummary(String summary) { this.summary = summary; }
  public String getCanaryStartedAt() { return canaryStartedAt; }
  public void setCanaryStartedAt(String canaryStartedAt) { this.canaryStartedAt = canaryStartedAt; }
  public String getDecidedAt() { return decidedAt; }
  public void setDecidedAt(String decidedAt) { this.decidedAt = decidedAt; }
  public String getTrafficBackAt() { return trafficBackAt; }
  public void setTrafficBackAt(String trafficBackAt) { this.trafficBackAt = trafficBackAt; }
  public Long getSecondsToDecision() { return secondsToDecision; }
  public void setSecondsToDecision(Long secondsToDecision) { this.secondsToDecision = secondsToDecision; }
  public Long getSecondsToTrafficBack() { return secondsToTrafficBack; }
  public void setSecondsToTrafficBack(Long secondsToTrafficBack) { this.secondsToTrafficBack = secondsToTrafficBack; }
  public List<MetricEvidence> getMetrics() { return metrics; }
  public void setMetrics(List<MetricEvidence> metrics) { this.metrics = metrics; }
  public List<String> getChanges() { return changes; }
  public void setChanges(List<String> changes) { this.changes = changes; }
}
