package io.vigie.core;

import io.vigie.domain.Timestamps;
import io.vigie.analysis.MetricRule;

import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricEvidence;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RollbackReport;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the rollback report: the trigger, the evidence, the timings and what changed. */
final class RollbackReports {
  private RollbackReports() {}

  static RollbackReport of(RolloutStatus s, String trigger, String summary, Observation obs, Instant now) {
    RollbackReport report = new RollbackReport();
    report.setRevision(s.getCanaryRevision());
    report.setStableRevision(s.getStableRevision());
    report.setTrigger(trigger);
    report.setSummary(summary);
    report.setDecidedAt(Timestamps.precise(now));
    if (s.getCanaryStartedAt() != null) {
      report.setCanaryStartedAt(s.getCanaryStartedAt());
      report.setSecondsToDecision(Duration.between(Timestamps.parse(s.getCanaryStartedAt()), now).toSeconds());
    }
    report.setMetrics(evidence(s, obs.analysis().resolved()));
    report.setChanges(obs.target().map(Observation.Target::changesFromStable).orElse(List.of()));
    return report;
  }

  /** Records when the canary stopped serving, once: the end of the harm. */
  static void trafficBack(RollbackReport report, int canaryReady, Instant now) {
    if (report == null || report.getTrafficBackAt() != null || canaryReady > 0) {
      return;
    }
    report.setTrafficBackAt(Timestamps.format(now));
    report.setSecondsToTrafficBack(Duration.between(Timestamps.parse(report.getDecidedAt()), now).toSeconds());
  }

  private static List<MetricEvidence> evidence(RolloutStatus s, ResolvedAnalysis resolved) {
    List<MetricEvidence> evidence = new ArrayList<>();
    for (AnalysisRunStatus run : s.getAnalysis() == null ? List.<AnalysisRunStatus>of() : s.getAnalysis()) {
      boolean runEnded = run.getPhase() != AnalysisPhase.Running && run.getPhase() != AnalysisPhase.Successful;
      for (MetricStatus m : run.getMetrics()) {
        // A run failed by its score: the compare metrics that did not pass are its evidence.
        boolean scoredAgainst = runEnded && m.getComparison() != null
            && m.getComparison().getResult() != io.vigie.api.v1alpha1.ComparisonEvidence.Result.Pass;
        // A dry-run metric's verdict is reported where it is (MetricStatus.dryRunVerdict), never as evidence.
        if ((m.getPhase() == AnalysisPhase.Running || m.getPhase() == AnalysisPhase.Successful) && !scoredAgainst
            || m.getDryRunVerdict() != null) {
          continue;
        }
        MetricEvidence e = new MetricEvidence();
        e.setRun(run.getName());
        e.setMetric(m.getName());
        e.setPhase(m.getPhase());
        e.setMeasurements(new ArrayList<>(m.getMeasurements()));
        e.setUnit(m.getUnit());
        e.setComparison(m.getComparison());
        Optional<ResolvedAnalysis.Run> resolvedRun = resolved.run(run.getName());
        Optional<Metric> spec = resolvedRun
            .flatMap(r -> r.metrics().stream().filter(x -> x.getName().equals(m.getName())).findFirst());
        spec.ifPresent(metric -> {
          e.setRule(MetricRule.describe(metric, resolvedRun.get().argsOf(metric)));
          e.setLimits(MetricRule.limits(metric));
        });
        evidence.add(e);
      }
    }
    return evidence;
  }
}
