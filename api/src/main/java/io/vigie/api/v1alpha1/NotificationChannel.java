package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Where the Rollouts of one namespace tell people about their releases: a chat or a webhook (docs/notifications.md). */
@Group(Rollout.GROUP)
@Version(Rollout.VERSION)
@Kind("NotificationChannel")
@Singular("notificationchannel")
@Plural("notificationchannels")
@ShortNames("vnc")
@JsonIgnoreProperties(ignoreUnknown = true)
public class NotificationChannel extends CustomResource<NotificationChannelSpec, Void> implements Namespaced {
  private static final long serialVersionUID = 1L;
}
