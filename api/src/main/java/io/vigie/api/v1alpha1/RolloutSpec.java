package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.Max;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = LenientSpecDeserializer.class)
public class RolloutSpec {
  public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  @Required
  @JsonPropertyDescription("The Deployment this Rollout updates progressively. It stays yours: Vigie only pauses it.")
  private WorkloadRef targetRef;

  @Required
  @JsonPropertyDescription("The Service in front of the target Deployment.")
  private ServiceRef service;

  @JsonPropertyDescription("How traffic is split between stable and canary: gatewayAPI, istio or nginx. Without it the split "
      + "follows the ratio of ready pods behind the user's Service (the canary gets at most half).")
  private TrafficRouting trafficRouting;

  @Required
  @JsonPropertyDescription("How a new revision is rolled out.")
  private RolloutStrategy strategy;

  @JsonPropertyDescription("Background analysis that runs for the whole canary.")
  private RolloutAnalysis analysis;

  @JsonPropertyDescription("Conditions under which the release holds whatever the canary's health: a traffic surge, a "
      + "failing stable version (docs/guards.md).")
  private Guards guards;

  @io.fabric8.generator.annotation.Size(max = 20)
  @JsonPropertyDescription("Systems the release asks before it moves on: before the canary's first traffic, at a step, "
      + "before the promotion, after it, and load generators for quiet services (docs/gates.md).")
  private java.util.List<Gate> gates;

  @io.fabric8.generator.annotation.Size(max = 20)
  @JsonPropertyDescription("Channels told about this Rollout's releases, each for some events (docs/notifications.md).")
  private java.util.List<NotificationSubscription> notifications;

  @Min(1)
  @Max(Limits.PROGRESS_DEADLINE_SECONDS_MAX)
  @JsonPropertyDescription("Seconds a step may take to make progress (canary pods ready, promotion complete) before the update is aborted. Default 600.")
  private Integer progressDeadlineSeconds;

  /** Set when the stored spec did not fit the schema: what is wrong, and where. Never serialized. */
  @JsonIgnore
  private String schemaProblem;

  @JsonIgnore
  public String getSchemaProblem() { return schemaProblem; }
  @JsonIgnore
  public void setSchemaProblem(String schemaProblem) { this.schemaProblem = schemaProblem; }

  public WorkloadRef getTargetRef() { return targetRef; }
  public void setTargetRef(WorkloadRef targetRef) { this.targetRef = targetRef; }
  public ServiceRef getService() { return service; }
  public void setService(ServiceRef service) { this.service = service; }
  public TrafficRouting getTrafficRouting() { return trafficRouting; }
  public void setTrafficRouting(TrafficRouting trafficRouting) { this.trafficRouting = trafficRouting; }
  public RolloutStrategy getStrategy() { return strategy; }
  public void setStrategy(RolloutStrategy strategy) { this.strategy = strategy; }
  public RolloutAnalysis getAnalysis() { return analysis; }
  public void setAnalysis(RolloutAnalysis analysis) { this.analysis = analysis; }
  public Guards getGuards() { return guards; }
  public void setGuards(Guards guards) { this.guards = guards; }
  public java.util.List<Gate> getGates() { return gates; }
  public void setGates(java.util.List<Gate> gates) { this.gates = gates; }
  public java.util.List<NotificationSubscription> getNotifications() { return notifications; }
  public void setNotifications(java.util.List<NotificationSubscription> notifications) { this.notifications = notifications; }
  public Integer getProgressDeadlineSeconds() { return progressDeadlineSeconds; }
  public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) { this.progressDeadlineSeconds = progressDeadlineSeconds; }
}
