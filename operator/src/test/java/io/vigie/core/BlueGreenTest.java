package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.TrafficRouting;
import io.vigie.core.PendingControl.Control;
import io.vigie.domain.ActivePin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The blue-green decisions, step by step on the model cluster: the switch, the switch back, the promotion. */
class BlueGreenTest {
  private final ModelWorld world = new ModelWorld();

  private RolloutStatus step(RolloutSpec spec, RolloutStatus status) {
    return world.step(spec, status).status();
  }

  private void advance(int seconds) {
    world.now = world.now.plus(Duration.ofSeconds(seconds));
  }

  /** Adopted at v1, then the template moves to v2: green comes up, the active Service pinned to blue first. */
  private RolloutStatus previewing(RolloutSpec spec) {
    world.checkActiveCapacity = true;
    RolloutStatus status = step(spec, null);
    assertThat(world.activePin).as("adoption pins the active Service to the stable pods (with a router: left alone)")
        .isEqualTo(world.routed ? ActivePin.NONE : ActivePin.target("hash-v1"));
    world.image = "v2";
    Decision start = world.step(spec, status);
    assertThat(start.actions()).contains(new Action.RunCanary("rev-v2", 4), new Action.EnsurePreviewService());
    assertThat(start.status().getStep()).isEqualTo("1/2");
    return step(spec, start.status());
  }

  @Test
  void aGoodReleaseSwitchesInOneWriteKeepsBlueWarmThenHandsOverToTheDeployment() {
    RolloutSpec spec = Specs.blueGreen(Specs.blueGreen(60, 30));
    RolloutStatus status = previewing(spec);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(status.getMessage()).contains("ready on Service shop/web-preview", "switching at 2026-01-01T00:01:00Z");
    assertThat(status.getBlueGreen().getActiveRevision()).isEqualTo("rev-v1");
    assertThat(status.getBlueGreen().getPreviewRevision()).isEqualTo("rev-v2");

    advance(60);
    int before = world.writes.size();
    Decision switching = world.step(spec, status);
    assertThat(world.writes.subList(before, world.writes.size())).as("the switch is one write")
        .containsExactly(new Action.PointActiveService(ActivePin.GREEN));
    assertThat(switching.events()).extracting(RolloutEvent::cause).contains(EventReason.Switched);
    status = switching.status();
    assertThat(status.getStep()).isEqualTo("2/2");
    assertThat(status.getCanaryWeight()).isEqualTo(100);
    assertThat(status.getBlueGreen().getActiveRevision()).isEqualTo("rev-v2");
    assertThat(status.getMessage()).contains("blue (revision rev-v1) stays warm until 2026-01-01T00:01:30Z");
    assertThat(world.paused).as("blue is the paused target: nothing of it moved").isTrue();

    advance(30);
    Decision promoting = world.step(spec, status);
    assertThat(promoting.status().getPhase()).isEqualTo(RolloutPhase.Promoting);
    assertThat(promoting.actions()).contains(new Action.PauseTarget(false)).doesNotContain(new Action.ScaleCanary(0));
    status = step(spec, promoting.status());
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(status.getStableRevision()).isEqualTo("rev-v2");
    assertThat(world.activePin).as("the active Service moved to the Deployment's new pods").isEqualTo(ActivePin.target("hash-v2"));
    assertThat(world.paused).isTrue();
    assertThat(world.canaryReplicas).as("green stays scaleDownDelaySeconds after the hand-over").isEqualTo(4);
    assertThat(status.getHistory()).last().satisfies(r -> assertThat(r.getVerdict().name()).isEqualTo("Promoted"));

    advance(30);
    status = step(spec, status);
    assertThat(world.canaryReplicas).isZero();
    status = step(spec, status);
    assertThat(status.getBlueGreen().getScaleDownAt()).isNull();
    assertThat(status.getMessage()).isEqualTo("revision rev-v2 serves all traffic");
  }

  @Test
  void aTargetScaledToZeroHoldsGreenWithNoPodAndNeverSwitchesUntilItIsScaledUp() {
    RolloutSpec spec = Specs.blueGreen(Specs.blueGreen(60, 30));
    RolloutStatus status = step(spec, null);
    world.replicas = 0;
    world.image = "v2";
    Decision held = world.step(spec, status);
    assertThat(held.status().getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(held.status().getMessage()).contains("Deployment web is scaled to 0 replicas", "green (revision rev-v2) waits");
    assertThat(held.status().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo(Conditions.PAUSED);
      assertThat(c.getReason()).isEqualTo("TargetScaledToZero");
    });
    assertThat(held.events()).extracting(RolloutEvent::cause).containsOnlyOnce(EventReason.Held);
    assertThat(world.canaryReplicas).as("green has no size to run at").isZero();
    status = held.status();

    advance(600);
    Decision later = world.step(spec, status);
    assertThat(later.status().getPhase()).as("autoPromotionSeconds and the progress deadline do not run while held")
        .isEqualTo(RolloutPhase.Paused);
    assertThat(later.events()).as("the hold is told once").extracting(RolloutEvent::cause).doesNotContain(EventReason.Held);
    assertThat(world.writes).doesNotContain(new Action.PointActiveService(ActivePin.GREEN));
    assertThat(later.status().getHistory()).noneSatisfy(r -> assertThat(r.getVerdict().name()).isEqualTo("Promoted"));
    status = later.status();

    world.replicas = 4;
    status = step(spec, status);
    assertThat(world.canaryReplicas).as("scaled up: green comes up at the target's size").isEqualTo(4);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    status = step(spec, status);
    assertThat(status.getMessage()).contains("ready on Service shop/web-preview", "switching at 2026-01-01T00:11:00Z");
  }

  @Test
  void aFailingPostPromotionAnalysisSwitchesBackWithOneWriteThenRemovesGreen() {
    var blueGreen = Specs.blueGreen(0, 600);
    RolloutSpec spec = Specs.blueGreen(blueGreen);
    world.analysis = new Observation.Analysis(new ResolvedAnalysis(Optional.empty(), Map.of(), ResolvedAnalysis.Guards.NONE,
        new ResolvedAnalysis.BlueGreen(Optional.empty(),
            Optional.of(new ResolvedAnalysis.Run(List.of(Specs.errorRate(3)), OnMetricsError.Pause)))), List.of(), List.of());
    RolloutStatus status = previewing(spec);
    status = step(spec, status);
    assertThat(world.activePin).isEqualTo(ActivePin.GREEN);
    assertThat(status.getAnalysis()).extracting(r -> r.getName()).containsExactly("post-promotion");

    world.analysis = new Observation.Analysis(world.analysis.resolved(), List.of(),
        List.of(RawMeasurement.value("post-promotion", "error-rate", world.now, 0.4, null)));
    Decision back = world.step(spec, status);
    assertThat(back.status().getPhase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(back.actions()).as("the switch back is the first write, and one write").first()
        .isEqualTo(new Action.PointActiveService(ActivePin.target("hash-v1")));
    assertThat(back.actions()).contains(new Action.ScaleCanary(0));
    assertThat(back.status().getRollbackReport().getTrigger()).isEqualTo("AnalysisFailed");
    assertThat(back.status().getBlueGreen().getActiveRevision()).isEqualTo("rev-v1");
    assertThat(world.paused).as("blue never stopped").isTrue();
    assertThat(world.replicaSets).containsEntry("v1", 4);
  }

  @Test
  void withoutAutoPromotionGreenWaitsOnThePreviewForAPerson() {
    RolloutSpec spec = Specs.blueGreen(Specs.blueGreen(null, 0));
    RolloutStatus status = previewing(spec);
    advance(3600);
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(status.getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("AwaitingPromotion"));
    assertThat(world.activePin).isEqualTo(ActivePin.target("hash-v1"));

    world.control = Optional.of(new PendingControl(Control.PROMOTE, "true", "p1"));
    status = step(spec, status);
    assertThat(world.activePin).isEqualTo(ActivePin.GREEN);
    assertThat(status.getLastControl().getResult()).contains("switching to green");
  }

  @Test
  void aPersonsAbortAfterTheSwitchMovesUsersBackToBlueFirst() {
    RolloutSpec spec = Specs.blueGreen(Specs.blueGreen(0, 600));
    RolloutStatus status = step(spec, previewing(spec));
    assertThat(world.activePin).isEqualTo(ActivePin.GREEN);
    world.control = Optional.of(new PendingControl(Control.ABORT, "true", "a1"));
    Decision abort = world.step(spec, status);
    assertThat(abort.actions().get(0)).isEqualTo(new Action.PointActiveService(ActivePin.target("hash-v1")));
    assertThat(abort.status().getAbort().getReason()).isEqualTo("ManualAbort");
    assertThat(abort.status().getMessage()).contains("rolled back");
  }

  @Test
  void throughARouterTheSwitchIsAWeightFlip() {
    RolloutSpec spec = Specs.blueGreen(Specs.blueGreen(60, 600));
    spec.setTrafficRouting(TrafficRouting.gatewayApi("web"));
    world.routed = true;
    RolloutStatus status = previewing(spec);
    assertThat(world.activePin).as("with a router the user's Service is left alone").isEqualTo(ActivePin.NONE);
    assertThat(world.routeWeight).isZero();
    advance(60);
    int before = world.writes.size();
    Decision switching = world.step(spec, status);
    assertThat(world.writes.subList(before, world.writes.size())).containsExactly(new Action.SetRoute(0, 100, 0, Optional.empty()));
    world.control = Optional.of(new PendingControl(Control.ABORT, "true", "a1"));
    Decision abort = world.step(spec, switching.status());
    assertThat(abort.actions().get(0)).isEqualTo(Action.SetRoute.allToStable());
  }

  @Test
  void aSmallPreviewGrowsToTheTargetsSizeBeforeTheSwitch() {
    var blueGreen = Specs.blueGreen(0, 0);
    blueGreen.setPreviewReplicaCount(1);
    RolloutSpec spec = Specs.blueGreen(blueGreen);
    world.checkActiveCapacity = true;
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    Decision preview = world.step(spec, status);
    assertThat(preview.actions()).contains(new Action.RunCanary("rev-v2", 1));
    world.canaryPodsBecomeReady = false;
    status = step(spec, preview.status());
    status = step(spec, status);
    assertThat(world.canaryReplicas).isEqualTo(4);
    assertThat(world.activePin).as("no switch with 1 of 4 green pods ready").isEqualTo(ActivePin.target("hash-v1"));
    assertThat(status.getMessage()).contains("before the switch, waiting for its pods: 1/4 ready");
    world.canaryPodsBecomeReady = true;
    world.controllersTick();
    step(spec, status);
    assertThat(world.activePin).isEqualTo(ActivePin.GREEN);
  }

  @Test
  void greenThatNeverBecomesReadyIsRemovedAtTheProgressDeadlineWithoutTouchingUsers() {
    RolloutSpec spec = Specs.blueGreen(Specs.blueGreen(0, 0));
    spec.setProgressDeadlineSeconds(120);
    RolloutStatus status = step(spec, null);
    world.canaryPodsBecomeReady = false;
    world.image = "v2";
    status = step(spec, status);
    advance(121);
    Decision deadline = world.step(spec, status);
    assertThat(deadline.status().getPhase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(deadline.status().getAbort().getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(deadline.actions()).noneMatch(a -> a instanceof Action.PointActiveService);
    assertThat(world.canaryReplicas).isZero();
  }
}
