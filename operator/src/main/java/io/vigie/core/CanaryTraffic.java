package io.vigie.core;

import io.vigie.core.Observation.Target;
import io.vigie.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How much traffic the canary gets and how many pods it runs for it: the wishes the handlers put in
 * the {@link Plan}, and the weight status shows for them.
 */
final class CanaryTraffic {
  private final DecisionInputs in;
  private final DecisionDraft d;

  CanaryTraffic(DecisionInputs in, DecisionDraft d) {
    this.in = in;
    this.d = d;
  }

  /** The canary keeps what it earned and runs the pods of its desired weight. */
  void keepCanary(Target target, String revision) {
    int weight = d.s.getDesiredWeight() == null ? 0 : d.s.getDesiredWeight();
    serveEarned(target, revision);
    d.plan.runCanary(revision, canaryReplicasFor(weight, target));
  }

  /**
   * The traffic the canary has earned so far: with replicas, its share of ready pods; with a
   * router, the weight and header route of the steps it passed.
   */
  void serveEarned(Target target, String revision) {
    if (in.routed()) {
      route(in.earnedWeight(d.s.getCurrentStepIndex()), in.earnedHeader(d.s.getCurrentStepIndex()));
    } else {
      observeWeight(target, in.canaryReady(revision));
    }
  }

  /**
   * Sends this weight and header route to the canary through the router. The canary gets traffic
   * only while it has ready pods: without them the route would send requests to no endpoint.
   */
  void route(int weight, Optional<HeaderMatch> header) {
    if (in.canaryReady(d.s.getCanaryRevision()) == 0) {
      weight = 0;
      header = Optional.empty();
    }
    d.plan.route(weight, header);
    d.s.setCanaryWeight(weight);
  }

  /** Every request to stable: through the route, or (blue-green without a router) the active Service's pin. */
  void routeAllToStable() {
    d.plan.activeToStable();
    if (in.routed()) {
      d.plan.route(0, Optional.empty());
      d.s.setCanaryWeight(0);
    } else if (in.blueGreen()) {
      d.s.setCanaryWeight(0);
    }
  }

  /** Every request to the canary (blue-green's green): the route's whole weight, or the active Service's pin. */
  void routeAllToCanary() {
    if (in.routed()) {
      route(100, Optional.empty());
    } else {
      d.plan.activeTo(io.vigie.domain.ActivePin.GREEN);
      d.s.setCanaryWeight(100);
    }
  }

  /**
   * The canary's pods go, whatever revision they run, once nothing may still send them a request:
   * with a router, scaleDownDelaySeconds after the route left them, since proxies apply a route
   * change later than an endpoint's removal (a gateway's config push, a mesh's debounce, an ingress
   * reload) and would send the canary's last share to a Service with no endpoint. Call it together
   * with the route's move to stable. Nothing to write when the canary has no pod.
   */
  void removeCanaryPods() {
    retireCanary(false);
  }

  /**
   * As {@link #removeCanaryPods}, for the decision that takes the canary's traffic away (an abort, a
   * promotion): its scale to 0 is written even when the canary shows no pod (one being created).
   */
  void takeCanaryAway() {
    retireCanary(true);
  }

  private void retireCanary(boolean always) {
    boolean running = in.obs().canary().filter(c -> c.replicas() > 0).isPresent();
    if (!running) {
      d.s.setCanaryScaleDownAt(null);
      if (always) {
        d.plan.scaleCanary(0);
      }
      return;
    }
    int delay = !in.routed() || in.spec().getStrategy().getCanary() == null ? 0
        : in.spec().getStrategy().getCanary().scaleDownDelay();
    Instant at = scaleDownAt().orElse(d.now().plusSeconds(delay));
    if (d.now().isBefore(at)) {
      d.s.setCanaryScaleDownAt(Timestamps.format(at));
      d.plan.leaveCanary();
      d.requeueIn(Duration.between(d.now(), at));
      return;
    }
    d.s.setCanaryScaleDownAt(null);
    d.plan.scaleCanary(0);
  }

  /** The recorded end of the canary's pods; one that cannot be read (a hand edit of status) is now. */
  private Optional<Instant> scaleDownAt() {
    String at = d.s.getCanaryScaleDownAt();
    if (at == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Timestamps.parse(at));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.of(d.now());
    }
  }

  /** With replica ratios the baseline's pods serve behind the user's Service next to the target's. */
  void observeWeight(Target target, int canaryReady) {
    int baselineReady = in.withBaseline() ? in.baselineReady(d.s.getStableRevision()) : 0;
    d.s.setCanaryWeight(CanarySizing.share(target.readyReplicas() + baselineReady, canaryReady));
  }

  int canaryReplicasFor(int weight, Target target) {
    if (!in.routed()) {
      return CanarySizing.replicasFor(weight, target.replicas());
    }
    // A header route, passed or being set up at this step, needs a canary pod even at weight 0.
    Integer index = d.s.getCurrentStepIndex();
    boolean header = in.earnedHeader(index == null ? null : index + 1).isPresent();
    return CanarySizing.routedReplicasFor(weight, target.replicas(), header);
  }
}
