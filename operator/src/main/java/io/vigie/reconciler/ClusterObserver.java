package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.core.Observation;
import io.vigie.traffic.RouteTarget;
import io.vigie.traffic.TrafficRouters;
import io.vigie.workload.CanaryDeployments;
import io.vigie.workload.Ownership;
import io.vigie.workload.TargetView;
import io.vigie.workload.VigieServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads, straight from the API server, what one Rollout's decision depends on. Reading fresh
 * objects rather than informer caches means a decision never rests on a write it has not seen;
 * each object is read once per reconcile, and the writes start from what was read here.
 */
final class ClusterObserver {
  private final KubernetesClient client;
  private final CanaryDeployments canaries;
  private final AnalysisObserver analysis;
  private final TrafficRouters routers;

  ClusterObserver(KubernetesClient client, CanaryDeployments canaries, AnalysisObserver analysis, TrafficRouters routers) {
    this.client = client;
    this.canaries = canaries;
    this.analysis = analysis;
    this.routers = routers;
  }

  ClusterSnapshot observe(Rollout rollout, Instant now) {
    return observe(rollout, now, true);
  }

  /** What a deletion needs: the cluster, without resolving or measuring analyses. */
  ClusterSnapshot observeForCleanup(Rollout rollout, Instant now) {
    return observe(rollout, now, false);
  }

  private ClusterSnapshot observe(Rollout rollout, Instant now, boolean withAnalysis) {
    String namespace = rollout.getMetadata().getNamespace();
    RolloutSpec spec = rollout.getSpec();
    Optional<Deployment> target = Optional.ofNullable(spec == null || spec.getTargetRef() == null ? null : spec.getTargetRef().getName())
        .filter(ClusterObserver::isName)
        .map(n -> client.apps().deployments().inNamespace(namespace).withName(n).get());
    Optional<Service> service = Optional.ofNullable(spec == null || spec.getService() == null ? null : spec.getService().getName())
        .filter(ClusterObserver::isName)
        .map(n -> client.services().inNamespace(namespace).withName(n).get());
    Optional<String> stableHash = Optional.ofNullable(rollout.getStatus()).map(s -> s.getStablePodTemplateHash());
    Optional<Observation.Target> targetView = target.map(d -> TargetView.of(d, replicaSetsOf(d), stableHash));
    List<String> conflicts = new ArrayList<>();
    Optional<Deployment> canaryDeployment = target.flatMap(d -> canaries.get(namespace, d.getMetadata().getName()));
    canaryDeployment.filter(c -> !Ownership.ownedBy(c, rollout))
        .ifPresent(c -> conflicts.add("Deployment " + namespace + "/" + c.getMetadata().getName()));
    Optional<Observation.Canary> canary = canaryDeployment.filter(c -> Ownership.ownedBy(c, rollout)).map(CanaryDeployments::view);
    Optional<Service> stableService = service.map(s -> client.services().inNamespace(namespace)
        .withName(VigieServices.stableName(s.getMetadata().getName())).get());
    Optional<Service> canaryService = service.map(s -> client.services().inNamespace(namespace)
        .withName(VigieServices.canaryName(s.getMetadata().getName())).get());
    for (Optional<Service> vigieService : List.of(stableService, canaryService)) {
      vigieService.filter(owned -> !Ownership.ownedBy(owned, rollout) && !VigieServices.released(owned))
          .ifPresent(owned -> conflicts.add("Service " + namespace + "/" + owned.getMetadata().getName()));
    }
    Optional<Observation.Service> serviceView = service.map(s -> new Observation.Service(
        Optional.ofNullable(s.getSpec().getSelector()).map(Map::copyOf).orElse(Map.of()),
        s.getSpec().getPorts() == null ? 0 : s.getSpec().getPorts().size()));
    long generation = Optional.ofNullable(rollout.getMetadata().getGeneration()).orElse(0L);
    Observation observation = new Observation(now, generation, targetView, serviceView, canary, ControlIntake.pending(rollout),
        List.copyOf(conflicts),
        withAnalysis ? analysis.observe(rollout, targetView.map(Observation.Target::revision), now) : Observation.Analysis.none(),
        route(rollout));
    // Only Vigie's own canary is written from: a same-named Deployment of someone else's is a conflict, never touched.
    return new ClusterSnapshot(observation, target, service, canaryDeployment.filter(c -> Ownership.ownedBy(c, rollout)),
        stableService, canaryService);
  }

  /** What the Rollout's route shows, when it has one and names a Service to route for. */
  private Optional<Observation.Route> route(Rollout rollout) {
    RolloutSpec spec = rollout.getSpec();
    if (spec == null || spec.getTrafficRouting() == null || spec.getService() == null || spec.getService().getName() == null
        || !isName(spec.getService().getName())) {
      return Optional.empty();
    }
    Optional<String> problem = TrafficRouters.problem(spec.getTrafficRouting());
    if (problem.isPresent()) {
      return Optional.of(Observation.Route.unusable(spec.getTrafficRouting().fieldPath(), problem.get()));
    }
    return Optional.of(routers.of(spec.getTrafficRouting()).observe(RouteTarget.of(rollout)));
  }

  /** Only a plain name is looked up: anything else ("other/web") is for the validation to refuse. */
  private static boolean isName(String name) {
    return name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  }

  private List<ReplicaSet> replicaSetsOf(Deployment deployment) {
    if (deployment.getSpec().getSelector() == null) {
      return List.of();
    }
    return client.apps().replicaSets().inNamespace(deployment.getMetadata().getNamespace())
        .withLabelSelector(deployment.getSpec().getSelector()).list().getItems();
  }
}
