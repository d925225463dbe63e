package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.MeasurementStatus;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Invariant 2 of docs/design.md section 3 over random measurement streams: no promotion unless every
 * required analysis passed, and missing or errored data never passes. Measurements are random
 * mixes of good values, bad values, NaN, empty results and provider errors; no person intervenes.
 */
class AnalysisGatePropertiesTest {
  sealed interface Outcome permits Good, Bad, NotANumber, Empty, Broken {}
  record Good() implements Outcome {}
  record Bad() implements Outcome {}
  record NotANumber() implements Outcome {}
  record Empty() implements Outcome {}
  record Broken() implements Outcome {}

  @Property(tries = 1000)
  void noPromotionWithoutPassingAnalysesAndBrokenDataNeverPasses(
      @ForAll @Size(min = 1, max = 40) List<@From("outcomes") Outcome> outcomes,
      @ForAll("limits") int failureLimit, @ForAll("limits") int inconclusiveLimit, @ForAll("limits") int errorLimit,
      @ForAll("policies") OnMetricsError onError) {
    Metric metric = metric(failureLimit, inconclusiveLimit, errorLimit);
    ResolvedAnalysis.Run run = new ResolvedAnalysis.Run(List.of(metric), onError);
    Metric background = metric(failureLimit, inconclusiveLimit, errorLimit);
    background.setCount(null);
    ModelWorld world = new ModelWorld();
    world.analysis = new Observation.Analysis(new ResolvedAnalysis(
        Optional.of(new ResolvedAnalysis.Run(List.of(background), onError)), Map.of(1, run)), List.of(), List.of());
    RolloutSpec spec = spec();
    RolloutStatus status = RolloutMachine.decide("shop", spec, null, world.observe()).status();
    world.image = "v2";
    Iterator<Outcome> next = outcomes.iterator();
    boolean promoted = false;
    boolean stopped = false;
    for (int round = 0; round < 80 && next.hasNext(); round++) {
      List<RawMeasurement> raws = new ArrayList<>();
      if (status.getAnalysis() != null) {
        for (AnalysisRuns.Due due : AnalysisRuns.due(status.getAnalysis(), world.analysis.resolved(), world.now)) {
          if (next.hasNext()) {
            raws.add(measurement(due.run(), world, next.next()));
          }
        }
      }
      world.analysis = new Observation.Analysis(world.analysis.resolved(), List.of(), raws);
      RolloutPhase before = status.getPhase();
      Decision decision = RolloutMachine.decide("shop", spec, status, world.observe());
      decision.actions().forEach(world::apply);
      world.controllersTick();
      status = decision.status();
      stopped |= status.getPhase() == RolloutPhase.RolledBack || status.getPhase() == RolloutPhase.Paused;
      if (status.getPhase() == RolloutPhase.Promoting && before != RolloutPhase.Promoting) {
        promoted = true;
        assertPassed(status, "step-2", metric);
        AnalysisRunStatus bg = find(status, "background");
        assertThat(bg.getMetrics().get(0).getSuccessful()).as("background samples before promoting").isGreaterThanOrEqualTo(1);
        assertThat(bg.getPhase()).isIn(AnalysisPhase.Running, AnalysisPhase.Successful);
      }
      for (AnalysisRunStatus r : status.getAnalysis() == null ? List.<AnalysisRunStatus>of() : status.getAnalysis()) {
        for (MetricStatus m : r.getMetrics()) {
          assertThat(m.getMeasurements()).allSatisfy(this::onlyGoodValuesSucceed);
        }
      }
      world.now = world.now.plusSeconds(30);
    }
    Statistics.label("outcome").collect(promoted ? "promoted" : stopped ? "paused or rolled back" : "still measuring");
    Statistics.label("outcome").coverage(c -> {
      c.check("promoted").percentage(p -> p > 5);
      c.check("paused or rolled back").percentage(p -> p > 5);
    });
  }

  private void onlyGoodValuesSucceed(MeasurementStatus m) {
    if (m.getPhase() == AnalysisPhase.Successful) {
      assertThat(m.getValue()).as("a successful measurement has a value within the threshold").isEqualTo("0.01");
    }
  }

  private static void assertPassed(RolloutStatus status, String run, Metric metric) {
    AnalysisRunStatus step = find(status, run);
    assertThat(step.getPhase()).as("the analysis step passed before promoting").isEqualTo(AnalysisPhase.Successful);
    MetricStatus m = step.getMetrics().get(0);
    assertThat(m.getSuccessful()).isGreaterThanOrEqualTo(metric.getMinSamples());
    assertThat(m.getFailed()).isLessThanOrEqualTo(metric.getFailureLimit());
    assertThat(m.getInconclusive()).isLessThanOrEqualTo(metric.getInconclusiveLimit());
  }

  private static AnalysisRunStatus find(RolloutStatus status, String name) {
    return AnalysisRuns.find(status.getAnalysis(), name).orElseThrow(() -> new AssertionError("no run " + name));
  }

  private static RawMeasurement measurement(String run, ModelWorld world, Outcome outcome) {
    if (outcome instanceof Good) {
      return RawMeasurement.value(run, "error-rate", world.now, 0.01, null);
    }
    if (outcome instanceof Bad) {
      return RawMeasurement.value(run, "error-rate", world.now, 0.3, null);
    }
    if (outcome instanceof NotANumber) {
      return RawMeasurement.value(run, "error-rate", world.now, Double.NaN, null);
    }
    if (outcome instanceof Empty) {
      return RawMeasurement.noData(run, "error-rate", world.now, "no data");
    }
    return RawMeasurement.error(run, "error-rate", world.now, "connection refused");
  }

  private static Metric metric(int failureLimit, int inconclusiveLimit, int errorLimit) {
    Metric metric = Specs.errorRate(3);
    metric.setMinSamples(2);
    metric.setFailureLimit(failureLimit);
    metric.setInconclusiveLimit(inconclusiveLimit);
    metric.setConsecutiveErrorLimit(errorLimit);
    return metric;
  }

  private static RolloutSpec spec() {
    return Specs.withAnalysisStep(20, 50);
  }

  @Provide
  Arbitrary<Outcome> outcomes() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(new Good())),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new Bad())),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new NotANumber())),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new Empty())),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new Broken())));
  }

  @Provide
  Arbitrary<Integer> limits() {
    return Arbitraries.integers().between(0, 3);
  }

  @Provide
  Arbitrary<OnMetricsError> policies() {
    return Arbitraries.of(OnMetricsError.class);
  }
}
