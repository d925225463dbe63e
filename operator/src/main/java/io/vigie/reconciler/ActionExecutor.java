package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.core.Action;
import io.vigie.traffic.RouteTarget;
import io.vigie.traffic.TrafficRouters;
import io.vigie.workload.RoleDeployments;
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
  private final RoleDeployments canaries;
  private final RoleDeployments baselines;
  private final VigieServices services;

  ActionExecutor(KubernetesClient client, VigieServices services) {
    this.targets = new TargetDeployments(client);
    this.canaries = new RoleDeployments(client, RoleDeployments.Role.CANARY);
    this.baselines = new RoleDeployments(client, RoleDeployments.Role.BASELINE);
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
    private Optional<Deployment> baseline;
    private Optional<Service> stableService;
    private Optional<Service> canaryService;
    private Optional<Service> baselineService;
    private Optional<Service> previewService;
    private Optional<Service> userService;

    Written(ClusterSnapshot snapshot) {
      this.previewService = snapshot.previewService();
      this.userService = snapshot.service();
      this.canary = snapshot.canary();
      this.baseline = snapshot.baseline();
      this.stableService = snapshot.stableService();
      this.canaryService = snapshot.canaryService();
      this.baselineService = snapshot.baselineService();
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
      Deployment target = snapshot.target().orElseThrow();
      written.canary = remember(written.canary,
          canaries.run(rollout, target, target.getSpec().getTemplate(), r.revision(), r.replicas(), written.canary), caches);
    } else if (action instanceof Action.ScaleCanary s) {
      written.canary = remember(written.canary, canaries.scale(namespace, s.replicas(), written.canary), caches);
    } else if (action instanceof Action.RunBaseline r) {
      runBaseline(rollout, snapshot, r, written, caches);
    } else if (action instanceof Action.ScaleBaseline s) {
      written.baseline = remember(written.baseline, baselines.scale(namespace, s.replicas(), written.baseline), caches);
    } else if (action instanceof Action.EnsureBaselineService) {
      written.baselineService = rememberService(written.baselineService,
          services.ensureBaseline(rollout, userService(snapshot), written.baselineService), caches);
    } else if (action instanceof Action.PointStableService p) {
      written.stableService = rememberService(written.stableService,
          services.pointStable(rollout, userService(snapshot), p.podTemplateHash(), written.stableService), caches);
    } else if (action instanceof Action.PointActiveService p) {
      written.userService = rememberService(written.userService,
          services.pinActive(written.userService.orElseThrow(), p.pin()), caches);
    } else if (action instanceof Action.EnsurePreviewService) {
      var named = rollout.getSpec().getStrategy().getBlueGreen().getPreviewService();
      boolean usersOwn = named != null && named.getName() != null;
      if (!usersOwn || written.previewService.isPresent()) {
        written.previewService = rememberService(written.previewService,
            services.ensurePreview(rollout, userService(snapshot), usersOwn, written.previewService), caches);
      }
    } else if (action instanceof Action.EnsureCanaryService) {
      written.canaryService = rememberService(written.canaryService,
          services.ensureCanary(rollout, userService(snapshot), written.canaryService), caches);
    } else if (action instanceof Action.SetRoute r) {
      if (TrafficRouters.problem(rollout.getSpec().getTrafficRouting()).isEmpty()) {
        caches.routers().of(rollout.getSpec().getTrafficRouting())
            .apply(RouteTarget.of(rollout), r.stableWeight(), r.canaryWeight(), r.baselineWeight(), r.header());
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
      baselines.delete(rollout, namespace, targetName);
      if (r.keepServices()) {
        services.release(rollout, snapshot.service());
      } else {
        services.delete(rollout, namespace, rollout.getSpec().getService().getName());
      }
    }
  }

  /**
   * The baseline runs the template of the stable ReplicaSet. Kubernetes keeps that ReplicaSet while
   * Vigie holds the target paused at stable; if it is gone all the same (deleted by hand), the
   * baseline is not started and the analyses compare with nothing: they say so, never pass.
   */
  private void runBaseline(Rollout rollout, ClusterSnapshot snapshot, Action.RunBaseline r, Written written, ClusterCaches caches) {
    var stable = snapshot.stableReplicaSet().filter(rs -> rs.getSpec() != null && rs.getSpec().getTemplate() != null);
    if (stable.isEmpty()) {
      LOG.warn("rollout={}/{}: no ReplicaSet of Deployment {} has pod-template-hash {}: the baseline cannot start",
          rollout.getMetadata().getNamespace(), rollout.getMetadata().getName(), rollout.getSpec().getTargetRef().getName(),
          r.podTemplateHash());
      return;
    }
    written.baseline = remember(written.baseline, baselines.run(rollout, snapshot.target().orElseThrow(),
        RoleDeployments.baselineTemplate(stable.get()), r.revision(), r.replicas(), written.baseline), caches);
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
