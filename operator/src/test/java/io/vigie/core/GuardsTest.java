package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.vigie.analysis.GuardRuns;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.RawMeasurement.SideCounters;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Guards;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.SequentialErrorRate;
import io.vigie.api.v1alpha1.SurgeGuard;
import io.vigie.core.PendingControl.Control;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guards (docs/guards.md): what holds the steps, and what never stops a rollback. */
class GuardsTest {
  private final ModelWorld world = new ModelWorld();
  private final List<RawMeasurement> readings = new ArrayList<>();

  private static Metric named(String name, Integer count) {
    Metric metric = Specs.errorRate(count);
    metric.setName(name);
    return metric;
  }

  private static ResolvedAnalysis.Run run(Metric... metrics) {
    return new ResolvedAnalysis.Run(List.of(metrics), OnMetricsError.Pause);
  }

  private static final ResolvedAnalysis.Run SURGE = run(named(GuardRuns.TRAFFIC_BEFORE, 1), named(GuardRuns.TRAFFIC, null));
  /** The stable side's error rate, at most 5%. */
  private static final ResolvedAnalysis.Run STABLE = run(named("stable-errors", null));

  private static RolloutSpec guarded(CanaryStep... steps) {
    RolloutSpec spec = Specs.canary(steps);
    Guards guards = new Guards();
    guards.setSurge(new SurgeGuard());
    spec.setGuards(guards);
    return spec;
  }

  private void resolved(Optional<ResolvedAnalysis.Run> background, Optional<ResolvedAnalysis.Run> surge,
      Optional<ResolvedAnalysis.Run> stable) {
    world.analysis = new Observation.Analysis(new ResolvedAnalysis(background, Map.of(),
        new ResolvedAnalysis.Guards(surge, 2, stable)), List.of(), List.of());
  }

  private void read(String run, String metric, double value) {
    readings.add(RawMeasurement.value(run, metric, world.now, value, null));
  }

  private Decision step(RolloutSpec spec, RolloutStatus status) {
    world.analysis = new Observation.Analysis(world.analysis.resolved(), List.of(), List.copyOf(readings));
    readings.clear();
    return world.step(spec, status);
  }

  private static Optional<Condition> held(RolloutStatus status) {
    return status.getConditions().stream().filter(c -> "Held".equals(c.getType())).findFirst();
  }

  /** Adopted on v1, then v2 applied: the decision that starts the canary (and its guards). */
  private RolloutStatus startCanary(RolloutSpec spec) {
    RolloutStatus status = step(spec, null).status();
    world.image = "v2";
    return step(spec, status).status();
  }

  @Test
  void aSurgeHoldsTheStepsWithTheCanaryKeepingItsTrafficThenTheStepsGoOnWhereTheyWere() {
    RolloutSpec spec = guarded(CanaryStep.weight(25), CanaryStep.pauseFor("1m"), CanaryStep.weight(50));
    resolved(Optional.empty(), Optional.of(SURGE), Optional.empty());
    RolloutStatus status = startCanary(spec);
    assertThat(status.getMessage()).startsWith("held at step 1/3: the surge guard has not recorded the request rate before "
        + "the release yet");
    assertThat(world.canaryReplicas).as("no canary pod before the rate before the release is known").isZero();

    read(GuardRuns.SURGE, GuardRuns.TRAFFIC_BEFORE, 100);
    read(GuardRuns.SURGE, GuardRuns.TRAFFIC, 110);
    status = step(spec, status).status();
    status = step(spec, status).status();
    assertThat(status.getStep()).isEqualTo("2/3");
    assertThat(held(status)).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    int canaryPods = world.canaryReplicas;
    assertThat(canaryPods).isPositive();
    List<Action> steady = step(spec, status).actions();

    world.now = world.now.plusSeconds(30);
    read(GuardRuns.SURGE, GuardRuns.TRAFFIC, 310);
    Decision surge = step(spec, status);
    status = surge.status();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(status.getMessage()).startsWith("held at step 2/3: traffic surge: 310 requests/s is 3.1 times the 100 "
        + "requests/s before the release (factor 2)");
    assertThat(held(status)).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("TrafficSurge");
    });
    assertThat(surge.events()).anySatisfy(e -> assertThat(e.reason()).isEqualTo("Held"));

    // The pause ran out during the surge: no step passes while it lasts, and the canary keeps its pods.
    world.now = world.now.plusSeconds(120);
    read(GuardRuns.SURGE, GuardRuns.TRAFFIC, 290);
    Decision still = step(spec, status);
    status = still.status();
    assertThat(status.getStep()).isEqualTo("2/3");
    assertThat(world.canaryReplicas).isEqualTo(canaryPods);
    assertThat(still.events()).as("one Event when the hold starts, not one per decision").isEmpty();
    assertThat(still.actions()).as("a hold asks for the cluster a steady step asks for, no more").isEqualTo(steady);

    world.now = world.now.plusSeconds(30);
    read(GuardRuns.SURGE, GuardRuns.TRAFFIC, 150);
    status = step(spec, status).status();
    assertThat(held(status)).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(status.getStep()).isEqualTo("3/3");
  }

  @Test
  void aFailingCanaryIsRolledBackWhileASurgeHoldsTheSteps() {
    RolloutSpec spec = guarded(CanaryStep.weight(25), CanaryStep.pauseFor("10m"));
    resolved(Optional.of(run(named("error-rate", null))), Optional.of(SURGE), Optional.empty());
    RolloutStatus status = startCanary(spec);
    read(GuardRuns.SURGE, GuardRuns.TRAFFIC_BEFORE, 100);
    read(GuardRuns.SURGE, GuardRuns.TRAFFIC, 100);
    status = step(spec, status).status();
    status = step(spec, status).status();
    world.now = world.now.plusSeconds(30);
    read(GuardRuns.SURGE, GuardRuns.TRAFFIC, 400);
    status = step(spec, status).status();
    assertThat(held(status)).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));

    read("background", "error-rate", 0.3);
    Decision decision = step(spec, status);
    assertThat(decision.status().getPhase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(decision.actions().get(0)).isEqualTo(new Action.ScaleCanary(0));
  }

  @Test
  void aGuardThatCannotReadItsMetricHoldsItNeverVouches() {
    RolloutSpec spec = guarded(CanaryStep.weight(25), CanaryStep.weight(50));
    resolved(Optional.empty(), Optional.of(SURGE), Optional.empty());
    RolloutStatus status = startCanary(spec);
    read(GuardRuns.SURGE, GuardRuns.TRAFFIC_BEFORE, 100);
    readings.add(RawMeasurement.error(GuardRuns.SURGE, GuardRuns.TRAFFIC, world.now, "connection refused"));
    status = step(spec, status).status();
    status = step(spec, status).status();
    assertThat(status.getStep()).isEqualTo("1/2");
    assertThat(status.getMessage()).startsWith("held at step 1/2: the surge guard cannot read the request rate: connection "
        + "refused");
  }

  @Test
  void whileStableFailsAThresholdFailureBothSidesShareIsNotTheCanarysFault() {
    RolloutSpec spec = guarded(CanaryStep.weight(25), CanaryStep.pauseFor("10m"));
    resolved(Optional.of(run(named("error-rate", null))), Optional.empty(), Optional.of(STABLE));
    RolloutStatus status = startCanary(spec);
    read(GuardRuns.STABLE, "stable-errors", 0.01);
    status = step(spec, status).status();
    status = step(spec, status).status();
    assertThat(status.getStep()).isEqualTo("2/2");

    world.now = world.now.plusSeconds(30);
    read(GuardRuns.STABLE, "stable-errors", 0.30);
    read("background", "error-rate", 0.31);
    status = step(spec, status).status();
    assertThat(status.getPhase()).isNotEqualTo(RolloutPhase.RolledBack);
    var measurement = status.getAnalysis().stream().filter(r -> r.getName().equals("background")).findFirst().orElseThrow()
        .getMetrics().get(0).getMeasurements().get(0);
    assertThat(measurement.getPhase()).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(measurement.getMessage()).isEqualTo("0.31 > max 0.05, but the stable version fails its guard: stable-errors "
        + "0.3 > max 0.05: not counted against the canary");
  }

  /** A canary serving at step 2/2 whose errorRate metric fails at the reading that shows stable failing its guard. */
  private Decision canaryFailsWhileStableFails(RolloutSpec spec) {
    Metric errors = named("errors", null);
    errors.setThresholdRange(null);
    errors.setErrorRate(new SequentialErrorRate());
    resolved(Optional.of(run(errors)), Optional.empty(), Optional.of(STABLE));
    RolloutStatus status = startCanary(spec);
    read(GuardRuns.STABLE, "stable-errors", 0.01);
    status = step(spec, status).status();
    status = step(spec, status).status();
    world.now = world.now.plusSeconds(30);
    read(GuardRuns.STABLE, "stable-errors", 0.30);
    readings.add(RawMeasurement.counters("background", "errors", world.now, new SideCounters(200, 80, 200, 2, "baseline")));
    return step(spec, status);
  }

  @Test
  void aRollbackDoesNotMoveTrafficOntoAFailingStableWithoutAPerson() {
    RolloutSpec spec = guarded(CanaryStep.weight(25), CanaryStep.pauseFor("10m"));
    Decision decision = canaryFailsWhileStableFails(spec);
    RolloutStatus status = decision.status();
    int canaryPods = world.canaryReplicas;
    assertThat(canaryPods).isPositive();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(status.getMessage()).startsWith("the canary would be rolled back (AnalysisFailed: analysis errors failed: ")
        .contains("but the stable version fails its guard: stable-errors 0.3 > max 0.05: traffic stays where it is");
    assertThat(held(status)).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("StableUnhealthy"));
    assertThat(decision.actions()).doesNotContain(new Action.ScaleCanary(0));

    world.control = Optional.of(new PendingControl(Control.ABORT, "true", "id-1"));
    decision = step(spec, status);
    assertThat(decision.status().getPhase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(decision.status().getAbort().getReason()).isEqualTo("ManualAbort");
    assertThat(decision.actions().get(0)).isEqualTo(new Action.ScaleCanary(0));
  }

  @Test
  void theHeldRollbackGoesThroughByItselfOnceStableIsHealthyAgain() {
    RolloutSpec spec = guarded(CanaryStep.weight(25), CanaryStep.pauseFor("10m"));
    RolloutStatus status = canaryFailsWhileStableFails(spec).status();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);

    world.now = world.now.plusSeconds(30);
    read(GuardRuns.STABLE, "stable-errors", 0.01);
    status = step(spec, status).status();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(status.getAbort().getReason()).isEqualTo("AnalysisFailed");
  }
}
