package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A channel the cluster admin offers every namespace (docs/notifications.md#cluster-channels): a
 * Rollout subscribes with clusterScope: true, and the operator's default channel is one. Its
 * Secrets live in one namespace the admin names.
 */
@Group(Rollout.GROUP)
@Version(Rollout.VERSION)
@Kind("ClusterNotificationChannel")
@Singular("clusternotificationchannel")
@Plural("clusternotificationchannels")
@ShortNames("vcnc")
@JsonIgnoreProperties(ignoreUnknown = true)
public class ClusterNotificationChannel extends CustomResource<ClusterNotificationChannelSpec, Void> {
  private static final long serialVersionUID = 1L;
}
