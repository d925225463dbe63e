package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.domain.Names;
import io.vigie.core.Observation;
import io.vigie.core.Observation.Target.Manager;
import io.vigie.traffic.RouteTarget;
import io.vigie.traffic.TrafficRouters;
import io.vigie.workload.RoleDeployments;
import io.vigie.workload.Labels;
import io.vigie.workload.Ownership;
import io.vigie.workload.TargetView;
import io.vigie.workload.VigieServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Reads what one Rollout's decision depends on: the Deployments, Services and ReplicaSets from the
 * informer caches (read-after-write: {@link ClusterCaches}), the route from its router. Each object
 * is read once per reconcile, and the writes start from what was read here. A name the API server
 * would refuse (too long, not a name) is never looked up: the validation reports it.
 */
final class ClusterObserver {
  private final AnalysisObserver analysis;
  private final Optional<GateObserver> gates;
  private final BiPredicate<String, String> rolloutExists;
  private final Optional<ConfigObserver> configs;

  /**
   * @param rolloutExists whether a Rollout of this namespace and name exists (from the informer's
   *     cache): a Deployment marked by a Rollout that is gone may be adopted by another
   */
  ClusterObserver(AnalysisObserver analysis, BiPredicate<String, String> rolloutExists) {
    this(analysis, Optional.empty(), rolloutExists);
  }

  ClusterObserver(AnalysisObserver analysis, Optional<GateObserver> gates, BiPredicate<String, String> rolloutExists) {
    this(analysis, gates, rolloutExists, Optional.empty());
  }

  ClusterObserver(AnalysisObserver analysis, Optional<GateObserver> gates, BiPredicate<String, String> rolloutExists,
      Optional<ConfigObserver> configs) {
    this.analysis = analysis;
    this.gates = gates;
    this.rolloutExists = rolloutExists;
    this.configs = configs;
  }

  ClusterSnapshot observe(Rollout rollout, ClusterCaches caches, Instant now) {
    return observe(rollout, caches, now, true);
  }

  /** What a deletion needs: the cluster, without resolving or measuring analyses. */
  ClusterSnapshot observeForCleanup(Rollout rollout, ClusterCaches caches, Instant now) {
    return observe(rollout, caches, now, false);
  }

  private ClusterSnapshot observe(Rollout rollout, ClusterCaches caches, Instant now, boolean withAnalysis) {
    String namespace = rollout.getMetadata().getNamespace();
    RolloutSpec spec = rollout.getSpec();
    Optional<String> targetName = Optional.ofNullable(spec == null || spec.getTargetRef() == null ? null
        : spec.getTargetRef().getName()).filter(Names::isTargetName);
    Optional<String> serviceName = Optional.ofNullable(spec == null || spec.getService() == null ? null
        : spec.getService().getName()).filter(Names::isServiceName);
    List<String> conflicts = new ArrayList<>();
    Optional<Deployment> target = targetName.flatMap(n -> caches.deployment(namespace, n));
    if (target.isPresent() && target.get().getSpec().getTemplate() == null) {
      // Only Vigie's canaries lose their template in the cache (PrunedStore).
      conflicts.add("Deployment " + namespace + "/" + target.get().getMetadata().getName() + " is the canary of a Rollout: "
          + "point spec.targetRef at your own Deployment");
      target = Optional.empty();
    }
    Optional<Service> service = serviceName.flatMap(n -> caches.service(namespace, n));
    Manager manager = target.map(d -> manager(d, rollout, conflicts)).orElse(Manager.NONE);
    Optional<String> stableHash = Optional.ofNullable(rollout.getStatus()).map(s -> s.getStablePodTemplateHash());
    List<ReplicaSet> replicaSets = target.map(caches::replicaSetsOf).orElse(List.of());
    Optional<Observation.Target> targetView = target.map(d -> TargetView.of(d, replicaSets, stableHash, manager));
    Optional<ReplicaSet> stableReplicaSet = stableHash.flatMap(h -> replicaSets.stream()
        .filter(rs -> rs.getMetadata().getLabels() != null && h.equals(rs.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH)))
        .findFirst());
    Optional<Deployment> canaryDeployment = target.flatMap(d -> caches.deployment(namespace, Names.canaryDeployment(d.getMetadata().getName())));
    Optional<Deployment> baselineDeployment = target.flatMap(d -> caches.deployment(namespace,
        Names.baselineDeployment(d.getMetadata().getName())));
    // A same-named object of the user's is in the way only of a Rollout that would run a baseline.
    boolean withBaseline = spec != null && spec.getStrategy() != null && spec.getStrategy().getCanary() != null
        && spec.getStrategy().getCanary().withBaseline();
    for (Optional<Deployment> vigieDeployment : withBaseline ? List.of(canaryDeployment, baselineDeployment) : List.of(canaryDeployment)) {
      vigieDeployment.filter(c -> !Ownership.ownedBy(c, rollout)).ifPresent(c -> conflicts.add(notOwned("Deployment "
          + namespace + "/" + c.getMetadata().getName())));
    }
    Optional<Observation.Canary> canary = canaryDeployment.filter(c -> Ownership.ownedBy(c, rollout)).map(RoleDeployments::view);
    Optional<Observation.Canary> baseline = baselineDeployment.filter(c -> Ownership.ownedBy(c, rollout)).map(RoleDeployments::view);
    Optional<Service> stableService = service.flatMap(s -> caches.service(namespace, Names.stableService(s.getMetadata().getName())));
    Optional<Service> canaryService = service.flatMap(s -> caches.service(namespace, Names.canaryService(s.getMetadata().getName())));
    Optional<Service> baselineService = service.map(s -> Names.baselineService(s.getMetadata().getName()))
        .filter(n -> n.length() <= io.vigie.api.v1alpha1.Limits.DNS_LABEL).flatMap(n -> caches.service(namespace, n));
    for (Optional<Service> vigieService : withBaseline ? List.of(stableService, canaryService, baselineService)
        : List.of(stableService, canaryService)) {
      vigieService.filter(owned -> !Ownership.ownedBy(owned, rollout) && !VigieServices.released(owned))
          .ifPresent(owned -> conflicts.add(notOwned("Service " + namespace + "/" + owned.getMetadata().getName())));
    }
    Optional<Service> previewService = service.flatMap(s -> preview(rollout, s, caches, conflicts));
    if (manager == Manager.OTHER) {
      // Its Services are the other Rollout's too: one sentence says it all.
      conflicts.subList(1, conflicts.size()).clear();
    }
    Optional<Observation.Service> serviceView = service.map(s -> new Observation.Service(
        Optional.ofNullable(s.getSpec().getSelector()).map(Map::copyOf).orElse(Map.of()),
        s.getSpec().getPorts() == null ? 0 : s.getSpec().getPorts().size()));
    Optional<String> stableServiceHash = stableService.filter(s -> Ownership.ownedBy(s, rollout))
        .flatMap(s -> Optional.ofNullable(s.getSpec().getSelector()).map(sel -> sel.get(Labels.POD_TEMPLATE_HASH)));
    long generation = Optional.ofNullable(rollout.getMetadata().getGeneration()).orElse(0L);
    Optional<Deployment> observedTarget = target;
    Observation observation = new Observation(now, generation, targetView, serviceView, canary, baseline,
        ControlIntake.pending(rollout),
        List.copyOf(conflicts),
        withAnalysis ? analysis(rollout, targetView.map(Observation.Target::revision), now) : Observation.Analysis.none(),
        serviceName.isPresent() ? route(rollout, caches.routers()) : Optional.empty(), stableServiceHash,
        withAnalysis ? gates.map(g -> g.observe(rollout, now)).orElse(Observation.Gates.none()) : Observation.Gates.none(),
        withAnalysis ? configs.map(c -> c.observe(rollout, observedTarget, targetView.map(Observation.Target::revision)))
            .orElse(Observation.Configs.UNTRACKED) : Observation.Configs.UNTRACKED);
    // Only Vigie's own canary and baseline are written from: a same-named Deployment of someone else's is a
    // conflict, never touched.
    return new ClusterSnapshot(observation, target, service, canaryDeployment.filter(c -> Ownership.ownedBy(c, rollout)),
        baselineDeployment.filter(c -> Ownership.ownedBy(c, rollout)), stableService, canaryService, baselineService,
        stableReplicaSet, previewService);
  }

  /**
   * A blue-green release's preview Service: the one the spec names (missing: said so), or Vigie's own
   * {@code <service>-preview} (in the way when someone else's holds the name).
   */
  private static Optional<Service> preview(Rollout rollout, Service user, ClusterCaches caches, List<String> conflicts) {
    var strategy = rollout.getSpec().getStrategy();
    if (strategy == null || !strategy.usesBlueGreen()) {
      return Optional.empty();
    }
    String namespace = rollout.getMetadata().getNamespace();
    var named = strategy.getBlueGreen().getPreviewService();
    if (named != null && named.getName() != null) {
      if (!Names.isServiceName(named.getName())) {
        return Optional.empty();
      }
      Optional<Service> preview = caches.service(namespace, named.getName());
      if (preview.isEmpty()) {
        conflicts.add("Service " + namespace + "/" + named.getName() + " not found: create it (Vigie points its selector at the "
            + "green pods) or remove spec.strategy.blueGreen.previewService (Vigie then owns "
            + Names.previewService(user.getMetadata().getName()) + ")");
      }
      return preview;
    }
    Optional<Service> own = caches.service(namespace, Names.previewService(user.getMetadata().getName()));
    own.filter(p -> !Ownership.ownedBy(p, rollout) && !VigieServices.released(p))
        .ifPresent(p -> conflicts.add(notOwned("Service " + namespace + "/" + p.getMetadata().getName())));
    return own;
  }

  /** Which Rollout manages the Deployment; another one that exists is a conflict, named. */
  private Manager manager(Deployment deployment, Rollout rollout, List<String> conflicts) {
    Optional<String> marked = TargetView.manager(deployment);
    if (marked.isEmpty()) {
      return Manager.NONE;
    }
    if (marked.get().equals(rollout.getMetadata().getName())) {
      return Manager.THIS;
    }
    if (!rolloutExists.test(rollout.getMetadata().getNamespace(), marked.get())) {
      // Marked by a Rollout that is gone (deleted while no operator ran): free to adopt.
      return Manager.NONE;
    }
    conflicts.add("Deployment " + deployment.getMetadata().getName() + " is already managed by Rollout " + marked.get()
        + ": a Deployment has one Rollout; delete this one or point its spec.targetRef at another Deployment");
    return Manager.OTHER;
  }

  private static String notOwned(String object) {
    return object + " exists and is not owned by this Rollout: Vigie needs that name; rename or delete it";
  }

  /**
   * The analyses resolved and measured. An input they cannot handle (a bug the validation missed) is
   * a problem of this Rollout, never a reconcile that fails again and again; API errors are retried.
   */
  private Observation.Analysis analysis(Rollout rollout, Optional<String> revision, Instant now) {
    try {
      return analysis.observe(rollout, revision, now);
    } catch (KubernetesClientException e) {
      throw e;
    } catch (RuntimeException e) {
      return new Observation.Analysis(ResolvedAnalysis.none(), List.of("the analyses cannot be resolved (" + e
          + "): check their templates and args against docs/analysis.md"), List.of());
    }
  }

  /** What the Rollout's route shows, when it has one. */
  private Optional<Observation.Route> route(Rollout rollout, TrafficRouters routers) {
    RolloutSpec spec = rollout.getSpec();
    if (spec.getTrafficRouting() == null) {
      return Optional.empty();
    }
    Optional<String> problem = TrafficRouters.problem(spec.getTrafficRouting());
    if (problem.isPresent()) {
      return Optional.of(Observation.Route.unusable(spec.getTrafficRouting().fieldPath(), problem.get()));
    }
    try {
      return Optional.of(routers.of(spec.getTrafficRouting()).observe(RouteTarget.of(rollout)));
    } catch (KubernetesClientException e) {
      throw e;
    } catch (RuntimeException e) {
      return Optional.of(Observation.Route.unusable(spec.getTrafficRouting().fieldPath(), "the route cannot be read (" + e
          + "): check it against docs/traffic.md"));
    }
  }
}
