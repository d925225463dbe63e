package io.vigie.core;

import io.vigie.analysis.AnalysisRuns;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.RevisionRecord;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One decision in the making: a copy of the status the handlers move forward (step, revisions,
 * analyses, history), the cluster it wants ({@link Plan}), its Events, when to look again, and the
 * outcome it has reached so far.
 */
final class DecisionDraft {
  /** How many past revisions status.history keeps. */
  static final int HISTORY_LIMIT = 10;

  final RolloutStatus s;
  final Plan plan = new Plan();
  final List<RolloutEvent> events = new ArrayList<>();
  private final DecisionInputs in;
  private Outcome outcome;
  private Duration requeue;

  DecisionDraft(DecisionInputs in, RolloutStatus status) {
    this.in = in;
    this.s = status;
  }

  Instant now() {
    return in.now();
  }

  /** Where the decision leaves the Rollout, so far: phase and message now, conditions at the end. */
  void conclude(Outcome outcome) {
    this.outcome = outcome;
    s.setPhase(outcome.phase());
    s.setMessage(outcome.message());
  }

  Optional<Outcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  RolloutPhase phase() {
    return s.getPhase();
  }

  /** The Rollout read Paused for this reason already: a hold told once, not at every decision. */
  boolean pausedFor(Outcome.Reason reason) {
    return s.getPhase() == RolloutPhase.Paused && s.getConditions() != null && s.getConditions().stream()
        .anyMatch(c -> Conditions.PAUSED.equals(c.getType()) && reason.name().equals(c.getReason()));
  }

  void normal(EventReason reason, String message) {
    events.add(RolloutEvent.normal(reason, message));
  }

  void warning(EventReason reason, String message) {
    events.add(RolloutEvent.warning(reason, message));
  }

  /** Look again after {@code d} even if nothing changes; the soonest wish wins. */
  void requeueIn(Duration d) {
    Duration positive = d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d;
    requeue = requeue == null || positive.compareTo(requeue) < 0 ? positive : requeue;
  }

  Optional<Duration> requeue() {
    return Optional.ofNullable(requeue);
  }

  String stepDisplay() {
    return in.stepDisplay(s.getCurrentStepIndex());
  }

  void completeStep(String what) {
    normal(EventReason.StepCompleted, "step " + stepDisplay() + " (" + what + ") completed"
        + (s.getCanaryWeight() != null && s.getCanaryWeight() > 0 ? ", canary serves " + s.getCanaryWeight() + "% of traffic" : ""));
    s.setCurrentStepIndex(s.getCurrentStepIndex() + 1);
    s.setStepStartedAt(Timestamps.format(now()));
    s.setPauseStartedAt(null);
    s.setPhase(RolloutPhase.Progressing);
  }

  /** Records that a person cut step {@code index} short, for the audit trail (history, Events, the CLI). */
  void skipped(int index) {
    if (index >= in.stepCount()) {
      return;
    }
    List<Integer> skipped = new ArrayList<>(s.getSkippedSteps() == null ? List.of() : s.getSkippedSteps());
    if (!skipped.contains(index + 1)) {
      skipped.add(index + 1);
    }
    s.setSkippedSteps(skipped);
  }

  /** "passed all 4 steps", or which steps a person skipped. */
  String stepsVerdict() {
    List<Integer> skipped = s.getSkippedSteps() == null ? List.of() : s.getSkippedSteps();
    int total = in.stepCount();
    if (skipped.isEmpty()) {
      return "passed all " + total + " steps";
    }
    return "passed " + (total - skipped.size()) + " of " + total + " steps; step" + (skipped.size() == 1 ? " " : "s ")
        + String.join(", ", skipped.stream().map(String::valueOf).toList()) + " skipped by a person (vigie.io/promote)";
  }

  void record(String revision, Verdict verdict, String reason) {
    List<RevisionRecord> history = new ArrayList<>(s.getHistory() == null ? List.of() : s.getHistory());
    history.add(new RevisionRecord(revision, verdict, reason, Timestamps.format(now())));
    while (history.size() > HISTORY_LIMIT) {
      history.remove(0);
    }
    s.setHistory(history);
  }

  void clearCanary() {
    s.setTrackedConfigs(null);
    s.setSkippedSteps(null);
    s.setUserPaused(null);
    s.setCanaryRevision(null);
    s.setCurrentStepIndex(null);
    s.setStepStartedAt(null);
    s.setPauseStartedAt(null);
    s.setPromotionStartedAt(null);
    s.setCanaryStartedAt(null);
    s.setDesiredWeight(null);
    s.setCanaryWeight(0);
  }

  Optional<AnalysisRunStatus> run(String name) {
    return AnalysisRuns.find(s.getAnalysis(), name);
  }

  List<AnalysisRunStatus> runs() {
    if (s.getAnalysis() == null) {
      s.setAnalysis(new ArrayList<>());
    }
    return s.getAnalysis();
  }
}
