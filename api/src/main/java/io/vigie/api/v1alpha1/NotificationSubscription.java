package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** A channel told about some of a Rollout's events. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationSubscription {
  /** What a Rollout can tell a channel about. */
  public enum Event { Started, Paused, Promoted, RolledBack, AnalysisInconclusive, Invalid }

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = Limits.DNS_SUBDOMAIN)
  @JsonPropertyDescription("A NotificationChannel of the Rollout's namespace, or a ClusterNotificationChannel with clusterScope.")
  private String channel;

  @Required
  @Size(min = 1, max = 6)
  @JsonPropertyDescription("The events the channel hears about: Started, Paused, Promoted, RolledBack, AnalysisInconclusive, Invalid.")
  private List<Event> on = new ArrayList<>();

  @JsonPropertyDescription("The channel is a ClusterNotificationChannel (the cluster admin's) rather than one of the Rollout's "
      + "namespace.")
  private Boolean clusterScope;

  public static NotificationSubscription of(String channel, boolean clusterScope, List<Event> on) {
    NotificationSubscription s = new NotificationSubscription();
    s.channel = channel;
    s.clusterScope = clusterScope ? true : null;
    s.on = new ArrayList<>(on);
    return s;
  }

  public boolean clusterScoped() {
    return Boolean.TRUE.equals(clusterScope);
  }

  public String getChannel() { return channel; }
  public void setChannel(String channel) { this.channel = channel; }
  public Boolean getClusterScope() { return clusterScope; }
  public void setClusterScope(Boolean clusterScope) { this.clusterScope = clusterScope; }
  public List<Event> getOn() { return on; }
  public void setOn(List<Event> on) { this.on = on; }
}
