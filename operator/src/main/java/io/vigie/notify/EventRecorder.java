package io.vigie.notify;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.core.RolloutEvent;
import io.vigie.domain.Timestamps;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records Kubernetes Events on a Rollout, so that `kubectl describe vro` tells its story. */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  public EventRecorder(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  public void record(Rollout rollout, RolloutEvent event) {
    String namespace = rollout.getMetadata().getNamespace();
    String now = Timestamps.format(clock.instant());
    String message = event.message().length() > MAX_MESSAGE ? event.message().substring(0, MAX_MESSAGE - 3) + "..." : event.message();
    LOG.info("event rollout={}/{} type={} reason={} message=\"{}\"", namespace, rollout.getMetadata().getName(),
        event.type(), event.reason(), message);
    try {
      client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata()
          .withName(rollout.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
          .withNamespace(namespace)
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(rollout.getApiVersion())
              .withKind(rollout.getKind())
              .withName(rollout.getMetadata().getName())
              .withNamespace(namespace)
              .withUid(rollout.getMetadata().getUid())
              .build())
          .withType(event.type().name())
          .withReason(event.reason())
          .withMessage(message)
          .withFirstTimestamp(now)
          .withLastTimestamp(now)
          .withCount(1)
          .withNewSource().withComponent("vigie").endSource()
          .withReportingComponent("vigie.io/operator")
          .withReportingInstance(instance)
          .build()).create();
    } catch (KubernetesClientException e) {
      // An Event is a courtesy to the reader: losing one must not stop a rollback.
      LOG.warn("could not record event {} on rollout {}/{}: {}", event.reason(), namespace,
          rollout.getMetadata().getName(), e.getMessage());
    }
  }
}
