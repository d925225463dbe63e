package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.core.Action;
import io.vigie.traffic.RouteTarget;
import io.vigie.traffic.TrafficRouters;
import io.vigie.workload.CanaryDeployments;
import io.vigie.workload.TargetDeployments;
import io.vigie.workload.VigieServices;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the cluster writes of a decision, in the order the decision lists them. Each write
 * starts from the object as the observation read it, or as an earlier write of the same decision
 * left it: a reconcile reads each object once.
 */
final class ActionExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(ActionExecutor.class);

  private final TargetDeployments targets;
  private final CanaryDeployments canaries;
  private final VigieServices services;

  ActionExecutor(KubernetesClient client, CanaryDeployments canaries, VigieServices services) {
    this.targets = new TargetDeployments(client);
    this.canaries = canaries;
    this.services = services;
  }

  void apply(Rollout rollout, ClusterSnapshot snapshot, List<Action> actions, ClusterCaches caches) {
    Written written = new Written(snapshot);
    for (Action action : actions) {
      apply(rollout, snapshot, action, written, caches);
    }
  }

  /** Vigie's objects as last read or written in this decision. */
  private static final class Written {
    private Optional<Deployment> canary;
    private Optional<Service> stableService;
    private Optional<Service> canaryService;

    Written(ClusterSnapshot snapshot) {
      this.canary = snapshot.canary();
      this.stableService = snapshot.stableService();
      this.canaryService = snapshot.canaryService();
    }
  }

  private void apply(Rollout rollout, ClusterSnapshot snapshot, Action action, Written written, ClusterCaches caches) {
    String namespace = rollout.getMetadata().getNamespace();
    String targetName = rollout.getSpec().getTargetRef().getName();
    LOG.debug("apply rollout={}/{} action={}", namespace, rollout.getMetadata().getName(), action);
    if (action instanceof Action.PauseTarget p) {
      targets.pause(rollout, snapshot.target().orElseThrow(), p.paused()).ifPresent(d -> caches.written(snapshot.target(), d));
    } else if (action instanceof Action.ReleaseTarget) {
      targets.release(rollout, snapshot.target().orElseThrow()).ifPresent(d -> caches.written(snapshot.target(), d));
    } else if (action instanceof Action.RunCanary r) {
      written.canary = remember(written.canary,
          canaries.run(rollout, snapshot.target().orElseThrow(), r.revision(), r.replicas(), written.canary), caches);
    } else if (action instanceof Action.ScaleCanary s) {
      written.canary = remember(written.canary, canaries.scale(namespace, targetName, s.replicas(), written.canary), caches);
    } else if (action instanceof Action.PointStableService p) {
      written.stableService = rememberService(written.stableService,
          services.pointStable(rollout, userService(snapshot), p.podTemplateHash(), written.stableService), caches);
    } else if (action instanceof Action.EnsureCanaryService) {
      written.canaryService = rememberService(written.canaryService,
          services.ensureCanary(rollout, userService(snapshot), written.canaryService), caches);
    } else if (action instanceof Action.SetRoute r) {
      if (TrafficRouters.problem(rollout.getSpec().getTrafficRouting()).isEmpty()) {
        caches.routers().of(rollout.getSpec().getTrafficRouting()).apply(RouteTarget.of(rollout), r.stableWeight(), r.canaryWeight(), r.header());
      }
    } else if (action instanceof Action.ReleaseRoute) {
      try {
        caches.routers().of(rollout.getSpec().getTrafficRouting()).release(RouteTarget.of(rollout));
      } catch (RuntimeException e) {
        // A deletion must not hang on a route Vigie may no longer write (RBAC, a webhook): say so, go on.
        LOG.warn("cleanup rollout={}/{}: could not send all traffic of its route to stable ({}): check the route by hand",
            namespace, rollout.getMetadata().getName(), e.getMessage());
      }
    } else if (action instanceof Action.RemoveVigieObjects r) {
      // Cleanup reads again: it runs rarely, and must act on what is there now.
      canaries.delete(rollout, namespace, targetName);
      if (r.keepServices()) {
        services.release(rollout, snapshot.service());
      } else {
        services.delete(rollout, namespace, rollout.getSpec().getService().getName());
      }
    }
  }

  /** The writers hand back the object they were given when nothing needed writing. */
  private static Optional<Deployment> remember(Optional<Deployment> before, Optional<Deployment> after, ClusterCaches caches) {
    if (after.isPresent() && after.get() != before.orElse(null)) {
      caches.written(before, after.get());
    }
    return after;
  }

  private static Optional<Service> rememberService(Optional<Service> before, Service after, ClusterCaches caches) {
    if (after != before.orElse(null)) {
      caches.writtenService(before, after);
    }
    return Optional.of(after);
  }

  private static Service userService(ClusterSnapshot snapshot) {
    return snapshot.service().orElseThrow();
  }
}
