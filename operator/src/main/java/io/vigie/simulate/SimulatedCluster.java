package io.vigie.simulate;

import io.vigie.core.Action;
import io.vigie.core.HeaderMatch;
import io.vigie.core.Observation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster of a replay: the target Deployment on the stable revision, then on the release; the
 * canary, baseline and route as Vigie's actions leave them. Pods start ready at once and a rolling
 * update completes at the next look: the replay is about the decisions, not the scheduler.
 */
final class SimulatedCluster {
  static final String STABLE = "stable";
  static final String RELEASE = "release";

  private final int replicas;
  private final boolean routed;
  private String template = STABLE;
  private boolean paused;
  private boolean marked;
  private final Map<String, Integer> replicaSets = new HashMap<>();
  private String canaryRevision;
  private int canaryReplicas;
  private String baselineRevision;
  private int baselineReplicas;
  private String stableServiceHash;
  private int routeWeight;
  private int routeBaseline;
  private Optional<HeaderMatch> routeHeader = Optional.empty();

  SimulatedCluster(int replicas, boolean routed) {
    this.replicas = replicas;
    this.routed = routed;
    replicaSets.put(STABLE, replicas);
  }

  /** What `kubectl set image` does: the Deployment's template becomes the release's. */
  void release() {
    template = RELEASE;
  }

  Observation observe(Instant now, Observation.Analysis analysis) {
    int ready = replicaSets.values().stream().mapToInt(Integer::intValue).sum();
    boolean rolledOut = replicaSets.getOrDefault(template, 0) == replicas && replicaSets.size() == 1;
    Map<String, String> revisions = new HashMap<>();
    replicaSets.keySet().forEach(rs -> revisions.put(hash(rs), rs));
    Observation.Target target = new Observation.Target(template, template.equals(STABLE) ? "the stable version" : "the release",
        Optional.of(hash(template)).filter(h -> replicaSets.containsKey(template)), replicas, paused, ready, ready, rolledOut,
        Map.of("app", "web"), false, 1, template.equals(STABLE) ? List.of() : List.of("the recorded release"),
        marked ? Observation.Target.Manager.THIS : Observation.Target.Manager.NONE, revisions);
    return new Observation(now, 1, Optional.of(target), Optional.of(new Observation.Service(Map.of("app", "web"), 1)),
        Optional.ofNullable(canaryRevision).map(r -> new Observation.Canary(r, canaryReplicas, canaryReplicas)),
        Optional.ofNullable(baselineRevision).map(r -> new Observation.Canary(r, baselineReplicas, baselineReplicas)),
        Optional.empty(), List.of(), analysis,
        routed ? Optional.of(new Observation.Route("the route", Optional.of(routeWeight), Optional.of(routeBaseline), routeHeader,
            List.of())) : Optional.empty(),
        Optional.ofNullable(stableServiceHash));
  }

  private static String hash(String revision) {
    return "hash-" + revision;
  }

  /** The Deployment controller's turn: an unpaused Deployment rolls to its template at once. */
  void controllersTick() {
    if (!paused) {
      replicaSets.clear();
      replicaSets.put(template, replicas);
    }
  }

  void apply(Action action) {
    if (action instanceof Action.PauseTarget p) {
      paused = p.paused();
      marked |= p.paused();
    } else if (action instanceof Action.ReleaseTarget) {
      paused = false;
      marked = false;
    } else if (action instanceof Action.RunCanary r) {
      canaryRevision = r.revision();
      canaryReplicas = r.replicas();
    } else if (action instanceof Action.ScaleCanary s) {
      canaryReplicas = canaryRevision == null ? 0 : s.replicas();
    } else if (action instanceof Action.RunBaseline r) {
      baselineRevision = r.revision();
      baselineReplicas = r.replicas();
    } else if (action instanceof Action.ScaleBaseline s) {
      baselineReplicas = baselineRevision == null ? 0 : s.replicas();
    } else if (action instanceof Action.PointStableService p) {
      stableServiceHash = p.podTemplateHash();
    } else if (action instanceof Action.SetRoute r) {
      routeWeight = r.canaryWeight();
      routeBaseline = r.baselineWeight();
      routeHeader = r.header();
    }
    // The Services and the clean-up change nothing a decision reads here.
  }
}
