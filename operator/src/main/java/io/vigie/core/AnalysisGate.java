package io.vigie.core;

import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.GuardRuns;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.MetricVerdict;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.core.Observation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The analyses between the canary and more traffic: measurements folded into their runs, runs
 * started when there is something to measure, and what their verdicts do (Failed rolls back,
 * Inconclusive pauses for a person, Error as onMetricsError says).
 */
final class AnalysisGate {
  private final DecisionInputs in;
  private final DecisionDraft d;
  private final CanaryTraffic traffic;
  private final Rollback rollback;
  private final GuardGate guards;

  AnalysisGate(DecisionInputs in, DecisionDraft d, CanaryTraffic traffic, Rollback rollback, GuardGate guards) {
    this.in = in;
    this.d = d;
    this.traffic = traffic;
    this.rollback = rollback;
    this.guards = guards;
  }

  /**
   * The measurements the observation brought, into the runs that asked for them: the guards' first,
   * so that a canary's failure the stable version shares now is not blamed on the canary.
   */
  void foldMeasurements() {
    if (d.s.getCanaryRevision() == null || d.s.getAnalysis() == null) {
      return;
    }
    List<RawMeasurement> measurements = in.obs().analysis().measurements();
    d.s.getAnalysis().stream().filter(r -> GuardRuns.isGuard(r.getName()))
        .forEach(run -> GuardRuns.fold(run, in.obs().analysis().resolved().guards(), measurements));
    Optional<String> stableFailing = guards.stableFailing();
    for (AnalysisRunStatus run : d.s.getAnalysis()) {
      if (GuardRuns.isGuard(run.getName())) {
        continue;
      }
      AnalysisPhase before = run.getPhase();
      Optional<ResolvedAnalysis.Run> spec = in.obs().analysis().resolved().run(run.getName());
      spec.ifPresent(s -> AnalysisRuns.fold(run, s, measurements, stableFailing));
      spec.ifPresent(s -> reportDryRuns(run, s));
      if (before == AnalysisPhase.Running && run.getPhase() != AnalysisPhase.Running) {
        EventReason reason = EventReason.analysisEnded(run.getPhase());
        if (run.getPhase() == AnalysisPhase.Successful) {
          d.normal(reason, run.getName() + ": " + run.getMessage());
        } else {
          d.warning(reason, run.getName() + ": " + run.getMessage());
        }
      }
    }
  }

  /**
   * A dry-run metric that reached a verdict says what it would have done, once: in its status, and in
   * an Event (docs/guards.md, "Dry-run metrics").
   */
  private void reportDryRuns(AnalysisRunStatus run, ResolvedAnalysis.Run spec) {
    for (Metric metric : spec.metrics()) {
      Optional<MetricStatus> status = AnalysisRuns.metricStatus(run, metric.getName());
      if (!metric.dryRun() || status.isEmpty() || status.get().getDryRunVerdict() != null
          || status.get().getPhase() == AnalysisPhase.Running) {
        continue;
      }
      AnalysisPhase phase = status.get().getPhase();
      boolean abort = phase == AnalysisPhase.Failed
          || (phase == AnalysisPhase.Error && spec.onMetricsError() == RolloutAnalysis.OnMetricsError.Abort);
      String would = phase == AnalysisPhase.Successful ? "would have passed"
          : abort ? "would have rolled back" : "would have paused for a person";
      String verdict = would + " at step " + d.stepDisplay() + ": " + status.get().getMessage();
      status.get().setDryRunVerdict(verdict);
      d.normal(EventReason.DryRunVerdict, "dry-run metric " + metric.getName() + " (" + run.getName() + ") " + verdict);
    }
  }

  /** True when the background or current step analysis failed (or errs with onMetricsError Abort) and rolled back. */
  boolean rollbackForced(Target target, String revision) {
    List<String> names = new ArrayList<>(List.of(AnalysisRuns.BACKGROUND));
    if (d.s.getCurrentStepIndex() != null) {
      names.add(AnalysisRuns.stepRun(d.s.getCurrentStepIndex()));
    }
    for (String name : names) {
      Optional<AnalysisRunStatus> run = d.run(name);
      if (run.isPresent() && rollsBack(name, run.get().getPhase()) && stops(name, target, revision)) {
        return true;
      }
    }
    return false;
  }

  /** The background analysis starts once the canary serves traffic: before, it has nothing to measure. */
  void startBackgroundIfServing(String revision) {
    Optional<ResolvedAnalysis.Run> background = in.obs().analysis().resolved().background();
    // Serving: with replicas, ready canary pods get their share at once; through a router, only once
    // the route sends them something (else the initial delay would run out before any traffic).
    boolean serving = in.canaryReady(revision) > 0 && (!in.routed()
        || in.obs().route().map(r -> r.canaryWeight().orElse(0) > 0 || r.header().isPresent()).orElse(false));
    if (background.isPresent() && serving && d.run(AnalysisRuns.BACKGROUND).isEmpty()) {
      d.runs().add(AnalysisRuns.start(AnalysisRuns.BACKGROUND, background.get(), d.now()));
      d.normal(EventReason.AnalysisStarted, "background analysis started: " + metricNames(background.get()));
    }
  }

  /** Acts on a run's verdict. True when the canary must not go on (rolled back, or paused for a person). */
  boolean stops(String name, Target target, String revision) {
    Optional<AnalysisRunStatus> run = d.run(name);
    if (run.isEmpty()) {
      return false;
    }
    AnalysisPhase phase = run.get().getPhase();
    if (rollsBack(name, phase)) {
      rollback.abort(phase == AnalysisPhase.Failed ? "AnalysisFailed" : "AnalysisError", run.get().getMessage());
      return true;
    }
    if (phase == AnalysisPhase.Inconclusive || phase == AnalysisPhase.Error) {
      traffic.keepCanary(target, revision);
      if (d.phase() != RolloutPhase.Paused) {
        d.warning(EventReason.Paused, "paused at step " + d.stepDisplay() + ": " + run.get().getMessage());
      }
      d.conclude(Outcome.paused(phase == AnalysisPhase.Inconclusive ? Outcome.Reason.AnalysisInconclusive
          : Outcome.Reason.AnalysisError, "paused at step " + d.stepDisplay() + ": " + run.get().getMessage()
          + ". Continue with vigie.io/promote, or roll back with vigie.io/abort"));
      return true;
    }
    return false;
  }

  private boolean rollsBack(String name, AnalysisPhase phase) {
    return phase == AnalysisPhase.Failed || (phase == AnalysisPhase.Error && policy(name) == RolloutAnalysis.OnMetricsError.Abort);
  }

  /** An analysis step: true once its run succeeded. */
  boolean analysisStep(Target target, String revision) {
    String name = AnalysisRuns.stepRun(d.s.getCurrentStepIndex());
    ResolvedAnalysis.Run spec = in.obs().analysis().resolved().steps().get(d.s.getCurrentStepIndex());
    if (d.run(name).isEmpty()) {
      d.runs().add(AnalysisRuns.start(name, spec, d.now()));
      d.normal(EventReason.AnalysisStarted, "step " + d.stepDisplay() + " analysis started: " + metricNames(spec));
    }
    AnalysisRunStatus run = d.run(name).get();
    if (run.getPhase() == AnalysisPhase.Successful) {
      return true;
    }
    if (stops(name, target, revision)) {
      return false;
    }
    d.conclude(Outcome.progressing(Outcome.Reason.CanaryInProgress, "step " + d.stepDisplay() + ": analysis " + run.getMessage()));
    return false;
  }

  /** Promotion waits until every background metric has its minimum of successful measurements. */
  boolean backgroundLacksSamples() {
    Optional<ResolvedAnalysis.Run> background = in.obs().analysis().resolved().background();
    if (background.isEmpty()) {
      return false;
    }
    List<String> lacking = new ArrayList<>();
    for (Metric metric : background.get().metrics()) {
      if (metric.dryRun()) {
        continue;
      }
      Optional<MetricStatus> status = d.run(AnalysisRuns.BACKGROUND).flatMap(r -> AnalysisRuns.metricStatus(r, metric.getName()));
      boolean enough = status.map(m -> MetricVerdict.hasEnoughSamples(m, metric)).orElse(false);
      // Successes in the past do not vouch for now: a metrics backend that went down (errors not
      // yet at their limit) must not let the promotion through. The newest measurement must pass.
      Optional<AnalysisPhase> last = status.filter(m -> !m.getMeasurements().isEmpty())
          .map(m -> m.getMeasurements().get(m.getMeasurements().size() - 1).getPhase());
      if (!enough) {
        lacking.add(metric.getName());
      } else if (last.isPresent() && last.get() != AnalysisPhase.Successful) {
        lacking.add(metric.getName() + " (its last measurement: " + last.get() + ")");
      }
    }
    if (lacking.isEmpty()) {
      return false;
    }
    d.conclude(Outcome.progressing(Outcome.Reason.CanaryInProgress, "every step passed; waiting for the background analysis to "
        + "have enough successful measurements of " + String.join(", ", lacking) + " before promoting"));
    return true;
  }

  /** Why the newest measurement of a running analysis does not vouch for the canary, if it does not. */
  Optional<String> newestDoubt() {
    for (AnalysisRunStatus run : d.s.getAnalysis() == null ? List.<AnalysisRunStatus>of() : d.s.getAnalysis()) {
      // The guards hold by themselves (GuardGate); a dry-run metric vouches for nothing and holds nothing.
      if (run.getPhase() != AnalysisPhase.Running || GuardRuns.isGuard(run.getName())) {
        continue;
      }
      java.util.Set<String> dryRun = dryRunNames(run.getName());
      for (MetricStatus metric : run.getMetrics()) {
        if (metric.getMeasurements().isEmpty() || dryRun.contains(metric.getName())) {
          continue;
        }
        var newest = metric.getMeasurements().get(metric.getMeasurements().size() - 1);
        if (newest.getPhase() != AnalysisPhase.Successful) {
          return Optional.of(run.getName() + " metric " + metric.getName() + " was " + newest.getPhase()
              + (newest.getMessage() == null ? "" : " (" + newest.getMessage() + ")"));
        }
      }
    }
    return Optional.empty();
  }

  private java.util.Set<String> dryRunNames(String run) {
    return in.obs().analysis().resolved().run(run).map(r -> r.metrics().stream().filter(Metric::dryRun).map(Metric::getName)
        .collect(java.util.stream.Collectors.toSet())).orElse(java.util.Set.of());
  }

  /** A person chose to go on past an inconclusive background analysis: it measures afresh. Empty when none waited. */
  Optional<String> restartStuckBackground() {
    Optional<AnalysisRunStatus> background = d.run(AnalysisRuns.BACKGROUND)
        .filter(r -> r.getPhase() == AnalysisPhase.Inconclusive || r.getPhase() == AnalysisPhase.Error);
    background.ifPresent(run -> {
      d.runs().remove(run);
      in.obs().analysis().resolved().background()
          .ifPresent(spec -> d.runs().add(AnalysisRuns.start(AnalysisRuns.BACKGROUND, spec, d.now())));
    });
    return background.map(AnalysisRunStatus::getMessage);
  }

  private RolloutAnalysis.OnMetricsError policy(String run) {
    return in.obs().analysis().resolved().run(run).map(ResolvedAnalysis.Run::onMetricsError)
        .orElse(RolloutAnalysis.OnMetricsError.Pause);
  }

  private static String metricNames(ResolvedAnalysis.Run run) {
    return String.join(", ", run.metrics().stream().map(Metric::getName).toList());
  }
}
