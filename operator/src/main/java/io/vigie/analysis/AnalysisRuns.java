package io.vigie.analysis;

import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The analysis runs of a canary as status keeps them: when each metric is due, folding new
 * measurements in, and the verdict of a run (the worst of its metrics).
 */
public final class AnalysisRuns {
  public static final String BACKGROUND = "background";
  /** A blue-green release's analysis of the preview, before the switch (stage 1). */
  public static final String PRE_PROMOTION = "pre-promotion";
  /** A blue-green release's analysis of live traffic, after the switch (stage 2). */
  public static final String POST_PROMOTION = "post-promotion";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private AnalysisRuns() {}

  public static String stepRun(int index) {
    return "step-" + (index + 1);
  }

  public static int stepIndex(String run) {
    return run.startsWith("step-") ? Integer.parseInt(run.substring(5)) - 1 : -1;
  }

  /**
   * The runs whose measurements can still decide something, while a canary runs (Progressing or
   * Paused): the background one, the current step's and the guards'; in a blue-green release, the
   * analysis of its stage.
   */
  public static List<AnalysisRunStatus> measured(io.vigie.api.v1alpha1.RolloutStatus status) {
    boolean running = status.getPhase() == io.vigie.api.v1alpha1.RolloutPhase.Progressing
        || status.getPhase() == io.vigie.api.v1alpha1.RolloutPhase.Paused;
    if (status.getCanaryRevision() == null || !running || status.getAnalysis() == null) {
      return List.of();
    }
    String step = status.getCurrentStepIndex() == null ? "" : stepRun(status.getCurrentStepIndex());
    String stage = status.getCurrentStepIndex() == null ? "" : status.getCurrentStepIndex() == 0 ? PRE_PROMOTION
        : status.getCurrentStepIndex() == 1 ? POST_PROMOTION : "";
    return status.getAnalysis().stream()
        .filter(r -> BACKGROUND.equals(r.getName()) || step.equals(r.getName()) || stage.equals(r.getName())
            || GuardRuns.isGuard(r.getName())).toList();
  }

  /** A metric to measure now. */
  public record Due(String run, Metric metric) {}

  public static AnalysisRunStatus start(String name, ResolvedAnalysis.Run run, Instant now) {
    AnalysisRunStatus status = new AnalysisRunStatus();
    status.setName(name);
    status.setStartedAt(Timestamps.precise(now));
    status.setPhase(AnalysisPhase.Running);
    status.setMessage("started");
    List<MetricStatus> metrics = new ArrayList<>();
    run.metrics().forEach(m -> metrics.add(MetricVerdict.start(m, run.argsOf(m))));
    status.setMetrics(metrics);
    return status;
  }

  /** The metrics of running runs whose next measurement is due at {@code now}. */
  public static List<Due> due(List<AnalysisRunStatus> runs, ResolvedAnalysis resolved, Instant now) {
    List<Due> due = new ArrayList<>();
    for (AnalysisRunStatus run : runs) {
      if (run.getPhase() != AnalysisPhase.Running) {
        continue;
      }
      Optional<ResolvedAnalysis.Run> spec = resolved.run(run.getName());
      if (spec.isEmpty()) {
        continue;
      }
      for (Metric metric : spec.get().metrics()) {
        if (metricStatus(run, metric.getName()).isEmpty()) {
          // A metric added to the template while the run goes on is measured from now.
          due.add(new Due(run.getName(), metric));
          continue;
        }
        metricStatus(run, metric.getName())
            .flatMap(m -> nextDueAt(run, m, metric))
            .filter(at -> !at.isAfter(now))
            .ifPresent(at -> due.add(new Due(run.getName(), metric)));
      }
    }
    return due;
  }

  /** The earliest instant a measurement of a running run falls due, if any. */
  public static Optional<Instant> nextDue(List<AnalysisRunStatus> runs, ResolvedAnalysis resolved) {
    Instant next = null;
    for (AnalysisRunStatus run : runs) {
      if (run.getPhase() != AnalysisPhase.Running) {
        continue;
      }
      for (Metric metric : resolved.run(run.getName()).map(ResolvedAnalysis.Run::metrics).orElse(List.of())) {
        Optional<Instant> at = metricStatus(run, metric.getName()).flatMap(m -> nextDueAt(run, m, metric));
        if (at.isPresent() && (next == null || at.get().isBefore(next))) {
          next = at.get();
        }
      }
    }
    return Optional.ofNullable(next);
  }

  private static Optional<Instant> nextDueAt(AnalysisRunStatus run, MetricStatus status, Metric metric) {
    if (status.getPhase() != AnalysisPhase.Running) {
      return Optional.empty();
    }
    if (metric.getCount() != null && MetricVerdict.counted(status) >= metric.getCount()) {
      return Optional.empty();
    }
    if (status.getMeasurements().isEmpty()) {
      Duration delay = metric.getInitialDelay() == null ? Duration.ZERO : Durations.parse(metric.getInitialDelay());
      return Optional.of(Timestamps.parse(run.getStartedAt()).plus(delay));
    }
    Instant last = Timestamps.parse(status.getMeasurements().get(status.getMeasurements().size() - 1).getAt());
    return Optional.of(last.plus(interval(metric)));
  }

  public static Duration interval(Metric metric) {
    return metric.getInterval() == null ? DEFAULT_INTERVAL : Durations.parse(metric.getInterval());
  }

  /** Folds the measurements of this run into it and judges it again. */
  public static void fold(AnalysisRunStatus run, ResolvedAnalysis.Run spec, List<RawMeasurement> measurements) {
    fold(run, spec, measurements, Optional.empty());
  }

  /**
   * @param stableFailing the stable guard's failing reading, while the stable version fails its
   *     guard: a threshold measurement that fails then is a failure both sides share, inconclusive
   *     for the canary, not failed (a comparison with the baseline or stable already cancels it out)
   */
  public static void fold(AnalysisRunStatus run, ResolvedAnalysis.Run spec, List<RawMeasurement> measurements,
      Optional<String> stableFailing) {
    for (Metric metric : spec.metrics()) {
      if (run.getPhase() == AnalysisPhase.Running && metricStatus(run, metric.getName()).isEmpty()) {
        run.getMetrics().add(MetricVerdict.start(metric, spec.argsOf(metric)));
      }
    }
    for (RawMeasurement raw : measurements) {
      if (!raw.run().equals(run.getName())) {
        continue;
      }
      Optional<Metric> metric = spec.metrics().stream().filter(m -> m.getName().equals(raw.metric())).findFirst();
      Optional<MetricStatus> status = metricStatus(run, raw.metric());
      if (metric.isPresent() && status.isPresent() && status.get().getPhase() == AnalysisPhase.Running) {
        MetricVerdict.record(status.get(), metric.get(), spec.argsOf(metric.get()), raw, stableFailing);
      }
    }
    judge(run, spec);
  }

  /**
   * As {@link #judge(AnalysisRunStatus)}, then the score of its compare metrics: below marginal the
   * run fails, in between it is inconclusive; a run whose metrics all passed still needs its score.
   */
  public static void judge(AnalysisRunStatus run, ResolvedAnalysis.Run spec) {
    judge(run, spec.metrics().stream().filter(Metric::dryRun).map(Metric::getName).collect(java.util.stream.Collectors.toSet()));
    Optional<AnalysisScore.Score> score = AnalysisScore.of(run, spec);
    score.ifPresent(s -> run.setScore(s.value()));
    if (score.isEmpty() || run.getPhase() == AnalysisPhase.Failed || run.getPhase() == AnalysisPhase.Error) {
      return;
    }
    if (score.get().phase() != AnalysisPhase.Successful) {
      run.setPhase(score.get().phase());
      run.setMessage("analysis " + (score.get().phase() == AnalysisPhase.Failed ? "failed" : "is inconclusive") + ": "
          + score.get().message());
    } else if (run.getPhase() == AnalysisPhase.Running) {
      run.setMessage(run.getMessage() + "; " + score.get().message());
    }
  }

  /** A run is as bad as its worst metric: Failed, then Error, then Inconclusive; Successful when all are. */
  public static void judge(AnalysisRunStatus run) {
    judge(run, java.util.Set.of());
  }

  /**
   * As {@link #judge(AnalysisRunStatus)}, the dry-run metrics aside: whatever their verdict, it is
   * reported (MetricStatus.dryRunVerdict), never the run's; once ended they count as passed.
   */
  private static void judge(AnalysisRunStatus run, java.util.Set<String> dryRun) {
    for (AnalysisPhase worst : List.of(AnalysisPhase.Failed, AnalysisPhase.Error, AnalysisPhase.Inconclusive)) {
      Optional<MetricStatus> metric = run.getMetrics().stream().filter(m -> m.getPhase() == worst && !dryRun.contains(m.getName()))
          .findFirst();
      if (metric.isPresent()) {
        run.setPhase(worst);
        run.setMessage("analysis " + metric.get().getName() + " " + verb(worst) + ": " + metric.get().getMessage());
        return;
      }
    }
    boolean all = !run.getMetrics().isEmpty() && run.getMetrics().stream().allMatch(m -> m.getPhase() == AnalysisPhase.Successful
        || (dryRun.contains(m.getName()) && m.getPhase() != AnalysisPhase.Running));
    run.setPhase(all ? AnalysisPhase.Successful : AnalysisPhase.Running);
    run.setMessage(all ? "every metric passed" : progress(run));
  }

  private static String progress(AnalysisRunStatus run) {
    List<String> parts = new ArrayList<>();
    for (MetricStatus m : run.getMetrics()) {
      parts.add(m.getName() + " " + m.getSuccessful() + "/" + m.getMeasured() + " successful");
    }
    return "measuring: " + String.join(", ", parts);
  }

  private static String verb(AnalysisPhase phase) {
    return switch (phase) {
      case Failed -> "failed";
      case Error -> "could not be measured";
      case Inconclusive -> "is inconclusive";
      default -> phase.name();
    };
  }

  public static Optional<MetricStatus> metricStatus(AnalysisRunStatus run, String metric) {
    return run.getMetrics().stream().filter(m -> metric.equals(m.getName())).findFirst();
  }

  public static Optional<AnalysisRunStatus> find(List<AnalysisRunStatus> runs, String name) {
    return runs == null ? Optional.empty() : runs.stream().filter(r -> name.equals(r.getName())).findFirst();
  }
}
