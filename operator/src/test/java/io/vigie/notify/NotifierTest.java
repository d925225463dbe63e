package io.vigie.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.vigie.analysis.provider.AddressPolicy;
import io.vigie.api.v1alpha1.NotificationChannel;
import io.vigie.api.v1alpha1.NotificationChannelSpec;
import io.vigie.api.v1alpha1.NotificationSubscription.Event;
import io.vigie.api.v1alpha1.PendingNotification;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.testkit.HttpStub;
import io.vigie.testkit.MockCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The notifier alone, against a receiver on loopback: what it settled it never sends again. */
class NotifierTest {
  private final MockCluster cluster = MockCluster.start();
  private final HttpStub receiver = HttpStub.answering(r -> HttpStub.Response.status(200, "ok"));
  private final Notifier notifier = new Notifier(cluster.client(), AddressPolicy.of(List.of("127.0.0.1"), Optional.empty()),
      rollout -> { }, () -> { }, () -> { });

  @AfterEach
  void stop() {
    notifier.close();
    receiver.close();
    cluster.close();
  }

  @Test
  void aMessageSettledAndForgottenIsNotSentAgainWhenAStaleStatusOwesItOnceMore() {
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
    cluster.client().secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("hook")
        .addToLabels(Notifier.SECRET_LABEL, "true").endMetadata()
        .addToData("key", Base64.getEncoder().encodeToString("k".getBytes(StandardCharsets.UTF_8))).build()).create();
    NotificationChannel channel = new NotificationChannel();
    channel.setMetadata(new ObjectMetaBuilder().withName("hook").withNamespace("shop").build());
    NotificationChannelSpec spec = new NotificationChannelSpec();
    NotificationChannelSpec.SignedWebhook webhook = new NotificationChannelSpec.SignedWebhook();
    webhook.setUrl(receiver.url("/hook"));
    webhook.setSigningSecretRef(SecretKeyRef.of("hook", "key"));
    spec.setWebhook(webhook);
    channel.setSpec(spec);
    cluster.client().resources(NotificationChannel.class).inNamespace("shop").resource(channel).create();

    PendingNotification owed = new PendingNotification();
    owed.setKey("rev-2/RolledBack/2/2/0/hook");
    owed.setChannel("hook");
    owed.setEvent(Event.RolledBack);
    owed.setRevision("rev-2");
    Rollout rollout = new Rollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());
    rollout.setStatus(new RolloutStatus());
    rollout.getStatus().setNotifications(List.of(owed));

    notifier.deliver(rollout);
    await().atMost(Duration.ofSeconds(10)).until(() -> notifier.settled("shop/web").keys().contains(owed.getKey()));
    // The status write that drops it landed: the reconciler tells the notifier.
    notifier.forget("shop/web", notifier.settled("shop/web"));
    // A decision made on a stale read (a write retried after a conflict) owes it again.
    notifier.deliver(rollout);

    assertThat(notifier.settled("shop/web").keys()).as("remembered, so the next decision drops it again").contains(owed.getKey());
    assertThat(receiver.requests()).hasSize(1);
  }
}
