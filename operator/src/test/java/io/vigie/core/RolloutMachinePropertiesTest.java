package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.PendingControl.Control;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of what can happen to a Rollout (template changes, readiness changes, clock
 * jumps, manual controls, operator crashes mid-decision, controller progress), with the
 * invariants of docs/design.md section 3 checked after every step:
 * 1. weights sum to 100 and the canary has weight only with ready pods;
 * 3. an abort's first write takes traffic off the canary;
 * 4. a crash after any of a decision's cluster writes (before its status write), followed by a
 *    fresh operator, ends in the same status, history and cluster as no crash: no duplicate or
 *    lost step, and no traffic flap;
 * 5. the target's replicas and template are never written: no action type can (ModelWorld refuses any
 *    action it does not model), and the integration tier checks every write the operator sends to a
 *    Deployment it did not create (TargetWrites, at the end of every OperatorHarness test);
 * 6. applying a decision twice changes nothing; a decision that changed nothing is a fixpoint;
 * 7. an adopted target is unpaused only by a promotion.
 */
class RolloutMachinePropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  sealed interface Event permits SetImage, CanaryReadiness, TargetReadiness, ClockJump, ManualControl, Crash, Reconcile, Tick {}
  record SetImage(String image) implements Event {}
  record CanaryReadiness(boolean ready) implements Event {}
  record TargetReadiness(boolean ready) implements Event {}
  record ClockJump(int seconds) implements Event {}
  record ManualControl(Control control, String value) implements Event {}
  record Crash(int keptWrites) implements Event {}
  record Reconcile() implements Event {}
  record Tick() implements Event {}

  @Property(tries = 2000)
  void invariantsHoldOverAnySequenceOfEvents(@ForAll("steps") List<CanaryStep> steps, @ForAll boolean routed,
      @ForAll @Size(min = 1, max = 60) List<@net.jqwik.api.From("events") Event> events) {
    invariantsHold(steps, routed, false, events);
  }

  /** The same with a baseline next to the canary: sized, routed and removed like it, traffic first. */
  @Property(tries = 1000)
  void invariantsHoldWithABaseline(@ForAll("steps") List<CanaryStep> steps, @ForAll boolean routed,
      @ForAll @Size(min = 1, max = 60) List<@net.jqwik.api.From("events") Event> events) {
    invariantsHold(steps, routed, true, events);
  }

  private void invariantsHold(List<CanaryStep> steps, boolean routed, boolean baseline, List<Event> events) {
    RolloutSpec spec = spec(steps);
    ModelWorld world = new ModelWorld();
    if (routed) {
      // Through a router (say an HTTPRoute), with a header route from the second step on.
      List<CanaryStep> withHeader = new java.util.ArrayList<>(steps);
      withHeader.add(Math.min(1, steps.size()), CanaryStep.headerRoute("x-canary", "true"));
      spec = spec(withHeader);
      spec.setTrafficRouting(io.vigie.api.v1alpha1.TrafficRouting.gatewayApi("web"));
      world.routed = true;
    }
    if (baseline) {
      spec.getStrategy().getCanary().setBaseline(new io.vigie.api.v1alpha1.Baseline(true));
    }
    run(spec, world, events);
  }

  /** Plays the events on the world, reconciling with the spec, the invariants checked at every step. */
  static void run(RolloutSpec spec, ModelWorld world, List<Event> events) {
    RolloutStatus status = reconcile(spec, null, world);
    int controls = 0;
    for (Event event : events) {
      if (event instanceof SetImage e) {
        world.image = e.image();
      } else if (event instanceof CanaryReadiness e) {
        world.canaryPodsBecomeReady = e.ready();
      } else if (event instanceof TargetReadiness e) {
        world.newPodsBecomeReady = e.ready();
      } else if (event instanceof ClockJump e) {
        world.now = world.now.plus(Duration.ofSeconds(e.seconds()));
      } else if (event instanceof ManualControl e) {
        if (world.control.isEmpty()) {
          world.control = Optional.of(new PendingControl(e.control(), e.value(), "id-" + controls++));
        }
      } else if (event instanceof Tick) {
        world.controllersTick();
      } else if (event instanceof Crash e) {
        status = crashThenRecover(spec, status, world, e.keptWrites());
      } else {
        status = reconcile(spec, status, world);
      }
      // Unpaused after adoption: a promotion, or its end when the template went back to stable mid-promotion
      // (the target rolls back to the verified template, and is paused again once there).
      if (event instanceof Reconcile && status.getStableRevision() != null && !world.paused
          && !ModelWorld.revisionOf(world.image).equals(status.getStableRevision())) {
        assertThat(status.getPhase()).as("invariant 7: an adopted target is left unpaused only by a promotion")
            .isEqualTo(RolloutPhase.Promoting);
      }
    }
  }

  /**
   * Found by the property on a CI run: the decision that first saw the canary's traffic also took it
   * away (a promoted step 1 at 1%, then a step at 0%), so after a crash there was nothing left to
   * recall it by, and canaryStartedAt depended on whether the operator had crashed.
   */
  @net.jqwik.api.Example
  void aCrashWhenTheFirstTrafficIsTakenAwayAtOnceChangesNothing() {
    invariantsHold(List.of(CanaryStep.weight(1), CanaryStep.weight(0), CanaryStep.pauseFor("30s")), false, false,
        List.of(new SetImage("v2"), new Reconcile(), new SetImage("v1"), new SetImage("v1"), new SetImage("v1"),
            new SetImage("v2"), new ManualControl(Control.PROMOTE, "true"), new Tick(), new Crash(2)));
  }

  /** The properties can fail: a decision that writes 60/50 on the route is caught by invariant 1. */
  @net.jqwik.api.Example
  void aDecisionWritingWeightsThatDoNotSumTo100FailsInvariantOne() {
    ModelWorld world = new ModelWorld();
    world.routed = true;
    RolloutSpec spec = spec(List.of(CanaryStep.weight(50)));
    spec.setTrafficRouting(io.vigie.api.v1alpha1.TrafficRouting.gatewayApi("web"));
    Decision honest = RolloutMachine.decide("shop", spec, null, world.observe());
    Decision planted = new Decision(honest.status(), List.of(new Action.SetRoute(60, 50, 0, Optional.empty())), List.of(), false,
        Optional.empty());
    checkWeights(honest, world.observe());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> checkWeights(planted, world.observe()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("invariant 1: the route's weights as written");
  }

  /** One full reconcile, with invariants 1 and 6 checked on its result. */
  static RolloutStatus reconcile(RolloutSpec spec, RolloutStatus status, ModelWorld world) {
    Observation observation = world.observe();
    Decision decision = RolloutMachine.decide("shop", spec, status, observation);
    checkWeights(decision, observation);
    boolean aborting = decision.status().getPhase() == RolloutPhase.RolledBack
        && (status == null || status.getPhase() != RolloutPhase.RolledBack);
    if (aborting) {
      boolean routeSendsToCanary = world.routed && (world.routeWeight > 0 || world.routeBaseline > 0 || world.routeHeader.isPresent());
      // Without a router, a blue-green Service not pinned to the stable pods reaches green, or (unpinned while the
      // target rolled) pods of any template: the pin back is the move to stable.
      io.vigie.domain.ActivePin blue = io.vigie.domain.ActivePin.target(status.getStablePodTemplateHash());
      boolean activeElsewhere = !world.routed && spec.getStrategy().usesBlueGreen() && !world.activePin.equals(blue);
      if (world.routed && !routeSendsToCanary) {
        // The route already sends the canary nothing: its pods outlive it by scaleDownDelaySeconds.
        assertThat(decision.actions()).as("invariant 3: an abort sends the canary nothing more")
            .noneMatch(a -> a instanceof Action.SetRoute r && (r.canaryWeight() > 0 || r.baselineWeight() > 0 || r.header().isPresent()))
            .noneMatch(a -> a instanceof Action.RunCanary rc && rc.replicas() > 0);
      } else {
        Action first = routeSendsToCanary ? Action.SetRoute.allToStable()
            : activeElsewhere ? new Action.PointActiveService(blue)
            : new Action.ScaleCanary(0);
        assertThat(decision.actions()).as("invariant 3: an abort moves traffic to stable first (a blue-green switch back: one write)")
            .first().isEqualTo(first);
      }
    }
    int writes = world.writes.size();
    decision.actions().forEach(world::apply);
    if (decision.status().getCanaryScaleDownAt() != null) {
      world.canaryEnds.add(world.writes.size());
    }
    checkGuarded(decision);
    if (world.routed) {
      checkRoute(spec, decision.status(), observation, world);
    }
    checkBaseline(spec, decision.status(), world);
    if (decision.clearControl()) {
      world.control = Optional.empty();
    }
    checkIdempotent(decision, world);
    KstatusTest.check(decision.status());
    if (world.writes.size() == writes && status != null && tree(decision.status()).equals(tree(status))) {
      checkFixpoint(spec, decision.status(), world);
    }
    if (weightsNeverDecrease(spec)) {
      checkNoFlap(world);
    }
    return decision.status();
  }

  /**
   * The operator dies after {@code kept} of the decision's cluster writes: the status is not
   * written and the accepted control is not cleared. A new operator decides from the old status on
   * what it now sees. Once both have settled (reconciles and controllers, with the clock still),
   * the crashed world must be where the uninterrupted one is: same status, same history (no
   * verdict twice), same cluster.
   */
  static RolloutStatus crashThenRecover(RolloutSpec spec, RolloutStatus status, ModelWorld world, int kept) {
    ModelWorld twin = copyOf(world);
    RolloutStatus uninterrupted = settle(spec, reconcile(spec, status, twin), twin);

    Decision dying = RolloutMachine.decide("shop", spec, status, world.observe());
    dying.actions().stream().limit(Math.min(kept, dying.actions().size())).forEach(world::apply);
    RolloutStatus recovered = settle(spec, status, world);

    assertThat(withoutPodCounts(recovered)).as("invariant 4: status after a crash and a restart")
        .isEqualTo(withoutPodCounts(uninterrupted));
    assertThat(world.state()).as("invariant 4: cluster after a crash and a restart").isEqualTo(twin.state());
    return recovered;
  }

  private static RolloutStatus settle(RolloutSpec spec, RolloutStatus status, ModelWorld world) {
    for (int round = 0; round < 30; round++) {
      int writes = world.writes.size();
      // Ready pods are part of what a decision reads (the canary's share): settled means they are too.
      String state = world.state() + world.replicaSets + world.canaryReady + "/" + world.baselineReady;
      RolloutStatus next = reconcile(spec, status, world);
      world.controllersTick();
      boolean quiet = world.writes.size() == writes
          && state.equals(world.state() + world.replicaSets + world.canaryReady + "/" + world.baselineReady)
          && tree(next).equals(tree(status));
      status = next;
      if (quiet) {
        return status;
      }
    }
    throw new AssertionError("no fixpoint after 30 rounds with the clock stopped: " + status.getMessage());
  }

  /**
   * Invariant 1 as the decision writes it: every route write's stable and canary weights, both as
   * written, sum to 100; the canary's share in status is a percentage, non-zero only with ready
   * canary pods, and zero once Healthy or RolledBack.
   */
  static void checkWeights(Decision decision, Observation observation) {
    RolloutStatus status = decision.status();
    for (Action action : decision.actions()) {
      if (action instanceof Action.SetRoute r) {
        assertThat(r.stableWeight() + r.canaryWeight() + r.baselineWeight()).as("invariant 1: the route's weights as written, %s", r)
            .isEqualTo(100);
        assertThat(r.canaryWeight()).as("invariant 1: %s", r).isBetween(0, 100);
        assertThat(r.baselineWeight()).as("invariant 1: %s", r).isBetween(0, r.canaryWeight());
      }
    }
    int canary = status.getCanaryWeight() == null ? 0 : status.getCanaryWeight();
    assertThat(canary).as("invariant 1: canary weight").isBetween(0, 100);
    if (canary > 0) {
      assertThat(observation.canary()).as("invariant 1: weight only with ready canary pods")
          .hasValueSatisfying(c -> assertThat(c.readyReplicas()).isPositive());
    }
    if (status.getPhase() == RolloutPhase.Healthy || status.getPhase() == RolloutPhase.RolledBack) {
      assertThat(canary).isZero();
    }
  }

  /**
   * Invariant 1 through a router: the route sends the canary what status says, and something only
   * while the canary has ready pods; nothing once the Rollout is Healthy or RolledBack.
   */
  private static void checkRoute(RolloutSpec spec, RolloutStatus status, Observation observation, ModelWorld world) {
    if (status.getPhase() == RolloutPhase.Invalid) {
      return;
    }
    int weight = status.getCanaryWeight();
    if (withBaseline(spec)) {
      // The weight in status is shared: the canary's half rounded up, the baseline's once it has ready pods.
      assertThat(world.routeWeight).as("the route shows the canary's share of the weight in status").isEqualTo(weight - weight / 2);
      assertThat(world.routeBaseline).as("the route shows the baseline's share of the weight in status")
          .isIn(0, weight / 2);
    } else {
      assertThat(world.routeWeight).as("the route shows the weight in status").isEqualTo(weight);
      assertThat(world.routeBaseline).isZero();
    }
    if (world.routeWeight > 0 || world.routeHeader.isPresent()) {
      assertThat(observation.canary()).as("invariant 1: the route sends to the canary only with ready canary pods")
          .hasValueSatisfying(c -> assertThat(c.readyReplicas()).isPositive());
    }
    if (status.getPhase() == RolloutPhase.Healthy || status.getPhase() == RolloutPhase.RolledBack) {
      assertThat(world.routeWeight).isZero();
      assertThat(world.routeBaseline).isZero();
      assertThat(world.routeHeader).isEmpty();
    }
  }

  /**
   * The baseline runs the stable revision at the canary's size, never without a canary, and no
   * pod of it is left once the Rollout is Healthy or RolledBack; without a baseline in the spec
   * there is none.
   */
  private static void checkBaseline(RolloutSpec spec, RolloutStatus status, ModelWorld world) {
    if (!withBaseline(spec)) {
      assertThat(world.baselineReplicas).as("no baseline without spec.strategy.canary.baseline").isZero();
      return;
    }
    if (status.getPhase() == RolloutPhase.Invalid) {
      return;
    }
    // After the route left the canary (and the baseline) their pods keep running scaleDownDelaySeconds,
    // the baseline on the stable revision of before a promotion: checkRoute sees that nothing sends them requests.
    boolean retiring = status.getCanaryScaleDownAt() != null;
    if (world.baselineReplicas > 0 && !retiring) {
      assertThat(world.baselineRevision).as("the baseline runs the stable revision").isEqualTo(status.getStableRevision());
    }
    if (world.baselineReplicas > 0) {
      assertThat(world.baselineReplicas).as("the baseline is the canary's size").isEqualTo(world.canaryReplicas);
    }
    if ((status.getPhase() == RolloutPhase.Healthy || status.getPhase() == RolloutPhase.RolledBack) && !retiring) {
      assertThat(world.baselineReplicas).as("no baseline pod once %s", status.getPhase()).isZero();
    }
  }

  /**
   * Invariant 7: an adopted Deployment is unpaused only by a promotion (or by the deletion of the
   * Rollout that adopted it, which no decision does): no decision of another phase writes
   * {@code paused: false}, and once adopted the target is left unpaused only while Promoting.
   */
  private static void checkGuarded(Decision decision) {
    RolloutStatus status = decision.status();
    for (Action action : decision.actions()) {
      assertThat(action).as("invariant 7: only a deletion releases the target").isNotInstanceOf(Action.ReleaseTarget.class);
      if (action instanceof Action.PauseTarget p && !p.paused()) {
        assertThat(status.getPhase()).as("invariant 7: the target is unpaused only by a promotion").isEqualTo(RolloutPhase.Promoting);
      }
    }
  }

  /** Invariant 6: applying the same decision a second time changes nothing. */
  private static void checkIdempotent(Decision decision, ModelWorld world) {
    String before = world.state();
    int writes = world.writes.size();
    decision.actions().forEach(world::apply);
    assertThat(world.state()).as("invariant 6: the same decision twice changes nothing").isEqualTo(before);
    assertThat(world.writes).hasSize(writes);
  }

  /**
   * A decision that wrote nothing and kept the status is a fixpoint: deciding again gives the
   * same status, writes nothing and records no Event.
   */
  private static void checkFixpoint(RolloutSpec spec, RolloutStatus status, ModelWorld world) {
    Decision again = RolloutMachine.decide("shop", spec, status, world.observe());
    ModelWorld probe = copyOf(world);
    again.actions().forEach(probe::apply);
    assertThat(probe.writes).as("a second decision on an unchanged world writes nothing").hasSize(world.writes.size());
    assertThat(tree(again.status())).as("a second decision on an unchanged world keeps the status").isEqualTo(tree(status));
    assertThat(again.events()).as("a second decision on an unchanged world records no Event").isEmpty();
  }

  /**
   * Within one canary of one revision, with steps whose weights never decrease, the canary only
   * grows until an abort, a promotion, a revert or a retry.
   */
  private static void checkNoFlap(ModelWorld world) {
    String revision = null;
    int last = 0;
    for (int i = 0; i < world.writes.size(); i++) {
      Action write = world.writes.get(i);
      if (world.canaryEnds.contains(i)) {
        // The canary ended (its traffic taken away), its pods following scaleDownDelaySeconds later.
        revision = null;
        last = 0;
      }
      if (write instanceof Action.RunCanary r) {
        if (r.revision().equals(revision)) {
          assertThat(r.replicas()).as("no traffic flap: canary %s scaled down mid-canary (writes %s)", revision, world.writes)
              .isGreaterThanOrEqualTo(last);
        }
        revision = r.revision();
        last = r.replicas();
      } else if (write instanceof Action.ScaleCanary) {
        revision = null;
        last = 0;
      }
    }
    int lastRoute = 0;
    for (Action write : world.writes) {
      if (write instanceof Action.SetRoute r) {
        if (r.canaryWeight() > 0) {
          assertThat(r.canaryWeight()).as("no traffic flap: route weight lowered mid-canary (writes %s)", world.writes)
              .isGreaterThanOrEqualTo(lastRoute);
        }
        lastRoute = r.canaryWeight();
      } else if (write instanceof Action.ScaleCanary || write instanceof Action.PointStableService) {
        lastRoute = 0;
      }
    }
  }

  private static boolean withBaseline(RolloutSpec spec) {
    return spec.getStrategy().getCanary() != null && spec.getStrategy().getCanary().withBaseline();
  }

  private static boolean weightsNeverDecrease(RolloutSpec spec) {
    if (spec.getStrategy().getCanary() == null) {
      // Blue-green has no steps of weights: green gets 0 or 100, and a switch back is the point.
      return false;
    }
    int last = 0;
    for (CanaryStep step : spec.getStrategy().getCanary().getSteps()) {
      if (step.getSetWeight() != null) {
        if (step.getSetWeight() < last) {
          return false;
        }
        last = step.getSetWeight();
      }
    }
    return true;
  }

  private static ModelWorld copyOf(ModelWorld world) {
    ModelWorld copy = new ModelWorld();
    copy.image = world.image;
    copy.replicas = world.replicas;
    copy.paused = world.paused;
    copy.replicaSets.clear();
    copy.replicaSets.putAll(world.replicaSets);
    copy.newPodsBecomeReady = world.newPodsBecomeReady;
    copy.canaryRevision = world.canaryRevision;
    copy.canaryReplicas = world.canaryReplicas;
    copy.canaryReady = world.canaryReady;
    copy.canaryPodsBecomeReady = world.canaryPodsBecomeReady;
    copy.baselineRevision = world.baselineRevision;
    copy.baselineReplicas = world.baselineReplicas;
    copy.baselineReady = world.baselineReady;
    copy.routeBaseline = world.routeBaseline;
    copy.routeStable = world.routeStable;
    copy.stableServiceHash = world.stableServiceHash;
    copy.activePin = world.activePin;
    copy.rolledAway.addAll(world.rolledAway);
    copy.checkActiveCapacity = world.checkActiveCapacity;
    copy.routed = world.routed;
    copy.routeWeight = world.routeWeight;
    copy.routeHeader = world.routeHeader;
    copy.now = world.now;
    copy.control = world.control;
    copy.writes.addAll(world.writes);
    copy.canaryEnds.addAll(world.canaryEnds);
    return copy;
  }

  /**
   * The status less what depends on which intermediate statuses were written: the ready-pod
   * counts quoted in messages (an abort's first write removes the canary's pods, so a decision
   * repeated after a crash quotes "0/2 ready" where the first saw "1/2") and the conditions'
   * transition times (a status lost in a crash is a transition that never happened). Everything
   * else, the verdicts and their reasons included, must match.
   */
  private static String withoutPodCounts(RolloutStatus status) {
    return tree(status).toString()
        .replaceAll("\\d+/(\\d+) ready", "?/$1 ready")
        .replaceAll("\"lastTransitionTime\":\"[^\"]*\"", "\"lastTransitionTime\":\"?\"");
  }

  private static Object tree(RolloutStatus status) {
    return JSON.valueToTree(status);
  }

  private static RolloutSpec spec(List<CanaryStep> steps) {
    RolloutSpec spec = Specs.canary(steps);
    spec.setProgressDeadlineSeconds(300);
    return spec;
  }

  @Provide
  Arbitrary<List<CanaryStep>> steps() {
    Arbitrary<CanaryStep> weight = Arbitraries.integers().between(0, 100).map(CanaryStep::weight);
    Arbitrary<CanaryStep> timed = Arbitraries.of("0s", "30s", "2m", "10m").map(CanaryStep::pauseFor);
    Arbitrary<CanaryStep> indefinite = Arbitraries.just(CanaryStep.pauseUntilPromoted());
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, weight), net.jqwik.api.Tuple.of(3, timed), net.jqwik.api.Tuple.of(1, indefinite))
        .list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<Event> events() {
    return anyEvent();
  }

  static Arbitrary<Event> anyEvent() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.of("v1", "v2", "v3").map(SetImage::new)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(true, true, false).map(CanaryReadiness::new)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(true, true, false).map(TargetReadiness::new)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(0, 1, 29, 61, 130, 301, 700).map(ClockJump::new)),
        net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.of(Control.class), Arbitraries.of("true", "full"))
            .as(ManualControl::new)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 5).map(Crash::new)),
        net.jqwik.api.Tuple.of(6, Arbitraries.just(new Reconcile())),
        net.jqwik.api.Tuple.of(4, Arbitraries.just(new Tick())));
  }
}
