package io.vigie.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.MeasurementStatus;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.PrometheusProvider;
import io.vigie.api.v1alpha1.WebProvider;
import io.vigie.domain.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The guards' runs in status (spec.guards): measured like analyses, but a guard is a state, not a
 * verdict. Its metrics never end; each reading says whether the guard holds now. A guard that
 * cannot read its metric holds too: not knowing whether traffic surges is not knowing it does not.
 */
public final class GuardRuns {
  public static final String SURGE = "guard-surge";
  public static final String STABLE = "guard-stable";
  /** The surge guard's reading of the request rate before the release, taken once at the canary's start. */
  public static final String TRAFFIC_BEFORE = "traffic-before";
  /** The surge guard's reading of the request rate now. */
  public static final String TRAFFIC = "traffic";
  private static final ObjectMapper COPIER = new ObjectMapper();

  private GuardRuns() {}

  /** Why a guard holds the release (the reason of the Held condition and of its Event). */
  public enum Reason { TrafficSurge, StableUnhealthy }

  /**
   * A guard holds the release, and why.
   *
   * @param measured true when a reading showed the condition (a surge, a failing stable version), false
   *     when the guard holds because it cannot tell
   */
  public record Hold(Reason reason, String message, boolean measured) {}

  public static boolean isGuard(String run) {
    return SURGE.equals(run) || STABLE.equals(run);
  }

  /** The runs of the guards a Rollout has, as they start with its canary. */
  public static List<AnalysisRunStatus> start(ResolvedAnalysis.Guards guards, Instant now) {
    List<AnalysisRunStatus> runs = new ArrayList<>();
    guards.surge().ifPresent(spec -> {
      AnalysisRunStatus run = AnalysisRuns.start(SURGE, spec, now);
      AnalysisRuns.metricStatus(run, TRAFFIC_BEFORE).ifPresent(m -> m.setRule("the request rate before the release, read once"));
      AnalysisRuns.metricStatus(run, TRAFFIC).ifPresent(m -> m.setRule("at most " + MeasurementJudge.number(guards.surgeFactor())
          + " times the rate before the release"));
      runs.add(run);
    });
    guards.stable().ifPresent(spec -> runs.add(AnalysisRuns.start(STABLE, spec, now)));
    runs.forEach(r -> r.setMessage("guarding"));
    return runs;
  }

  /** The surge guard's reading of the rate before the release: the mean of the rate over the window (Prometheus). */
  static Metric before(Metric now, String window) {
    Metric before = COPIER.convertValue(now, Metric.class);
    before.setName(TRAFFIC_BEFORE);
    before.setCount(1);
    PrometheusProvider p = before.getProvider().getPrometheus();
    if (p != null && p.getQuery() != null) {
      // A subquery: Prometheus averages the rate over the window that ends now, at the canary's start, one
      // point per guard interval (its default resolution, the evaluation interval, may leave few points).
      p.setQuery("avg_over_time((" + p.getQuery() + ")[" + window + ":" + now.getInterval() + "])");
    }
    return before;
  }

  /** A stable guard metric's queries with {{side}} filled: a template written for both sides reads stable's. */
  static Metric onStableSide(Metric metric) {
    Metric stable = COPIER.convertValue(metric, Metric.class);
    PrometheusProvider p = stable.getProvider() == null ? null : stable.getProvider().getPrometheus();
    if (p != null) {
      p.setQuery(p.getQuery() == null ? null : SidePlaceholder.STABLE.fill(p.getQuery()));
      p.setRequestsQuery(p.getRequestsQuery() == null ? null : SidePlaceholder.STABLE.fill(p.getRequestsQuery()));
    }
    WebProvider web = stable.getProvider() == null ? null : stable.getProvider().getWeb();
    if (web != null && web.getUrl() != null) {
      web.setUrl(SidePlaceholder.STABLE.fill(web.getUrl()));
    }
    return stable;
  }

  /** Folds this guard run's readings in: each says whether the guard holds now. */
  public static void fold(AnalysisRunStatus run, ResolvedAnalysis.Guards guards, List<RawMeasurement> measurements) {
    Optional<ResolvedAnalysis.Run> spec = SURGE.equals(run.getName()) ? guards.surge() : guards.stable();
    if (spec.isEmpty()) {
      return;
    }
    // The rate before the release first: a reading of the rate now, taken with it, is judged against it.
    List<RawMeasurement> ordered = measurements.stream()
        .sorted(java.util.Comparator.comparing((RawMeasurement m) -> !TRAFFIC_BEFORE.equals(m.metric()))).toList();
    for (RawMeasurement raw : ordered) {
      if (!raw.run().equals(run.getName())) {
        continue;
      }
      Optional<Metric> metric = spec.get().metrics().stream().filter(m -> m.getName().equals(raw.metric())).findFirst();
      Optional<MetricStatus> status = AnalysisRuns.metricStatus(run, raw.metric());
      if (metric.isEmpty() || status.isEmpty()) {
        continue;
      }
      MeasurementJudge.Judgement judgement = SURGE.equals(run.getName())
          ? surgeReading(run, raw, guards.surgeFactor())
          : MeasurementJudge.judge(metric.get(), spec.get().argsOf(metric.get()), raw);
      record(status.get(), raw, judgement);
      if (TRAFFIC_BEFORE.equals(raw.metric()) && judgement.phase() == AnalysisPhase.Successful) {
        // Read once: the rate before the release does not move with the release.
        status.get().setPhase(AnalysisPhase.Successful);
      }
    }
    run.setMessage(hold(List.of(run)).map(Hold::message).orElse("not holding"));
  }

  private static MeasurementJudge.Judgement surgeReading(AnalysisRunStatus run, RawMeasurement raw, double factor) {
    if (raw.kind() != RawMeasurement.Kind.VALUE || raw.value() == null || !Double.isFinite(raw.value()) || raw.value() < 0) {
      String why = raw.note() != null ? raw.note() : "the rate read " + raw.value() + ", not a rate";
      return new MeasurementJudge.Judgement(AnalysisPhase.Error, "the surge guard cannot read the request rate: " + why);
    }
    String rate = MeasurementJudge.number(raw.value()) + " requests/s";
    if (TRAFFIC_BEFORE.equals(raw.metric())) {
      return new MeasurementJudge.Judgement(AnalysisPhase.Successful, "before the release: " + rate);
    }
    Optional<Double> before = AnalysisRuns.metricStatus(run, TRAFFIC_BEFORE).flatMap(GuardRuns::newestValue);
    if (before.isEmpty()) {
      return new MeasurementJudge.Judgement(AnalysisPhase.Inconclusive, "the surge guard read " + rate + " but has not "
          + "recorded the rate before the release yet");
    }
    if (before.get() <= 0) {
      return new MeasurementJudge.Judgement(AnalysisPhase.Successful, rate + " now; no traffic before the release, so no "
          + "surge to measure against");
    }
    double times = raw.value() / before.get();
    String against = rate + " is " + MeasurementJudge.number(round(times)) + " times the " + MeasurementJudge.number(before.get())
        + " requests/s before the release (factor " + MeasurementJudge.number(factor) + ")";
    return new MeasurementJudge.Judgement(times > factor ? AnalysisPhase.Failed : AnalysisPhase.Successful, against);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static Optional<Double> newestValue(MetricStatus status) {
    for (int i = status.getMeasurements().size() - 1; i >= 0; i--) {
      MeasurementStatus m = status.getMeasurements().get(i);
      if (m.getPhase() == AnalysisPhase.Successful && m.getValue() != null) {
        return Optional.of(Double.parseDouble(m.getValue()));
      }
    }
    return Optional.empty();
  }

  private static void record(MetricStatus status, RawMeasurement raw, MeasurementJudge.Judgement judgement) {
    MetricVerdict.tally(status, raw, judgement);
    status.setMessage(judgement.why());
  }

  /**
   * Whether a guard holds the release now: the stable guard first (an incident is the graver
   * news), then the surge guard. A guard with no reading yet, or whose last reading failed to
   * measure, holds: the release waits until it knows.
   */
  public static Optional<Hold> hold(List<AnalysisRunStatus> runs) {
    Optional<Hold> stable = AnalysisRuns.find(runs, STABLE).flatMap(GuardRuns::stableHold);
    return stable.isPresent() ? stable : AnalysisRuns.find(runs, SURGE).flatMap(GuardRuns::surgeHold);
  }

  /** The stable guard's failing metric and its reading, when a reading showed the stable version failing. */
  public static Optional<String> stableFailing(List<AnalysisRunStatus> runs) {
    return AnalysisRuns.find(runs, STABLE).flatMap(GuardRuns::stableHold).filter(Hold::measured).map(Hold::message);
  }

  private static Optional<Hold> stableHold(AnalysisRunStatus stable) {
    for (MetricStatus metric : stable.getMetrics()) {
      Optional<MeasurementStatus> newest = newest(metric);
      if (newest.isEmpty()) {
        return Optional.of(new Hold(Reason.StableUnhealthy, "the stable guard has not read " + metric.getName() + " yet", false));
      }
      if (newest.get().getPhase() == AnalysisPhase.Failed) {
        return Optional.of(new Hold(Reason.StableUnhealthy, "the stable version fails its guard: " + metric.getName() + " "
            + newest.get().getMessage(), true));
      }
      if (newest.get().getPhase() != AnalysisPhase.Successful) {
        return Optional.of(new Hold(Reason.StableUnhealthy, "cannot tell whether the stable version is healthy: "
            + metric.getName() + " was " + newest.get().getPhase() + " (" + newest.get().getMessage() + ")", false));
      }
    }
    return Optional.empty();
  }

  private static Optional<Hold> surgeHold(AnalysisRunStatus surge) {
    Optional<MeasurementStatus> before = AnalysisRuns.metricStatus(surge, TRAFFIC_BEFORE).flatMap(GuardRuns::newest);
    Optional<MeasurementStatus> now = AnalysisRuns.metricStatus(surge, TRAFFIC).flatMap(GuardRuns::newest);
    if (before.isEmpty() || before.get().getPhase() != AnalysisPhase.Successful) {
      return Optional.of(new Hold(Reason.TrafficSurge, before.map(MeasurementStatus::getMessage)
          .orElse("the surge guard has not recorded the request rate before the release yet"), false));
    }
    if (now.isEmpty()) {
      return Optional.of(new Hold(Reason.TrafficSurge, "the surge guard has not read the request rate yet", false));
    }
    if (now.get().getPhase() == AnalysisPhase.Failed) {
      return Optional.of(new Hold(Reason.TrafficSurge, "traffic surge: " + now.get().getMessage(), true));
    }
    if (now.get().getPhase() != AnalysisPhase.Successful) {
      return Optional.of(new Hold(Reason.TrafficSurge, now.get().getMessage(), false));
    }
    return Optional.empty();
  }

  private static Optional<MeasurementStatus> newest(MetricStatus metric) {
    List<MeasurementStatus> m = metric.getMeasurements();
    return m.isEmpty() ? Optional.empty() : Optional.of(m.get(m.size() - 1));
  }
}
