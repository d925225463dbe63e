package io.vigie.playground;

import io.fabric8.kubernetes.api.model.Event;
import io.vigie.analysis.Quantity;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.MeasurementStatus;
import io.vigie.api.v1alpha1.MetricEvidence;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RollbackReport;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Prints what happens to the Rollout as it happens, in simulated time since the release: phase,
 * step and weight changes, each measurement, each Event, and at the end the rollback report.
 */
final class Timeline {
  private final Playground playground;
  private final PrintStream out;
  private final Instant origin;
  private final Set<String> seenEvents = new HashSet<>();
  private final Set<String> seenReasons = new HashSet<>();
  private final Map<String, Integer> measured = new HashMap<>();
  private String lastState;

  Timeline(Playground playground, PrintStream out, Instant origin) {
    this.playground = playground;
    this.out = out;
    this.origin = origin;
  }

  /** Looks at the cluster once and prints what changed; returns the Rollout as read. */
  Rollout poll() {
    Rollout rollout = playground.client().resources(Rollout.class).inNamespace(Playground.NS).withName("web").get();
    RolloutStatus s = rollout == null || rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
    for (AnalysisRunStatus run : s.getAnalysis() == null ? List.<AnalysisRunStatus>of() : s.getAnalysis()) {
      for (MetricStatus m : run.getMetrics()) {
        String key = run.getName() + "/" + m.getName();
        int before = measured.getOrDefault(key, 0);
        if (m.getMeasured() > before && !m.getMeasurements().isEmpty()) {
          MeasurementStatus last = m.getMeasurements().get(m.getMeasurements().size() - 1);
          print("  measured " + m.getName() + " = " + (last.getValue() == null ? "no value" : Quantity.show(m.getUnit(), last.getValue())) + " -> "
              + last.getPhase() + (last.getMessage() == null ? "" : " (" + last.getMessage() + ")"));
        }
        measured.put(key, m.getMeasured());
      }
    }
    // After the measurements: the one that decided a change is printed before the change.
    String state = (s.getPhase() == null ? "waiting for the operator" : s.getPhase().name()) + (s.getStep() == null ? "" : " step " + s.getStep()) + ", canary weight "
        + (s.getCanaryWeight() == null ? 0 : s.getCanaryWeight()) + "%";
    if (!state.equals(lastState)) {
      print(state + (s.getMessage() == null ? "" : ": " + s.getMessage()));
      lastState = state;
    }
    List<Event> events = playground.client().v1().events().inNamespace(Playground.NS).list().getItems().stream()
        .filter(e -> "Rollout".equals(e.getInvolvedObject().getKind()))
        .sorted(Comparator.comparing((Event e) -> Integer.parseInt(e.getMetadata().getResourceVersion())))
        .toList();
    for (Event e : events) {
      if (seenEvents.add(e.getMetadata().getName())) {
        seenReasons.add(e.getReason());
        print("  event " + e.getType() + " " + e.getReason() + ": " + e.getMessage());
      }
    }
    return rollout;
  }

  /** True once an Event with this reason has been printed. */
  boolean saw(String reason) {
    return seenReasons.contains(reason);
  }

  void report(RollbackReport report) {
    if (report == null) {
      return;
    }
    out.println();
    out.println("Rollback report: revision " + report.getRevision() + " (" + report.getTrigger() + ")");
    out.println("  why:       " + report.getSummary());
    for (MetricEvidence e : report.getMetrics()) {
      out.println("  evidence:  " + e.getMetric() + " " + e.getPhase() + ", measured " + e.getMeasurements().stream()
          .map(m -> Quantity.show(e.getUnit(), m.getValue())).collect(Collectors.joining(", "))
          + (e.getRule() == null ? "" : "; rule: " + e.getRule()));
    }
    List<String> timing = new ArrayList<>();
    if (report.getSecondsToDecision() != null) {
      timing.add("decided " + Durations.format(Duration.ofSeconds(report.getSecondsToDecision())) + " after the canary got traffic");
    }
    if (report.getSecondsToTrafficBack() != null) {
      timing.add("traffic back on stable " + Durations.format(Duration.ofSeconds(report.getSecondsToTrafficBack())) + " later");
    }
    if (!timing.isEmpty()) {
      out.println("  timing:    " + String.join(", ", timing));
    }
    for (String change : report.getChanges()) {
      out.println("  changed:   " + change);
    }
  }

  private void print(String line) {
    Duration t = Duration.between(origin, playground.clock().instant());
    long s = Math.max(0, t.toSeconds());
    out.printf("[%02d:%02d] %s%n", s / 60, s % 60, line);
    out.flush();
  }
}
