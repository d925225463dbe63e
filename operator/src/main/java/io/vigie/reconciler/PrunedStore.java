package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.vigie.workload.Labels;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An informer store that keeps of each object what a decision reads, and what a write built from it
 * sends back. A cluster-wide install caches every Deployment, ReplicaSet and Service of the cluster;
 * what no decision reads is dropped as the watch brings it, before the store and the event handlers
 * see it (so that an update filter compares like with like). Dropped: managedFields and kubectl's
 * last-applied annotation of Deployments and ReplicaSets (Vigie writes them with JSON patches only,
 * never a whole object), their status conditions, a ReplicaSet's annotations and selector, the pod
 * template, selector and strategy of Vigie's own canary Deployments (a decision reads their labels,
 * size and ready pods), and a Service's status (Vigie's
 * Service writes are updates of the object, whose status the API server ignores). Objects are
 * pruned in place: they come fresh from the watch, and nothing else holds them.
 */
final class PrunedStore<V extends HasMetadata> extends BasicItemStore<V> {
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private final Consumer<V> prune;

  private PrunedStore(Consumer<V> prune) {
    super(Cache::metaNamespaceKeyFunc);
    this.prune = prune;
  }

  static PrunedStore<Deployment> deployments() {
    return new PrunedStore<>(d -> {
      dropWriteOnlyMetadata(d);
      if (d.getStatus() != null) {
        d.getStatus().setConditions(null);
      }
      boolean canary = d.getMetadata().getLabels() != null && d.getMetadata().getLabels().containsKey(Labels.ROLE)
          && d.getMetadata().getOwnerReferences() != null
          && d.getMetadata().getOwnerReferences().stream().anyMatch(o -> "Rollout".equals(o.getKind()));
      if (canary && d.getSpec() != null) {
        d.getSpec().setTemplate(null);
        d.getSpec().setSelector(null);
        d.getSpec().setStrategy(null);
      }
    });
  }

  static PrunedStore<ReplicaSet> replicaSets() {
    return new PrunedStore<>(rs -> {
      dropWriteOnlyMetadata(rs);
      // Never written by Vigie, and read for its owner, labels, template and counts only. Emptied,
      // never null: JOSDK's event handler reads every event's annotations, and fails on null (every
      // ReplicaSet event was lost that way, InformerEventsTest).
      rs.getMetadata().setAnnotations(Map.of());
      if (rs.getSpec() != null) {
        rs.getSpec().setSelector(null);
      }
      if (rs.getStatus() != null) {
        rs.getStatus().setConditions(null);
      }
    });
  }

  static PrunedStore<Service> services() {
    return new PrunedStore<>(s -> s.setStatus(null));
  }

  private static void dropWriteOnlyMetadata(HasMetadata object) {
    object.getMetadata().setManagedFields(null);
    if (object.getMetadata().getAnnotations() != null) {
      // Removed from the map, never the map itself: a JSON patch built from a null map would add
      // the whole annotations object, and replace the ones the cluster has.
      object.getMetadata().getAnnotations().remove(LAST_APPLIED);
    }
  }

  @Override
  public V put(String key, V object) {
    prune.accept(object);
    return super.put(key, object);
  }
}
