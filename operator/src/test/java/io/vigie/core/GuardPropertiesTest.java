package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.GuardRuns;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Guards;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.SurgeGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The guards over random streams of readings (traffic calm, surging or unreadable; stable healthy,
 * failing or unreadable; the canary good or bad): no step passes and no weight grows while a guard
 * holds; a bad canary is rolled back at once unless the stable version fails its guard, and then
 * never rolled back by itself.
 */
class GuardPropertiesTest {
  enum Traffic { CALM, SURGE, UNREADABLE }

  enum Stable { HEALTHY, FAILING, UNREADABLE }

  record Round(Traffic traffic, Stable stable, boolean canaryBad) {}

  @Provide
  Arbitrary<List<Round>> rounds() {
    Arbitrary<Round> round = Combinators.combine(
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(Traffic.CALM)), Tuple.of(3, Arbitraries.just(Traffic.SURGE)),
            Tuple.of(1, Arbitraries.just(Traffic.UNREADABLE))),
        Arbitraries.frequencyOf(Tuple.of(7, Arbitraries.just(Stable.HEALTHY)),
            Tuple.of(2, Arbitraries.just(Stable.FAILING)), Tuple.of(1, Arbitraries.just(Stable.UNREADABLE))),
        Arbitraries.frequencyOf(Tuple.of(19, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))))
        .as(Round::new);
    return round.list().ofMinSize(5).ofMaxSize(60);
  }

  private static Metric named(String name, Integer count) {
    Metric metric = Specs.errorRate(count);
    metric.setName(name);
    return metric;
  }

  @Property(tries = 1000)
  void noStepPassesWhileAGuardHoldsAndABadCanaryIsRolledBackUnlessStableFails(@ForAll("rounds") List<Round> rounds) {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(10), CanaryStep.pauseFor("30s"), CanaryStep.weight(25),
        CanaryStep.pauseFor("30s"), CanaryStep.weight(50), CanaryStep.pauseFor("30s"));
    Guards guards = new Guards();
    guards.setSurge(new SurgeGuard());
    spec.setGuards(guards);
    ModelWorld world = new ModelWorld();
    ResolvedAnalysis.Run background = new ResolvedAnalysis.Run(List.of(named("error-rate", null)), OnMetricsError.Pause);
    ResolvedAnalysis.Run surge = new ResolvedAnalysis.Run(List.of(named(GuardRuns.TRAFFIC_BEFORE, 1),
        named(GuardRuns.TRAFFIC, null)), OnMetricsError.Pause);
    ResolvedAnalysis.Run stable = new ResolvedAnalysis.Run(List.of(named("stable-errors", null)), OnMetricsError.Pause);
    ResolvedAnalysis resolved = new ResolvedAnalysis(Optional.of(background), Map.of(),
        new ResolvedAnalysis.Guards(Optional.of(surge), 2, Optional.of(stable)));
    world.analysis = new Observation.Analysis(resolved, List.of(), List.of());
    RolloutStatus status = world.step(spec, null).status();
    world.image = "v2";
    String verdict = "still going";
    int holds = 0;
    for (Round round : rounds) {
      List<RawMeasurement> raws = new ArrayList<>();
      for (AnalysisRuns.Due due : AnalysisRuns.due(status.getAnalysis() == null ? List.of() : status.getAnalysis(), resolved,
          world.now)) {
        raws.add(reading(due, round, world));
      }
      world.analysis = new Observation.Analysis(resolved, List.of(), raws);
      boolean badRead = raws.stream().anyMatch(r -> r.run().equals("background") && r.value() != null && r.value() > 0.05);
      int stepBefore = status.getCurrentStepIndex() == null ? 0 : status.getCurrentStepIndex();
      int weightBefore = status.getDesiredWeight() == null ? 0 : status.getDesiredWeight();
      RolloutPhase phaseBefore = status.getPhase();
      Decision decision = world.step(spec, status);
      status = decision.status();
      List<io.vigie.api.v1alpha1.AnalysisRunStatus> runs = status.getAnalysis() == null ? List.of() : status.getAnalysis();
      Optional<GuardRuns.Hold> hold = GuardRuns.hold(runs);
      boolean stableFailing = GuardRuns.stableFailing(runs).isPresent();
      if (status.getCanaryRevision() != null && hold.isPresent() && status.getPhase() != RolloutPhase.RolledBack) {
        holds++;
        assertThat(status.getCurrentStepIndex()).as("no step passes while %s", hold.get().message()).isEqualTo(stepBefore);
        assertThat(status.getDesiredWeight() == null ? 0 : status.getDesiredWeight()).as("no weight grows while held")
            .isLessThanOrEqualTo(weightBefore);
        assertThat(status.getPhase()).isNotEqualTo(RolloutPhase.Promoting);
      }
      if (badRead && phaseBefore == RolloutPhase.Progressing) {
        if (stableFailing) {
          assertThat(status.getPhase()).as("never rolled back onto a failing stable by itself").isNotEqualTo(RolloutPhase.RolledBack);
        } else if (status.getPhase() != RolloutPhase.Paused) {
          assertThat(status.getPhase()).as("a bad canary is rolled back, held or not").isEqualTo(RolloutPhase.RolledBack);
        }
      }
      if (status.getPhase() == RolloutPhase.RolledBack || status.getPhase() == RolloutPhase.Healthy) {
        verdict = status.getPhase().name();
        break;
      }
      world.now = world.now.plusSeconds(15);
    }
    Statistics.label("verdict").collect(verdict);
    Statistics.label("held").collect(holds > 0);
    Statistics.label("verdict").coverage(c -> {
      c.check("RolledBack").percentage(p -> p > 5);
      c.check("Healthy").percentage(p -> p > 1);
    });
    Statistics.label("held").coverage(c -> c.check(true).percentage(p -> p > 50));
  }

  private static RawMeasurement reading(AnalysisRuns.Due due, Round round, ModelWorld world) {
    String metric = due.metric().getName();
    if (due.run().equals(GuardRuns.SURGE)) {
      if (round.traffic() == Traffic.UNREADABLE) {
        return RawMeasurement.error(due.run(), metric, world.now, "connection refused");
      }
      double rate = metric.equals(GuardRuns.TRAFFIC_BEFORE) || round.traffic() == Traffic.CALM ? 100 : 300;
      return RawMeasurement.value(due.run(), metric, world.now, rate, null);
    }
    if (due.run().equals(GuardRuns.STABLE)) {
      return round.stable() == Stable.UNREADABLE ? RawMeasurement.noData(due.run(), metric, world.now, "no data")
          : RawMeasurement.value(due.run(), metric, world.now, round.stable() == Stable.FAILING ? 0.3 : 0.01, null);
    }
    // A bad canary is bad together with stable when stable fails (an incident), else by itself.
    return RawMeasurement.value(due.run(), metric, world.now, round.canaryBad() || round.stable() == Stable.FAILING ? 0.3 : 0.01,
        null);
  }
}
