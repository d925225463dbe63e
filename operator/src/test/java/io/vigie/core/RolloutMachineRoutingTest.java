package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.TrafficRouting;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The route's part in a canary: exact weights, header routes, and traffic off the canary before its pods go. */
class RolloutMachineRoutingTest {
  private final ModelWorld world = new ModelWorld();

  private RolloutSpec routed(CanaryStep... steps) {
    RolloutSpec spec = Specs.canary(steps);
    spec.setTrafficRouting(TrafficRouting.gatewayApi("web"));
    world.routed = true;
    return spec;
  }

  private RolloutStatus step(RolloutSpec spec, RolloutStatus status) {
    return world.step(spec, status).status();
  }


  private RolloutStatus servingAt30Percent(RolloutSpec spec) {
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    for (int i = 0; i < 3; i++) {
      status = step(spec, status);
    }
    assertThat(world.routeWeight + world.routeBaseline).isEqualTo(30);
    assertThat(world.canaryReplicas).as("30% of the load of 4 pods, rounded up").isEqualTo(2);
    return status;
  }

  @Test
  void aBaselineRunsTheStableRevisionAtTheCanarySizeAndSharesTheCanaryWeightOnceReady() {
    RolloutSpec spec = routed(CanaryStep.weight(30), CanaryStep.pauseUntilPromoted());
    spec.getStrategy().getCanary().setBaseline(new io.vigie.api.v1alpha1.Baseline(true));
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    status = step(spec, status);
    assertThat(world.baselineRevision).isEqualTo(ModelWorld.revisionOf("v1"));
    assertThat(world.baselineReplicas).isEqualTo(world.canaryReplicas).isEqualTo(2);
    for (int i = 0; i < 3; i++) {
      status = step(spec, status);
    }
    assertThat(status.getCanaryWeight()).isEqualTo(30);
    assertThat(List.of(world.routeStable, world.routeWeight, world.routeBaseline)).as("stable, canary, baseline")
        .containsExactly(70, 15, 15);

    // An abort: the route to stable first (baseline included); the canary's pods, then the baseline's, go
    // scaleDownDelaySeconds (default 30) later, once every proxy has applied the route.
    world.control = java.util.Optional.of(new PendingControl(PendingControl.Control.ABORT, "true", "id-1"));
    Decision abort = RolloutMachine.decide("shop", spec, status, world.observe());
    assertThat(abort.actions()).as("actions").startsWith(new Action.SetRoute(100, 0, 0, java.util.Optional.empty()))
        .noneMatch(a -> a instanceof Action.ScaleCanary || a instanceof Action.ScaleBaseline);
    assertThat(abort.status().getCanaryScaleDownAt()).isEqualTo("2026-01-01T00:00:30Z");
    assertThat(abort.requeueAfter()).hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(java.time.Duration.ofSeconds(30)));
    abort.actions().forEach(world::apply);
    world.control = java.util.Optional.empty();
    status = abort.status();

    world.now = world.now.plusSeconds(29);
    assertThat(RolloutMachine.decide("shop", spec, status, world.observe()).actions())
        .noneMatch(a -> a instanceof Action.ScaleCanary || a instanceof Action.ScaleBaseline);
    world.now = world.now.plusSeconds(1);
    Decision gone = RolloutMachine.decide("shop", spec, status, world.observe());
    assertThat(gone.actions()).containsSubsequence(new Action.ScaleCanary(0), new Action.ScaleBaseline(0));
    assertThat(gone.status().getCanaryScaleDownAt()).isNull();
  }

  @Test
  void aPromotedRoutedCanaryKeepsItsPodsUntilTheRouteHasReachedEveryProxy() {
    RolloutSpec spec = routed(CanaryStep.weight(50));
    spec.getStrategy().getCanary().setScaleDownDelaySeconds(10);
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    for (int i = 0; i < 8 && (status.getPhase() != RolloutPhase.Healthy || !"rev-v2".equals(status.getStableRevision())); i++) {
      status = step(spec, status);
    }
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(List.of(world.routeStable, world.routeWeight)).containsExactly(100, 0);
    assertThat(world.canaryReplicas).as("the canary outlives its last request").isPositive();
    assertThat(status.getCanaryScaleDownAt()).isNotNull();

    world.now = world.now.plusSeconds(10);
    status = step(spec, status);
    assertThat(world.canaryReplicas).isZero();
    assertThat(status.getCanaryScaleDownAt()).isNull();
  }

  @Test
  void aBaselineTurnedOffMidCanaryLeavesTheRouteBeforeItsPodsGo() {
    RolloutSpec spec = routed(CanaryStep.weight(30), CanaryStep.pauseUntilPromoted());
    spec.getStrategy().getCanary().setBaseline(new io.vigie.api.v1alpha1.Baseline(true));
    RolloutStatus status = servingAt30PercentWithBaseline(spec);

    spec.getStrategy().getCanary().setBaseline(null);
    List<Action> actions = RolloutMachine.decide("shop", spec, status, world.observe()).actions();
    assertThat(actions).as("actions").containsSubsequence(new Action.SetRoute(70, 30, 0, java.util.Optional.empty()),
        new Action.ScaleBaseline(0));
  }

  private RolloutStatus servingAt30PercentWithBaseline(RolloutSpec spec) {
    RolloutStatus status = step(spec, servingAt30Percent(spec));
    assertThat(world.routeBaseline).as("the baseline's share once its pods are ready").isEqualTo(15);
    return status;
  }

  @Test
  void aNewRevisionMidCanaryTakesTheRouteOffTheCanaryBeforeReplacingItsPods() {
    RolloutSpec spec = routed(CanaryStep.weight(30), CanaryStep.pauseUntilPromoted());
    RolloutStatus status = servingAt30Percent(spec);

    world.image = "v3";
    Decision decision = RolloutMachine.decide("shop", spec, status, world.observe());

    List<Action> actions = decision.actions();
    int route = actions.indexOf(Action.SetRoute.allToStable());
    int replace = actions.indexOf(new Action.RunCanary(ModelWorld.revisionOf("v3"), 2));
    assertThat(route).as("actions %s", actions).isNotNegative();
    assertThat(replace).as("actions %s", actions).isGreaterThan(route);
  }

  @Test
  void anAbortWhileTheRouteIsBrokenStillSendsWhatItCanToStableBeforeScalingDown() {
    RolloutSpec spec = routed(CanaryStep.weight(30), CanaryStep.pauseUntilPromoted());
    RolloutStatus status = servingAt30Percent(spec);
    Observation seen = world.observe();
    Observation broken = new Observation(seen.now(), seen.generation(), seen.target(), seen.service(), seen.canary(), seen.baseline(),
        Optional.of(new PendingControl(PendingControl.Control.ABORT, "true", "id-1")), seen.conflicts(), seen.analysis(),
        Optional.of(Observation.Route.unusable("HTTPRoute shop/web (and 1 more)", "HTTPRoute shop/web-internal not found")),
        seen.stableServiceHash());

    Decision decision = RolloutMachine.decide("shop", spec, status, broken);

    assertThat(decision.status().getPhase()).isEqualTo(RolloutPhase.Invalid);
    assertThat(decision.actions()).startsWith(Action.SetRoute.allToStable(), new Action.ScaleCanary(0));
  }

  @Test
  void aHeaderRouteFirstGetsOneCanaryPodAndNoWeight() {
    RolloutSpec spec = routed(CanaryStep.headerRoute("x-canary", "true"), CanaryStep.pauseUntilPromoted());
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    for (int i = 0; i < 3; i++) {
      status = step(spec, status);
    }

    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(world.canaryReplicas).isEqualTo(1);
    assertThat(world.routeWeight).isZero();
    assertThat(world.routeHeader).contains(new HeaderMatch("x-canary", "true"));
  }

  @Test
  void throughARouterTheBackgroundAnalysisStartsOnceTheRouteSendsTheCanaryTraffic() {
    RolloutSpec spec = routed(CanaryStep.weight(30), CanaryStep.pauseUntilPromoted());
    world.analysis = new Observation.Analysis(new io.vigie.analysis.ResolvedAnalysis(Optional.of(
        new io.vigie.analysis.ResolvedAnalysis.Run(List.of(Specs.errorRate(null)),
            io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError.Pause)), java.util.Map.of()), List.of(), List.of());
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    status = step(spec, status);
    while (world.routeWeight == 0) {
      assertThat(status.getAnalysis()).as("no analysis while the canary gets no traffic").isEmpty();
      status = step(spec, status);
    }
    // The decision that set the route saw it at 0: the initial delay starts with the next one.
    assertThat(status.getAnalysis()).isEmpty();

    status = step(spec, status);

    assertThat(status.getAnalysis()).singleElement().satisfies(r -> assertThat(r.getName()).isEqualTo("background"));
  }
}
