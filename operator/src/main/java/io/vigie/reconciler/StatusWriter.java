package io.vigie.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a decision's status with an optimistic lock on the resourceVersion the decision read. The
 * status is the operator's alone, but the Rollout's metadata and spec are not: a label written
 * meanwhile (a GitOps tool, kubectl) must not lose a decision whose cluster writes are already done
 * (an abort's scale-down). So on a conflict the same status goes on the fresh object when only
 * metadata or spec moved (it names the generation it was decided on, and the spec change's own event
 * brings the next decision). When the stored status differs from the one the decision read, the
 * decision rested on a cache behind an earlier write of this operator (an abort, perhaps): nothing is
 * written, and the caller decides again on the fresh object.
 */
final class StatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @param read the Rollout the decision was made on
   * @param cache told of every version this writer learns (the written one, or the fresh one), with the
   *     version it replaces: JOSDK's read-after-write cache
   * @return the Rollout as it now is, or empty when the decision must be made again
   */
  Optional<Rollout> write(Rollout read, RolloutStatus status, BiConsumer<Rollout, Rollout> cache) {
    if (same(status, read.getStatus())) {
      return Optional.of(read);
    }
    String namespace = read.getMetadata().getNamespace();
    LOG.info("status rollout={}/{} phase={} step={} weight={} message=\"{}\"", namespace, read.getMetadata().getName(),
        status.getPhase(), status.getStep(), status.getCanaryWeight(), status.getMessage());
    Rollout base = read;
    for (int attempt = 1; ; attempt++) {
      Rollout update = new Rollout();
      update.setMetadata(base.getMetadata());
      update.setSpec(base.getSpec());
      update.setStatus(status);
      try {
        Rollout written = client.resources(Rollout.class).inNamespace(namespace).resource(update).updateStatus();
        cache.accept(written, base);
        return Optional.of(written);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
        Rollout fresh = client.resources(Rollout.class).inNamespace(namespace).withName(read.getMetadata().getName()).get();
        if (fresh == null) {
          return Optional.of(read);
        }
        if (!same(fresh.getStatus(), read.getStatus())) {
          cache.accept(fresh, read);
          return Optional.empty();
        }
        base = fresh;
      }
    }
  }

  private static boolean same(RolloutStatus a, RolloutStatus b) {
    return Objects.equals(JSON.valueToTree(a), JSON.valueToTree(b));
  }
}
