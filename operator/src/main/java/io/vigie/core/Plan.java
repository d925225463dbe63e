package io.vigie.core;

import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.Observation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as one decision wants it, one wish per object (the last word wins: two steps passed
 * in one decision set the route once), and the planner that turns the wishes into ordered writes.
 *
 * <p>The order is the safety argument of docs/design.md, invariant 3 and 4:
 * <ol>
 *   <li>the stable Service first when it moves to a new stable revision (a promotion that completed,
 *       an adoption): those pods have the capacity before anything leaves;</li>
 *   <li>the route, or a blue-green active Service's pin, before the canary's pods change: traffic
 *       leaves the canary (green) before its pods go
 *       (an abort, a new revision replacing the canary), and it only ever grows toward pods that are
 *       ready already;</li>
 *   <li>the canary Deployment, then the baseline's (sized like the canary, so it follows it up and
 *       down; never taken down while the route may still send it traffic);</li>
 *   <li>the stable Service otherwise (widened to every pod of a promotion in progress once the canary
 *       covers the pods the rolling update takes down);</li>
 *   <li>the canary and baseline Services: before the route when the canary's traffic grows (the route
 *       names them), after everything else on the way down (an abort's first write is the traffic's);</li>
 *   <li>the target's paused flag last: unpausing starts a rolling update, which needs all of the above.</li>
 * </ol>
 */
final class Plan {
  private Optional<HeaderMatch> routeHeader = Optional.empty();
  private Integer routeWeight;
  private boolean routeForced;
  private Action canary;
  private Action.PointStableService stable;
  private boolean canaryService;
  private boolean previewService;
  private io.vigie.domain.ActivePin active;
  private boolean activeFollowsStable;
  private Boolean paused;

  /** The route sends this weight and header route to the canary (written only if it shows something else). */
  void route(int weight, Optional<HeaderMatch> header) {
    routeWeight = weight;
    routeHeader = header;
    routeForced = false;
  }

  /** Everything to stable, written whatever the route shows (a route that may be unreadable). */
  void forceRouteToStable() {
    route(0, Optional.empty());
    routeForced = true;
  }

  void runCanary(String revision, int replicas) {
    canary = new Action.RunCanary(revision, replicas);
  }

  void scaleCanary(int replicas) {
    canary = new Action.ScaleCanary(replicas);
  }

  /** The stable Service selects this pod-template-hash, or every pod of the target when null. */
  void pointStable(String podTemplateHash) {
    stable = new Action.PointStableService(podTemplateHash);
  }

  void ensureCanaryService() {
    canaryService = true;
  }

  void ensurePreviewService() {
    previewService = true;
  }

  /** A blue-green release's active Service (without a router) selects this side. */
  void activeTo(io.vigie.domain.ActivePin pin) {
    active = pin;
    activeFollowsStable = false;
  }

  /** The active Service selects what the stable Service does (this decision's wish, else the stable revision's pods). */
  void activeToStable() {
    active = null;
    activeFollowsStable = true;
  }

  /** No write for the canary (green) Deployment: it stays as it is. */
  void leaveCanary() {
    canary = null;
  }

  void pause(boolean paused) {
    this.paused = paused;
  }

  /** The decision takes the canary's pods away (its traffic with them). */
  boolean takesCanaryAway() {
    return canary instanceof Action.ScaleCanary sc && sc.replicas() == 0
        || canary instanceof Action.RunCanary rc && rc.replicas() == 0;
  }

  /**
   * The writes, in the order above; a wish the cluster already shows is no write. A route Vigie set
   * before that shows something else was edited by someone: set back, and said so.
   */
  List<Action> actions(DecisionInputs in, RolloutStatus decided, List<RolloutEvent> events) {
    List<Action> actions = new ArrayList<>();
    boolean baselineService = canaryService && in.withBaseline();
    boolean newStable = stable != null && stable.podTemplateHash() != null
        && !stable.podTemplateHash().equals(in.startStableHash());
    // Traffic leaves the canary: its pods go (now, or scaleDownDelaySeconds later), its weight drops, or
    // its header route goes. The route then comes before anything else.
    boolean down = takesCanaryAway() || (routeWeight != null && routeWeight < in.startWeight())
        || (routeWeight != null && routeHeader.isEmpty() && in.startHeader().isPresent());
    if (newStable) {
      actions.add(stable);
    }
    if (canaryService && !down) {
      actions.add(new Action.EnsureCanaryService());
    }
    if (baselineService && !down) {
      actions.add(new Action.EnsureBaselineService());
    }
    if (previewService && !down) {
      actions.add(new Action.EnsurePreviewService());
    }
    activeWrite(in, decided).ifPresent(actions::add);
    Optional<Action.SetRoute> route = routeWrite(in, decided, events);
    route.ifPresent(actions::add);
    if (canary != null) {
      actions.add(canary);
    }
    baselineWrite(in, decided, route).ifPresent(actions::add);
    if (stable != null && !newStable) {
      actions.add(stable);
    }
    if (canaryService && down) {
      actions.add(new Action.EnsureCanaryService());
    }
    if (baselineService && down) {
      actions.add(new Action.EnsureBaselineService());
    }
    if (previewService && down) {
      actions.add(new Action.EnsurePreviewService());
    }
    if (paused != null) {
      Target target = in.obs().target().orElseThrow();
      // Pausing also marks the Deployment as this Rollout's (adopted before the mark existed, or its mark lost).
      if (target.paused() != paused || (paused && target.manager() != Target.Manager.THIS)) {
        actions.add(new Action.PauseTarget(paused));
      }
    }
    return actions;
  }

  /**
   * Only a blue-green release without a router pins the user's Service; any other Rollout leaves it
   * as its owner wrote it (and unpins one a blue-green spec left pinned).
   */
  private Optional<Action> activeWrite(DecisionInputs in, RolloutStatus decided) {
    Optional<Observation.Service> service = in.obs().service();
    // A spec that cannot be read says nothing about its strategy: the Service stays as it is.
    if (service.isEmpty() || in.spec() == null || in.spec().getStrategy() == null) {
      return Optional.empty();
    }
    io.vigie.domain.ActivePin wanted;
    if (!in.blueGreen() || in.routed()) {
      wanted = io.vigie.domain.ActivePin.NONE;
    } else if (active != null) {
      wanted = active;
    } else if (activeFollowsStable) {
      wanted = io.vigie.domain.ActivePin.target(stable != null ? stable.podTemplateHash() : decided.getStablePodTemplateHash());
    } else {
      return Optional.empty();
    }
    return wanted.equals(service.get().pin()) ? Optional.empty() : Optional.of(new Action.PointActiveService(wanted));
  }

  /**
   * The baseline follows the canary's size: up and down with the canary's wish; with none, only down
   * to the canary's pods (a canary left without pods by a crash takes its baseline with it).
   * Switched off, it goes. It keeps its pods while the route may still send it traffic and this
   * decision does not change that: no request finds no endpoint.
   */
  private Optional<Action> baselineWrite(DecisionInputs in, RolloutStatus decided, Optional<Action.SetRoute> route) {
    Optional<Observation.Canary> seen = in.obs().baseline();
    int seenReplicas = seen.map(Observation.Canary::replicas).orElse(0);
    Optional<Integer> wish = canary instanceof Action.RunCanary rc ? Optional.of(rc.replicas())
        : canary instanceof Action.ScaleCanary sc ? Optional.of(sc.replicas()) : Optional.empty();
    int wanted = !in.withBaseline() ? 0
        : wish.orElseGet(() -> Math.min(seenReplicas, in.obs().canary().map(Observation.Canary::replicas).orElse(0)));
    if (wanted == 0 || wish.isEmpty()) {
      boolean mayServe = route.map(r -> r.baselineWeight() > 0)
          .orElseGet(() -> in.obs().route().map(r -> !r.baselineWeight().equals(Optional.of(0))).orElse(false));
      if (wanted >= seenReplicas || (wanted == 0 && mayServe)) {
        return Optional.empty();
      }
      return Optional.of(new Action.ScaleBaseline(wanted));
    }
    if (decided.getStableRevision() == null || decided.getStablePodTemplateHash() == null) {
      return Optional.empty();
    }
    return Optional.of(new Action.RunBaseline(decided.getStableRevision(), decided.getStablePodTemplateHash(), wanted));
  }

  private Optional<Action.SetRoute> routeWrite(DecisionInputs in, RolloutStatus decided, List<RolloutEvent> events) {
    if (routeWeight == null) {
      return Optional.empty();
    }
    boolean baselineReady = in.withBaseline() && !takesCanaryAway() && in.baselineReady(decided.getStableRevision()) > 0;
    Action.SetRoute wanted = in.withBaseline() ? Action.SetRoute.shared(routeWeight, baselineReady, routeHeader)
        : Action.SetRoute.of(routeWeight, routeHeader);
    if (routeForced) {
      return Optional.of(wanted);
    }
    Observation.Route seen = in.obs().route().orElseThrow();
    if (seen.shows(wanted.canaryWeight(), wanted.baselineWeight(), routeHeader)) {
      return Optional.empty();
    }
    // A baseline's share moves to it when its pods become ready: Vigie's own change, not an edit.
    Action.SetRoute other = Action.SetRoute.shared(routeWeight, !baselineReady, routeHeader);
    boolean baselineMoved = in.withBaseline() && seen.shows(other.canaryWeight(), other.baselineWeight(), routeHeader);
    // What this decision applies is what the last one did: someone else changed the route.
    if (in.adopted() && routeWeight == in.startWeight() && routeHeader.equals(in.startHeader()) && !baselineMoved) {
      events.add(RolloutEvent.warning(EventReason.RouteRestored, seen.object() + " sent "
          + seen.canaryWeight().map(w -> w + "%").orElse("inconsistent weights (rules disagree, or not summing to 100)")
          + seen.baselineWeight().filter(w -> w > 0).map(w -> " (and " + w + "% to the baseline)").orElse("")
          + seen.header().map(h -> " and header route " + h).orElse("") + " to the canary, not the " + wanted.canaryWeight() + "%"
          + (wanted.baselineWeight() > 0 ? " (and " + wanted.baselineWeight() + "% to the baseline)" : "")
          + routeHeader.map(h -> " and header route " + h).orElse("") + " Vigie set (edited by hand?): set back"));
    }
    return Optional.of(wanted);
  }
}
