package io.vigie.simulate;

import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.GuardRuns;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.analysis.SidePlaceholder;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Measurements read from recordings instead of providers: each metric's series by its name
 * (docs/cli.md, "vigie simulate", lists the names each kind of metric reads).
 */
final class RecordedMeasurements {
  /** The surge guard's request rate. */
  static final String SURGE = "guards.surge";
  /** Prefix of a stable guard metric's series. */
  static final String STABLE = "guards.stable/";

  private final Recordings recordings;
  private final SidePlaceholder comparison;
  private final Duration surgeWindow;

  RecordedMeasurements(Recordings recordings, SidePlaceholder comparison, Duration surgeWindow) {
    this.recordings = recordings;
    this.comparison = comparison;
    this.surgeWindow = surgeWindow;
  }

  /** The series a metric of this run reads: what the recordings must hold. */
  List<String> seriesOf(String run, Metric metric) {
    if (GuardRuns.SURGE.equals(run)) {
      return List.of(SURGE);
    }
    if (GuardRuns.STABLE.equals(run)) {
      return List.of(STABLE + metric.getName());
    }
    String name = metric.getName();
    String side = comparison.word();
    if (metric.getErrorRate() != null) {
      return List.of(name + "/canary-requests", name + "/canary-bad", name + "/" + side + "-requests", name + "/" + side + "-bad");
    }
    if (metric.getCompare() != null) {
      return List.of(name + "/canary", name + "/" + side);
    }
    return List.of(name);
  }

  /** The series every metric of the analyses reads that the recordings lack. */
  List<String> missing(ResolvedAnalysis resolved) {
    List<String> missing = new ArrayList<>();
    resolved.background().ifPresent(r -> r.metrics().forEach(m -> lacking(AnalysisRuns.BACKGROUND, m, missing)));
    resolved.steps().forEach((i, r) -> r.metrics().forEach(m -> lacking(AnalysisRuns.stepRun(i), m, missing)));
    resolved.guards().surge().ifPresent(r -> r.metrics().forEach(m -> lacking(GuardRuns.SURGE, m, missing)));
    resolved.guards().stable().ifPresent(r -> r.metrics().forEach(m -> lacking(GuardRuns.STABLE, m, missing)));
    return missing.stream().distinct().toList();
  }

  private void lacking(String run, Metric metric, List<String> missing) {
    seriesOf(run, metric).stream().filter(s -> recordings.series(s).isEmpty()).forEach(missing::add);
  }

  RawMeasurement measure(String run, Metric metric, Instant at) {
    List<String> series = seriesOf(run, metric);
    if (GuardRuns.SURGE.equals(run) && GuardRuns.TRAFFIC_BEFORE.equals(metric.getName())) {
      double[] before = recordings.series(SURGE).orElseThrow().between(at.minus(surgeWindow), at);
      return before.length == 0 ? gap(run, metric, at, SURGE)
          : RawMeasurement.value(run, metric.getName(), at, java.util.Arrays.stream(before).average().orElseThrow(), null);
    }
    if (metric.getCompare() != null) {
      Duration window = Durations.parse(metric.getCompare().window());
      double[] canary = recordings.series(series.get(0)).orElseThrow().between(at.minus(window), at);
      double[] other = recordings.series(series.get(1)).orElseThrow().between(at.minus(window), at);
      return RawMeasurement.points(run, metric.getName(), at, new RawMeasurement.SidePoints(canary, other, comparison.word()));
    }
    List<Double> values = new ArrayList<>();
    for (String name : series) {
      Optional<Double> value = recordings.series(name).orElseThrow().valueAt(at);
      if (value.isEmpty()) {
        return gap(run, metric, at, name);
      }
      values.add(value.get());
    }
    if (metric.getErrorRate() != null) {
      return RawMeasurement.counters(run, metric.getName(), at, new RawMeasurement.SideCounters(values.get(0), values.get(1),
          values.get(2), values.get(3), comparison.word()));
    }
    Double requests = recordings.series(metric.getName() + "/requests").flatMap(s -> s.valueAt(at)).orElse(null);
    return RawMeasurement.value(run, metric.getName(), at, values.get(0), requests);
  }

  private static RawMeasurement gap(String run, Metric metric, Instant at, String series) {
    return RawMeasurement.noData(run, metric.getName(), at, "the recording of " + series + " has no sample at " + at
        + " (a gap in the data)");
  }
}
