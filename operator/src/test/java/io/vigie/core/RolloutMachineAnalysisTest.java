package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.PendingControl.Control;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How analysis verdicts move a canary: on, to a pause, or back to stable. */
class RolloutMachineAnalysisTest {
  private final ModelWorld world = new ModelWorld();

  private static Metric errorRate(Integer count) {
    return Specs.errorRate(count);
  }

  private static RolloutSpec stepAnalysisSpec() {
    return Specs.withAnalysisStep(25, 50);
  }

  private void resolved(Optional<ResolvedAnalysis.Run> background, Map<Integer, ResolvedAnalysis.Run> steps) {
    world.analysis = new Observation.Analysis(new ResolvedAnalysis(background, steps), List.of(), List.of());
  }

  private void measured(String run, double... values) {
    List<RawMeasurement> raws = new java.util.ArrayList<>();
    for (double v : values) {
      raws.add(RawMeasurement.value(run, "error-rate", world.now, v, null));
    }
    world.analysis = new Observation.Analysis(world.analysis.resolved(), List.of(), raws);
  }

  private RolloutStatus step(RolloutSpec spec, RolloutStatus status) {
    return world.step(spec, status).status();
  }


  /** A canary of revision v2 serving its first step, watched by a background error-rate analysis. */
  private RolloutStatus servingWithBackgroundAnalysis(RolloutSpec spec) {
    resolved(Optional.of(new ResolvedAnalysis.Run(List.of(errorRate(null)), OnMetricsError.Pause)), Map.of());
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    status = step(spec, status);
    return step(spec, status);
  }

  private RolloutStatus atAnalysisStep(RolloutSpec spec) {
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    status = step(spec, status);
    status = step(spec, status);
    assertThat(status.getStep()).isEqualTo("2/3");
    return status;
  }

  @Test
  void anAnalysisStepCompletesOnlyWhenEveryMetricPassed() {
    RolloutSpec spec = stepAnalysisSpec();
    resolved(Optional.empty(), Map.of(1, new ResolvedAnalysis.Run(List.of(errorRate(2)), OnMetricsError.Pause)));
    RolloutStatus status = atAnalysisStep(spec);
    assertThat(status.getAnalysis()).singleElement().satisfies(r -> assertThat(r.getName()).isEqualTo("step-2"));

    measured("step-2", 0.01);
    status = step(spec, status);
    assertThat(status.getStep()).isEqualTo("2/3");
    assertThat(status.getMessage()).isEqualTo("step 2/3: analysis measuring: error-rate 1/1 successful");

    world.now = world.now.plusSeconds(30);
    measured("step-2", 0.02);
    status = step(spec, status);
    assertThat(status.getStep()).isEqualTo("3/3");
    assertThat(status.getAnalysis().get(0).getPhase()).isEqualTo(AnalysisPhase.Successful);
  }

  @Test
  void aFailedMetricRollsBackWithTrafficOnStableFirst() {
    RolloutSpec spec = stepAnalysisSpec();
    resolved(Optional.empty(), Map.of(1, new ResolvedAnalysis.Run(List.of(errorRate(3)), OnMetricsError.Pause)));
    RolloutStatus status = atAnalysisStep(spec);

    measured("step-2", 0.21);
    Decision decision = RolloutMachine.decide("shop", spec, status, world.observe());

    assertThat(decision.status().getPhase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(decision.actions().get(0)).isEqualTo(new Action.ScaleCanary(0));
    assertThat(decision.status().getAbort().getReason()).isEqualTo("AnalysisFailed");
    assertThat(decision.status().getAbort().getMessage())
        .isEqualTo("analysis error-rate failed: 0.21 > max 0.05 (1 of 1 measurement failed, failureLimit 0)");
  }

  @Test
  void promotionWaitsForTheBackgroundAnalysisToHaveSamples() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(25));
    resolved(Optional.of(new ResolvedAnalysis.Run(List.of(errorRate(null)), OnMetricsError.Pause)), Map.of());
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    status = step(spec, status);
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(status.getMessage()).isEqualTo("every step passed; waiting for the background analysis to have enough "
        + "successful measurements of error-rate before promoting");

    measured("background", 0.0);
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Promoting);
  }

  @Test
  void anInconclusiveBackgroundPausesAndAPromoteMeasuresAfresh() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(25), CanaryStep.pauseFor("10m"));
    RolloutStatus status = servingWithBackgroundAnalysis(spec);
    measured("background", Double.NaN);
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(status.getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("AnalysisInconclusive"));

    world.control = Optional.of(new PendingControl(Control.PROMOTE, "true", "id-1"));
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(status.getLastControl().getResult()).startsWith("background analysis restarted after: analysis error-rate is inconclusive");
    assertThat(status.getAnalysis()).singleElement().satisfies(r -> {
      assertThat(r.getPhase()).isEqualTo(AnalysisPhase.Running);
      assertThat(r.getMetrics().get(0).getMeasured()).isZero();
    });
  }

  @Test
  void aPersonsPauseDoesNotSwitchOffTheRollbackOnAFailedAnalysis() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(25), CanaryStep.pauseFor("10m"));
    RolloutStatus status = servingWithBackgroundAnalysis(spec);
    world.control = Optional.of(new PendingControl(Control.PAUSE, "true", "id-1"));
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);

    measured("background", 0.4);
    RolloutStatus rolledBack = step(spec, status);

    assertThat(rolledBack.getPhase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(rolledBack.getAbort().getReason()).isEqualTo("AnalysisFailed");
  }

  @Test
  void anAbortStillTakesTrafficOffTheCanaryOfARolloutThatTurnedInvalid() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    status = step(spec, status);
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);
    Observation.Analysis broken = new Observation.Analysis(world.analysis.resolved(),
        List.of("spec.analysis.templates[0]: AnalysisTemplate shop/http-health not found: create it or fix the name"), List.of());
    world.analysis = broken;
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Invalid);
    assertThat(world.canaryReplicas).as("an Invalid Rollout touches nothing by itself").isEqualTo(1);

    world.analysis = broken;
    world.control = Optional.of(new PendingControl(Control.ABORT, "true", "id-9"));
    Decision abort = RolloutMachine.decide("shop", spec, status, world.observe());

    assertThat(abort.actions()).containsExactly(new Action.ScaleCanary(0));
    assertThat(abort.status().getPhase()).isEqualTo(RolloutPhase.Invalid);
    assertThat(abort.status().getAbort().getReason()).isEqualTo("ManualAbort");
    assertThat(abort.status().getLastControl().getResult()).startsWith("aborted revision rev-v2");

    abort.actions().forEach(world::apply);
    world.analysis = Observation.Analysis.none();
    RolloutStatus valid = step(spec, abort.status());
    assertThat(valid.getPhase()).isEqualTo(RolloutPhase.RolledBack);
  }

  @Test
  void metricsThatCannotBeMeasuredAbortWhenTheRolloutSaysSo() {
    RolloutSpec spec = stepAnalysisSpec();
    Metric metric = errorRate(3);
    metric.setConsecutiveErrorLimit(0);
    resolved(Optional.empty(), Map.of(1, new ResolvedAnalysis.Run(List.of(metric), OnMetricsError.Abort)));
    RolloutStatus status = atAnalysisStep(spec);
    world.analysis = new Observation.Analysis(world.analysis.resolved(), List.of(),
        List.of(RawMeasurement.error("step-2", "error-rate", world.now, "cannot reach Prometheus")));

    RolloutStatus aborted = step(spec, status);

    assertThat(aborted.getPhase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(aborted.getAbort().getReason()).isEqualTo("AnalysisError");
  }

  @Test
  void aBackgroundAnalysisWhoseLastMeasurementIsAnErrorHoldsThePromotion() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(25), CanaryStep.pauseFor("1m"));
    RolloutStatus status = servingWithBackgroundAnalysis(spec);
    measured("background", 0.0);
    status = step(spec, status);
    // The metrics backend goes down before the last step is over: one error, below its limit.
    world.now = world.now.plusSeconds(30);
    world.analysis = new Observation.Analysis(world.analysis.resolved(), List.of(),
        List.of(RawMeasurement.error("background", "error-rate", world.now, "Prometheus answered HTTP 503")));
    status = step(spec, status);
    world.now = world.now.plusSeconds(31);
    status = step(spec, status);

    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(status.getMessage()).isEqualTo("every step passed; waiting for the background analysis to have enough "
        + "successful measurements of error-rate (its last measurement: Error) before promoting");

    world.now = world.now.plusSeconds(30);
    measured("background", 0.01);
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Promoting);
  }

  /** Issue 13, finding 11: with failureLimit 1, a failed measurement did not stop the next step from raising the weight. */
  @Test
  void noWeightIncreaseWhileTheNewestMeasurementIsNotASuccess() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(20), CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    Metric tolerant = errorRate(null);
    tolerant.setFailureLimit(1);
    world.replicas = 4;
    resolved(Optional.of(new ResolvedAnalysis.Run(List.of(tolerant), OnMetricsError.Pause)), Map.of());
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    status = step(spec, status);
    status = step(spec, status);
    assertThat(status.getStep()).isEqualTo("2/3");
    assertThat(status.getCanaryWeight()).isEqualTo(20);

    measured("background", 0.12);
    status = step(spec, status);
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(status.getStep()).isEqualTo("2/3");
    assertThat(status.getCanaryWeight()).as("the weight holds on a failed measurement").isEqualTo(20);
    assertThat(status.getMessage()).isEqualTo("step 2/3: setWeight 50 waits for a successful measurement: background metric "
        + "error-rate was Failed (0.12 > max 0.05)");
    assertThat(status.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Progressing");
      assertThat(c.getReason()).isEqualTo("AwaitingSuccessfulMeasurement");
    });
    assertThat(world.canaryReplicas).isEqualTo(1);

    world.now = world.now.plusSeconds(30);
    measured("background", 0.01);
    status = step(spec, status);
    status = step(spec, status);
    assertThat(status.getStep()).isEqualTo("3/3");
    assertThat(status.getCanaryWeight()).isEqualTo(50);
  }

  @Test
  void aMetricsOutageHoldsTheWeightToo() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(20), CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    RolloutStatus status = servingWithBackgroundAnalysis(spec);
    world.analysis = new Observation.Analysis(world.analysis.resolved(), List.of(),
        List.of(RawMeasurement.error("background", "error-rate", world.now, "cannot reach Prometheus: connection refused")));
    status = step(spec, status);
    status = step(spec, status);

    assertThat(status.getCanaryWeight()).isEqualTo(20);
    assertThat(status.getMessage()).endsWith("was Error (cannot reach Prometheus: connection refused)");
  }
}
