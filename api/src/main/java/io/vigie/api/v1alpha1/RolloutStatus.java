package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's only memory: everything needed to resume a rollout after a restart is here.
 * Timestamps are RFC 3339 strings, as everywhere in Kubernetes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = LenientStatusDeserializer.class)
public class RolloutStatus {
  /** Set when the stored status could not be read: why. The operator then rebuilds it. Never serialized. */
  @JsonIgnore
  private String readProblem;

  private RolloutPhase phase;
  private String message;
  private Long observedGeneration;

  @JsonPropertyDescription("Revision (Vigie's hash of the pod template) that serves all traffic when nothing is in progress.")
  private String stableRevision;
  @JsonPropertyDescription("pod-template-hash label of the target's ReplicaSet for the stable revision.")
  private String stablePodTemplateHash;
  @JsonPropertyDescription("Revision under test, if any.")
  private String canaryRevision;

  private Integer currentStepIndex;
  @JsonPropertyDescription("Hash of the canary steps the current step index refers to.")
  private String stepsHash;
  @JsonPropertyDescription("Current step for display, e.g. 3/5.")
  private String step;
  private String stepStartedAt;
  private String pauseStartedAt;
  @JsonPropertyDescription("True while a person paused the rollout with vigie.io/pause.")
  private Boolean userPaused;
  @JsonPropertyDescription("Step numbers a person cut short with vigie.io/promote (completed by hand, or skipped with "
      + "promote=full), for the audit trail. An indefinite pause released by a promote is passed, not skipped.")
  private List<Integer> skippedSteps;
  private String canaryStartedAt;
  private String promotionStartedAt;
  @JsonPropertyDescription("When the canary's pods, no longer routed any request, are scaled to 0 "
      + "(spec.strategy.canary.scaleDownDelaySeconds after the route left them).")
  private String canaryScaleDownAt;

  @JsonPropertyDescription("Weight the current step asks for.")
  private Integer desiredWeight;
  @JsonPropertyDescription("Share of traffic the canary actually serves, in percent.")
  private Integer canaryWeight;

  @JsonPropertyDescription("The analyses of the current (or last) canary: background and analysis steps.")
  private List<AnalysisRunStatus> analysis = new ArrayList<>();

  @JsonPropertyDescription("The gates of the current (or last) canary: asked when, what they answered (docs/gates.md).")
  private List<GateStatus> gates;

  @JsonPropertyDescription("A blue-green release: active and preview revisions, the switch, the countdowns.")
  private BlueGreenStatus blueGreen;

  @JsonPropertyDescription("With the annotation vigie.io/track-configs: \"true\": the ConfigMaps and Secrets the pod template "
      + "references (\"ConfigMap web-config\"), each with what it was when the canary started: a hash of a ConfigMap's data, "
      + "a Secret's resourceVersion (never its content), or \"absent\".")
  private java.util.Map<String, String> trackedConfigs;

  @JsonPropertyDescription("Messages owed to notification channels, until delivered (the key is their idempotency key).")
  private List<PendingNotification> notifications;

  private AbortStatus abort;
  @JsonPropertyDescription("Why the last update was rolled back, with the evidence and what changed.")
  private RollbackReport rollbackReport;
  private ControlRecord lastControl;
  @JsonPropertyDescription("Past revisions and their verdicts, newest last, bounded.")
  private List<RevisionRecord> history = new ArrayList<>();
  private List<Condition> conditions = new ArrayList<>();

  @JsonIgnore
  public String getReadProblem() { return readProblem; }
  @JsonIgnore
  public void setReadProblem(String readProblem) { this.readProblem = readProblem; }

  public RolloutPhase getPhase() { return phase; }
  public void setPhase(RolloutPhase phase) { this.phase = phase; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getStableRevision() { return stableRevision; }
  public void setStableRevision(String stableRevision) { this.stableRevision = stableRevision; }
  public String getStablePodTemplateHash() { return stablePodTemplateHash; }
  public void setStablePodTemplateHash(String stablePodTemplateHash) { this.stablePodTemplateHash = stablePodTemplateHash; }
  public String getCanaryRevision() { return canaryRevision; }
  public void setCanaryRevision(String canaryRevision) { this.canaryRevision = canaryRevision; }
  public String getStepsHash() { return stepsHash; }
  public void setStepsHash(String stepsHash) { this.stepsHash = stepsHash; }
  public Integer getCurrentStepIndex() { return currentStepIndex; }
  public void setCurrentStepIndex(Integer currentStepIndex) { this.currentStepIndex = currentStepIndex; }
  public String getStep() { return step; }
  public void setStep(String step) { this.step = step; }
  public String getStepStartedAt() { return stepStartedAt; }
  public void setStepStartedAt(String stepStartedAt) { this.stepStartedAt = stepStartedAt; }
  public String getPauseStartedAt() { return pauseStartedAt; }
  public void setPauseStartedAt(String pauseStartedAt) { this.pauseStartedAt = pauseStartedAt; }
  public Boolean getUserPaused() { return userPaused; }
  public void setUserPaused(Boolean userPaused) { this.userPaused = userPaused; }
  public List<Integer> getSkippedSteps() { return skippedSteps; }
  public void setSkippedSteps(List<Integer> skippedSteps) { this.skippedSteps = skippedSteps; }
  public String getCanaryScaleDownAt() { return canaryScaleDownAt; }
  public void setCanaryScaleDownAt(String canaryScaleDownAt) { this.canaryScaleDownAt = canaryScaleDownAt; }
  public String getCanaryStartedAt() { return canaryStartedAt; }
  public void setCanaryStartedAt(String canaryStartedAt) { this.canaryStartedAt = canaryStartedAt; }
  public String getPromotionStartedAt() { return promotionStartedAt; }
  public void setPromotionStartedAt(String promotionStartedAt) { this.promotionStartedAt = promotionStartedAt; }
  public Integer getDesiredWeight() { return desiredWeight; }
  public void setDesiredWeight(Integer desiredWeight) { this.desiredWeight = desiredWeight; }
  public Integer getCanaryWeight() { return canaryWeight; }
  public void setCanaryWeight(Integer canaryWeight) { this.canaryWeight = canaryWeight; }
  public List<AnalysisRunStatus> getAnalysis() { return analysis; }
  public void setAnalysis(List<AnalysisRunStatus> analysis) { this.analysis = analysis; }
  public BlueGreenStatus getBlueGreen() { return blueGreen; }
  public void setBlueGreen(BlueGreenStatus blueGreen) { this.blueGreen = blueGreen; }
  public java.util.Map<String, String> getTrackedConfigs() { return trackedConfigs; }
  public void setTrackedConfigs(java.util.Map<String, String> trackedConfigs) { this.trackedConfigs = trackedConfigs; }
  public List<GateStatus> getGates() { return gates; }
  public void setGates(List<GateStatus> gates) { this.gates = gates; }
  public List<PendingNotification> getNotifications() { return notifications; }
  public void setNotifications(List<PendingNotification> notifications) { this.notifications = notifications; }
  public RollbackReport getRollbackReport() { return rollbackReport; }
  public void setRollbackReport(RollbackReport rollbackReport) { this.rollbackReport = rollbackReport; }
  public AbortStatus getAbort() { return abort; }
  public void setAbort(AbortStatus abort) { this.abort = abort; }
  public ControlRecord getLastControl() { return lastControl; }
  public void setLastControl(ControlRecord lastControl) { this.lastControl = lastControl; }
  public List<RevisionRecord> getHistory() { return history; }
  public void setHistory(List<RevisionRecord> history) { this.history = history; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
}
