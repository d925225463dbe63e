package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.traffic.RouteObjects;
import io.vigie.traffic.TrafficRouters;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The caches a decision reads the cluster from, and the read-after-write that makes them safe: in
 * the operator, JOSDK's informers, and every write of Vigie's handed to its temporary resource
 * cache, so that the next reconcile reads it even before the watch brings it, and the watch event
 * of that write does not trigger a reconcile of its own. Objects from here may be shared with the
 * cache: never edit them.
 *
 * @param replicaSetsByOwner the ReplicaSets a Deployment (by uid) owns
 * @param routers the traffic routers, reading the route objects from their informers where there are
 */
record ClusterCaches(Kind<Deployment> deployments, Kind<Service> services,
    Function<String, List<ReplicaSet>> replicaSetsByOwner, TrafficRouters routers) {
  /** ReplicaSets by the uid of the Deployment that owns them. */
  static final String OWNER_INDEX = "vigie-owner";

  /**
   * One kind's reads and write notices.
   *
   * @param written told of each write: the object as written, and as it was read before (absent for a create)
   */
  record Kind<R extends HasMetadata>(Function<ResourceID, Optional<R>> get, BiConsumer<R, Optional<R>> written) {
    /** The informer's cache, with JOSDK's read-after-write for the writes it is told of. */
    static <R extends HasMetadata> Kind<R> of(InformerEventSource<R, Rollout> source) {
      return new Kind<>(source::get, (after, before) -> {
        ResourceID id = ResourceID.fromResource(after);
        // Same uid: an update; otherwise a create (after a delete of the same name, for a new canary revision).
        if (before.isPresent() && before.get().getMetadata().getUid() != null
            && before.get().getMetadata().getUid().equals(after.getMetadata().getUid())) {
          source.handleRecentResourceUpdate(id, after, before.get());
        } else {
          source.handleRecentResourceCreate(id, after);
        }
      });
    }
  }

  static ClusterCaches of(InformerEventSource<Deployment, Rollout> deployments, InformerEventSource<Service, Rollout> services,
      InformerEventSource<ReplicaSet, Rollout> replicaSets, RouteObjects routes) {
    return new ClusterCaches(Kind.of(deployments), Kind.of(services), uid -> replicaSets.byIndex(OWNER_INDEX, uid),
        new TrafficRouters(routes));
  }

  /** A route kind's informer as the routers read it. */
  static <R extends HasMetadata> RouteObjects.Cache<R> routeCache(InformerEventSource<R, Rollout> source) {
    Kind<R> kind = Kind.of(source);
    return new RouteObjects.Cache<>((namespace, name) -> kind.get().apply(new ResourceID(name, namespace)), kind.written());
  }

  static Map<String, Function<ReplicaSet, List<String>>> replicaSetIndexers() {
    return Map.of(OWNER_INDEX, rs -> ownerDeployment(rs).map(OwnerReference::getUid).stream().toList());
  }

  /** The Deployment that owns this ReplicaSet. */
  static Optional<OwnerReference> ownerDeployment(ReplicaSet rs) {
    List<OwnerReference> owners = rs.getMetadata().getOwnerReferences();
    return owners == null ? Optional.empty() : owners.stream()
        .filter(o -> "Deployment".equals(o.getKind()) && o.getUid() != null)
        .findFirst();
  }

  Optional<Deployment> deployment(String namespace, String name) {
    return deployments.get().apply(new ResourceID(name, namespace));
  }

  Optional<Service> service(String namespace, String name) {
    return services.get().apply(new ResourceID(name, namespace));
  }

  List<ReplicaSet> replicaSetsOf(Deployment deployment) {
    return replicaSetsByOwner.apply(deployment.getMetadata().getUid());
  }

  /** A Deployment Vigie created or changed: later reads return this version, or a newer one. */
  void written(Optional<Deployment> before, Deployment after) {
    deployments.written().accept(after, before);
  }

  void writtenService(Optional<Service> before, Service after) {
    services.written().accept(after, before);
  }
}
