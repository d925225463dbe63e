package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * A message a decision owes a channel, kept in status until it is delivered (or given up), so that an
 * operator restart neither loses nor repeats it; its key is the idempotency key receivers see.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingNotification {
  private String key;
  private String channel;
  private Boolean clusterScope;
  private NotificationSubscription.Event event;
  private String revision;
  private String stableRevision;
  private String step;
  private String message;
  private List<String> evidence = new ArrayList<>();
  private List<String> changes = new ArrayList<>();
  private String at;

  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
  public Boolean getClusterScope() { return clusterScope; }
  public void setClusterScope(Boolean clusterScope) { this.clusterScope = clusterScope; }
  public String getChannel() { return channel; }
  public void setChannel(String channel) { this.channel = channel; }
  public NotificationSubscription.Event getEvent() { return event; }
  public void setEvent(NotificationSubscription.Event event) { this.event = event; }
  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getStableRevision() { return stableRevision; }
  public void setStableRevision(String stableRevision) { this.stableRevision = stableRevision; }
  public String getStep() { return step; }
  public void setStep(String step) { this.step = step; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public List<String> getEvidence() { return evidence; }
  public void setEvidence(List<String> evidence) { this.evidence = evidence; }
  public List<String> getChanges() { return changes; }
  public void setChanges(List<String> changes) { this.changes = changes; }
  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
}
