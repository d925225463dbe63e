package io.vigie.cli;

import io.vigie.analysis.GuardRuns;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.ComparisonEvidence;
import io.vigie.api.v1alpha1.MeasurementStatus;
import io.vigie.api.v1alpha1.MetricEvidence;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RollbackReport;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The evidence part of `vigie status`: the analyses of the current canary (measurements, rules,
 * comparisons, score) and the rollback report, as sections for {@link StatusView} to lay out.
 */
final class AnalysisEvidence {
  /** A labelled section: its first line's text and the lines under it, unwrapped. */
  record Section(String label, String head, List<String> lines) {}

  private AnalysisEvidence() {}

  /** The runs of the current canary, each metric with its last measurements and comparison. */
  static Optional<Section> analysis(RolloutStatus s) {
    List<AnalysisRunStatus> runs = s.getAnalysis() == null ? List.of() : s.getAnalysis();
    if (runs.isEmpty() || s.getCanaryRevision() == null) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    // A rollback ends every run: one still marked Running measures nothing any more.
    boolean over = s.getPhase() == io.vigie.api.v1alpha1.RolloutPhase.RolledBack;
    String message = s.getMessage() == null ? "" : s.getMessage();
    for (AnalysisRunStatus run : runs) {
      boolean stopped = over && run.getPhase() == io.vigie.api.v1alpha1.AnalysisPhase.Running;
      String why = stopped ? "the rollback ended it" : run.getMessage() == null || message.contains(run.getMessage()) ? ""
          : run.getMessage();
      if (GuardRuns.isGuard(run.getName())) {
        // A guard is a state, not a verdict: whether it holds now, and why.
        out.add("  " + run.getName() + ": " + (stopped ? "Stopped" : run.getMessage()));
      } else {
        out.add("  " + run.getName() + ": " + (stopped ? "Stopped" : run.getPhase())
            + (run.getScore() == null || why.contains("score ") ? "" : " (score " + run.getScore() + ")")
            + (why.isEmpty() ? "" : " - " + why));
      }
      for (MetricStatus m : run.getMetrics()) {
        String phase = over && m.getPhase() == io.vigie.api.v1alpha1.AnalysisPhase.Running ? "Stopped" : String.valueOf(m.getPhase());
        out.add("    " + m.getName() + "  " + phase + "  " + measurements(m.getUnit(), m.getMeasurements())
            + (m.getRule() == null ? "" : "  rule " + m.getRule())
            + "  (" + m.getSuccessful() + " ok, " + m.getFailed() + " failed, " + m.getInconclusive() + " inconclusive, "
            + m.getErrors() + " errors" + (m.getLimits() == null ? "" : "; " + m.getLimits()) + ")");
        comparison("      ", m.getComparison()).ifPresent(out::add);
        if (m.getDryRunVerdict() != null) {
          out.add("      dry run: " + m.getDryRunVerdict());
        }
      }
    }
    return Optional.of(new Section("Analysis", "", out));
  }

  /** A compare metric's last comparison: both sides' points and medians, the shift and its interval, the verdict. */
  private static Optional<String> comparison(String indent, ComparisonEvidence c) {
    if (c == null) {
      return Optional.empty();
    }
    String side = c.getSide() == null ? "other side" : c.getSide();
    return Optional.of(indent + "compared: " + c.getResult() + "  canary median " + number(c.getCanaryMedian()) + " (" + c.getCanaryPoints()
        + " points), " + side + " median " + number(c.getOtherMedian()) + " (" + c.getOtherPoints() + " points)"
        + (c.getShift() == null ? "" : ", shift " + number(c.getShift()) + " [" + number(c.getLower()) + ", "
            + number(c.getUpper()) + "]")
        + (c.getPValue() == null ? "" : ", p " + number(c.getPValue())));
  }

  private static String number(Double value) {
    return value == null ? "-" : io.vigie.analysis.MeasurementJudge.number(value);
  }

  /** The rollback report of the last rolled-back revision, unless it has been promoted since. */
  static Optional<Section> rollback(RolloutStatus s) {
    RollbackReport report = s.getRollbackReport();
    // A revision rolled back once and promoted since is no longer a rollback to explain.
    if (report == null || (report.getRevision() != null && report.getRevision().equals(s.getStableRevision()))) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    String message = s.getMessage() == null ? "" : s.getMessage();
    boolean said = report.getSummary() != null && message.contains(report.getSummary());
    String head = "revision " + report.getRevision() + " (" + report.getTrigger() + ")"
        + (said || report.getSummary() == null ? "" : ": " + report.getSummary());
    List<String> timings = new ArrayList<>();
    if (report.getSecondsToDecision() != null) {
      timings.add("decided " + io.vigie.api.v1alpha1.Durations.format(Duration.ofSeconds(report.getSecondsToDecision()))
          + " after the canary first got traffic");
    } else if (report.getDecidedAt() != null) {
      timings.add("decided at " + report.getDecidedAt() + ", before the canary got traffic");
    }
    if (report.getSecondsToTrafficBack() != null) {
      timings.add("traffic back on stable " + io.vigie.api.v1alpha1.Durations.format(Duration.ofSeconds(report.getSecondsToTrafficBack()))
          + " after the decision");
    } else if (report.getDecidedAt() != null) {
      timings.add("canary pods still serving");
    }
    if (!timings.isEmpty()) {
      out.add("  timings: " + String.join(", ", timings));
    }
    for (MetricEvidence e : report.getMetrics()) {
      out.add("  evidence: " + e.getRun() + "/" + e.getMetric() + " " + e.getPhase() + "  " + measurements(e.getUnit(), e.getMeasurements())
          + (e.getRule() == null ? "" : "  rule " + e.getRule()) + (e.getLimits() == null ? "" : "  (" + e.getLimits() + ")"));
      comparison("    ", e.getComparison()).ifPresent(out::add);
    }
    for (String change : report.getChanges()) {
      out.add("  changed: " + change);
    }
    return Optional.of(new Section("Rollback", head, out));
  }

  private static String measurements(io.vigie.api.v1alpha1.MetricUnit unit, List<MeasurementStatus> measurements) {
    if (measurements == null || measurements.isEmpty()) {
      return "no measurement yet";
    }
    return "last " + measurements.subList(Math.max(0, measurements.size() - 5), measurements.size()).stream()
        .map(m -> io.vigie.analysis.Quantity.show(unit, m.getValue()) + " " + mark(m))
        .collect(Collectors.joining(", "));
  }

  private static String mark(MeasurementStatus m) {
    if (m.getPhase() == null) {
      return "?";
    }
    return switch (m.getPhase()) {
      case Successful -> "ok";
      case Failed -> "FAILED";
      case Inconclusive -> "inconclusive";
      case Error -> "error";
      default -> m.getPhase().name();
    };
  }
}
