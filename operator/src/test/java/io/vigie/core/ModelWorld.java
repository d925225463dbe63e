package io.vigie.core;

import io.vigie.core.Action.PauseTarget;
import io.vigie.core.Action.PointStableService;
import io.vigie.core.Action.RunCanary;
import io.vigie.core.Action.ScaleCanary;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small model of the cluster one Rollout sees, for driving the pure rollout logic without an
 * API server: the target Deployment (template, paused, ReplicaSets), the canary Deployment and
 * the stable Service. Revisions are "rev-IMAGE"; pod-template-hashes are "hash-IMAGE".
 */
final class ModelWorld {
  // The target Deployment: only the test's events change its image and replicas.
  String image = "v1";
  int replicas = 4;
  boolean paused;
  /** The mark (annotation vigie.io/rollout) naming the Rollout that adopted it. */
  boolean marked;
  final Map<String, Integer> replicaSets = new HashMap<>();
  boolean newPodsBecomeReady = true;

  // The canary Deployment.
  String canaryRevision;
  int canaryReplicas;
  int canaryReady;
  boolean canaryPodsBecomeReady = true;

  // The baseline Deployment: the stable template's pods, which always become ready.
  String baselineRevision;
  int baselineReplicas;
  int baselineReady;

  String stableServiceHash = "unset";
  /** The user's Service's pin (a blue-green release without a router). */
  io.vigie.domain.ActivePin activePin = io.vigie.domain.ActivePin.NONE;
  /**
   * Blue-green's invariant, checked after every write and every controller tick: the side the active
   * Service (or a route at 100%) sends users to has at least the target's replicas.
   */
  boolean checkActiveCapacity;
  /**
   * Hashes whose pods the target's own rolling update removed while a promotion had it unpaused (a
   * template changed mid-promotion rolls before the next decision pauses it): a race the Deployment
   * controller owns, outside the capacity check.
   */
  final java.util.Set<String> rolledAway = new java.util.HashSet<>();

  // The route, when the Rollout has a traffic router (an HTTPRoute, say): what it sends to the canary.
  boolean routed;
  int routeStable = 100;
  int routeWeight;
  int routeBaseline;
  Optional<HeaderMatch> routeHeader = Optional.empty();
  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  Optional<PendingControl> control = Optional.empty();
  Observation.Analysis analysis = Observation.Analysis.none();
  /** What the gates answered since the last decision: handed to one decision, then gone. */
  List<io.vigie.gate.GateAnswer> gateAnswers = new java.util.ArrayList<>();
  /** What the target's ConfigMaps and Secrets are now, when the Rollout tracks them. */
  Observation.Configs configs = Observation.Configs.UNTRACKED;

  /** Every write that changed something, in order. */
  final List<Action> writes = new ArrayList<>();
  /** Where in {@link #writes} a canary had ended: its traffic gone, its pods still running scaleDownDelaySeconds. */
  final List<Integer> canaryEnds = new ArrayList<>();

  ModelWorld() {
    replicaSets.put(image, replicas);
  }

  static String revisionOf(String image) {
    return "rev-" + image;
  }

  /**
   * One reconcile of the model: the decision on what the world shows, its actions applied, the
   * control and the measurements it consumed gone, then the simulated controllers' turn.
   */
  Decision step(RolloutSpec spec, RolloutStatus status) {
    Decision d = RolloutMachine.decide("shop", spec, status, observe());
    d.actions().forEach(this::apply);
    if (d.clearControl()) {
      control = Optional.empty();
    }
    controllersTick();
    analysis = new Observation.Analysis(analysis.resolved(), analysis.problems(), List.of());
    gateAnswers.clear();
    return d;
  }

  Observation observe() {
    int ready = 0;
    for (Map.Entry<String, Integer> rs : replicaSets.entrySet()) {
      boolean current = rs.getKey().equals(image);
      ready += !current || newPodsBecomeReady ? rs.getValue() : 0;
    }
    int currentPods = replicaSets.getOrDefault(image, -1);
    int otherPods = replicaSets.entrySet().stream().filter(e -> !e.getKey().equals(image)).mapToInt(Map.Entry::getValue).sum();
    boolean rolledOut = currentPods == replicas && otherPods == 0 && (newPodsBecomeReady || ready >= replicas);
    Optional<String> hash = replicaSets.containsKey(image) ? Optional.of("hash-" + image) : Optional.empty();
    Observation.Target target = new Observation.Target(revisionOf(image), "app=" + image, hash, replicas, paused,
        ready, ready, rolledOut, Map.of("app", "web"), false, 1,
        image.equals("v1") ? List.of() : List.of("container app: image v1 → " + image),
        marked ? Observation.Target.Manager.THIS : Observation.Target.Manager.NONE, revisionsByHash());
    Optional<Observation.Canary> canary = canaryRevision == null ? Optional.empty()
        : Optional.of(new Observation.Canary(canaryRevision, canaryReplicas, canaryReady));
    Optional<Observation.Canary> baseline = baselineRevision == null ? Optional.empty()
        : Optional.of(new Observation.Canary(baselineRevision, baselineReplicas, baselineReady));
    return new Observation(now, 1, Optional.of(target),
        Optional.of(new Observation.Service(activePin.applyTo(Map.of("app", "web")), 1)),
        canary, baseline, control, List.of(), analysis,
        routed ? Optional.of(new Observation.Route("HTTPRoute shop/web", Optional.of(routeWeight), Optional.of(routeBaseline),
            routeHeader, List.of()))
            : Optional.empty(),
        stableServiceHash.startsWith("hash-") ? Optional.of(stableServiceHash) : Optional.empty(),
        new Observation.Gates(List.of(), List.copyOf(gateAnswers)), configs);
  }

  private Map<String, String> revisionsByHash() {
    Map<String, String> revisions = new HashMap<>();
    replicaSets.keySet().forEach(img -> revisions.put("hash-" + img, revisionOf(img)));
    return revisions;
  }

  /** Kubernetes' controllers and kubelet catching up with the spec. */
  void controllersTick() {
    if (!paused) {
      replicaSets.put(image, replicas);
      rolledAway.remove("hash-" + image);
      if (newPodsBecomeReady) {
        replicaSets.forEach((img, n) -> rolledAway.add(img.equals(image) ? "" : "hash-" + img));
        replicaSets.replaceAll((img, n) -> img.equals(image) ? n : 0);
        replicaSets.values().removeIf(n -> n == 0);
        replicaSets.putIfAbsent(image, replicas);
      }
    }
    if (canaryRevision != null) {
      canaryReady = canaryPodsBecomeReady ? canaryReplicas : Math.min(canaryReady, canaryReplicas);
    }
    baselineReady = baselineReplicas;
    checkActiveCapacity();
  }

  private void checkActiveCapacity() {
    if (!checkActiveCapacity) {
      return;
    }
    boolean green = routed ? routeWeight == 100 : activePin.green();
    if (green && canaryReady < replicas) {
      throw new AssertionError("blue-green: the active side (green) has " + canaryReady + " ready pods, fewer than the "
          + replicas + " replicas of the target");
    }
    String hash = routed ? (routeStable == 100 ? stableServiceHash : null) : activePin.podTemplateHash();
    if (hash != null && hash.startsWith("hash-") && !rolledAway.contains(hash) && replicaSets.getOrDefault(hash.substring(5), 0) < replicas) {
      throw new AssertionError("blue-green: the active side (" + hash + ") has " + replicaSets.getOrDefault(hash.substring(5), 0)
          + " pods, fewer than the " + replicas + " replicas of the target");
    }
  }

  void apply(Action action) {
    boolean changed;
    if (action instanceof PauseTarget p) {
      changed = paused != p.paused() || (p.paused() && !marked);
      paused = p.paused();
      marked |= p.paused();
    } else if (action instanceof Action.ReleaseTarget) {
      changed = paused || marked;
      paused = false;
      marked = false;
    } else if (action instanceof RunCanary r) {
      changed = !r.revision().equals(canaryRevision) || r.replicas() != canaryReplicas;
      if (!r.revision().equals(canaryRevision)) {
        canaryReady = 0;
      }
      canaryRevision = r.revision();
      canaryReplicas = r.replicas();
      canaryReady = Math.min(canaryReady, canaryReplicas);
    } else if (action instanceof ScaleCanary s) {
      changed = canaryRevision != null && canaryReplicas != s.replicas();
      if (canaryRevision != null) {
        canaryReplicas = s.replicas();
        canaryReady = Math.min(canaryReady, canaryReplicas);
      }
    } else if (action instanceof Action.RunBaseline r) {
      changed = !r.revision().equals(baselineRevision) || r.replicas() != baselineReplicas;
      if (!r.revision().equals(baselineRevision)) {
        baselineReady = 0;
      }
      checkBaselineKeepsServedPods(r.replicas());
      baselineRevision = r.revision();
      baselineReplicas = r.replicas();
      baselineReady = Math.min(baselineReady, baselineReplicas);
    } else if (action instanceof Action.ScaleBaseline s) {
      changed = baselineRevision != null && baselineReplicas != s.replicas();
      if (baselineRevision != null) {
        checkBaselineKeepsServedPods(s.replicas());
        baselineReplicas = s.replicas();
        baselineReady = Math.min(baselineReady, baselineReplicas);
      }
    } else if (action instanceof PointStableService p) {
      String hash = p.podTemplateHash() == null ? "all" : p.podTemplateHash();
      changed = !Objects.equals(stableServiceHash, hash);
      stableServiceHash = hash;
    } else if (action instanceof Action.SetRoute r) {
      changed = routeWeight != r.canaryWeight() || routeStable != r.stableWeight() || routeBaseline != r.baselineWeight()
          || !routeHeader.equals(r.header());
      if (r.baselineWeight() > 0 && baselineReady == 0) {
        throw new AssertionError("invariant 1: the route sends " + r.baselineWeight() + "% to a baseline without ready pods");
      }
      routeStable = r.stableWeight();
      routeWeight = r.canaryWeight();
      routeBaseline = r.baselineWeight();
      routeHeader = r.header();
    } else if (action instanceof Action.PointActiveService p) {
      changed = !activePin.equals(p.pin());
      activePin = p.pin();
    } else if (action instanceof Action.EnsureCanaryService || action instanceof Action.EnsureBaselineService
        || action instanceof Action.EnsurePreviewService
        || action instanceof Action.ReleaseRoute
        || action instanceof Action.RemoveVigieObjects) {
      changed = false;
    } else {
      // Invariant 5 holds by the actions' types: none writes the target's replicas or template. An
      // action this model does not know may, so it is refused until modelled.
      throw new AssertionError("an action the model does not know (it might write the target): " + action);
    }
    if (changed) {
      writes.add(action);
    }
    checkActiveCapacity();
  }

  /** Traffic first: the baseline's pods never go while the route sends them requests. */
  private void checkBaselineKeepsServedPods(int replicas) {
    if (replicas == 0 && routeBaseline > 0) {
      throw new AssertionError("invariant 3: the baseline's pods removed while the route sends it " + routeBaseline + "%");
    }
  }

  /**
   * A fingerprint of everything the actions can change that serves traffic: a canary (or baseline)
   * scaled to 0 runs no pod, whatever template it holds.
   */
  String state() {
    return paused + "|" + (canaryReplicas == 0 ? "no canary pods" : canaryRevision + "|" + canaryReplicas) + "|" + stableServiceHash
        + "|" + (baselineReplicas == 0 ? "no baseline pods" : "baseline " + baselineRevision + "|" + baselineReplicas)
        + "|route " + routeWeight + "/" + routeBaseline + routeHeader + "|active " + activePin;
  }
}
