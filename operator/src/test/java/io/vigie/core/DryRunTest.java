package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A dryRun metric is measured and reported, and decides nothing. */
class DryRunTest {
  private final ModelWorld world = new ModelWorld();

  private static Metric metric(String name, boolean dryRun) {
    Metric metric = Specs.errorRate(null);
    metric.setName(name);
    metric.setDryRun(dryRun);
    return metric;
  }

  private void measured(double errorRate, double strict) {
    world.analysis = new Observation.Analysis(world.analysis.resolved(), List.of(), List.of(
        RawMeasurement.value("background", "error-rate", world.now, errorRate, null),
        RawMeasurement.value("background", "strict-errors", world.now, strict, null)));
  }

  @Test
  void aFailingDryRunMetricSaysItWouldHaveRolledBackAndTheCanaryIsPromoted() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(25), CanaryStep.pauseFor("1m"), CanaryStep.weight(50),
        CanaryStep.pauseFor("1m"));
    Metric strict = metric("strict-errors", true);
    strict.getThresholdRange().setMax(0.001);
    world.analysis = new Observation.Analysis(new ResolvedAnalysis(Optional.of(new ResolvedAnalysis.Run(
        List.of(metric("error-rate", false), strict), OnMetricsError.Pause)), Map.of()), List.of(), List.of());
    RolloutStatus status = world.step(spec, null).status();
    world.image = "v2";
    status = world.step(spec, status).status();
    status = world.step(spec, status).status();

    measured(0.01, 0.01);
    Decision decision = world.step(spec, status);
    status = decision.status();
    MetricStatus dry = status.getAnalysis().get(0).getMetrics().get(1);
    assertThat(dry.getPhase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(dry.getDryRunVerdict()).isEqualTo("would have rolled back at step 2/4: 0.01 > max 0.001 (1 of 1 measurement "
        + "failed, failureLimit 0)");
    assertThat(decision.events()).anySatisfy(e -> {
      assertThat(e.reason()).isEqualTo("DryRunVerdict");
      assertThat(e.message()).startsWith("dry-run metric strict-errors (background) would have rolled back at step 2/4");
    });
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(status.getAnalysis().get(0).getPhase()).isEqualTo(AnalysisPhase.Running);

    for (int i = 0; i < 10 && status.getPhase() != RolloutPhase.Promoting; i++) {
      world.now = world.now.plusSeconds(30);
      measured(0.01, 0.01);
      Decision next = world.step(spec, status);
      assertThat(next.events()).noneSatisfy(e -> assertThat(e.reason()).isEqualTo("DryRunVerdict"));
      status = next.status();
    }
    assertThat(status.getPhase()).as("the dry-run metric held nothing").isEqualTo(RolloutPhase.Promoting);
  }
}
