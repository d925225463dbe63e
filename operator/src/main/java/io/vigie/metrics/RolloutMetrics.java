package io.vigie.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigie.api.v1alpha1.AbortStatus;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RevisionRecord;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Rollout metrics, derived from what each reconcile wrote to status: gauges per Rollout (its
 * phase, weight and step, removed with the Rollout), and counters and a timer fed by the
 * difference between the status a decision started from and the one it wrote, so that a
 * reconcile that changes nothing counts nothing and a new operator (after a crash or a
 * leadership change) does not count again what its predecessor counted.
 */
public final class RolloutMetrics {
  public static final String PHASE = "vigie_rollout_phase";
  public static final String CANARY_WEIGHT = "vigie_rollout_canary_weight";
  public static final String STEP = "vigie_rollout_step";
  public static final String MEASUREMENTS = "vigie_analysis_measurements";
  public static final String ROLLBACKS = "vigie_rollbacks";
  public static final String DURATION = "vigie_rollout_duration";
  public static final String DRY_RUN_VERDICTS = "vigie_dry_run_verdicts";
  public static final String GUARD_HOLDS = "vigie_guard_holds";
  public static final String SWITCHES = "vigie_blue_green_switches";
  public static final String NOTIFICATIONS_SENT = "vigie_notifications_sent";
  public static final String NOTIFICATIONS_FAILED = "vigie_notifications_failed";

  /** Buckets of {@code vigie_rollout_duration_seconds}: canaries last minutes to hours. */
  private static final Duration[] DURATION_BUCKETS = Stream.of(10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 43200)
      .map(Duration::ofSeconds).toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final Map<String, PerRollout> rollouts = new ConcurrentHashMap<>();

  /** The reasons an update is rolled back (AbortStatus.reason), each a series from the start. */
  static final List<String> ROLLBACK_REASONS = List.of("AnalysisFailed", "AnalysisError", "AnalysisInconclusive",
      "ProgressDeadlineExceeded", "ManualAbort", "GateFailed");

  public RolloutMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Series that exist at 0 from the start: increase() misses the first event of a series born at 1,
    // so the documented alert on the first rollback after a restart would not fire.
    ROLLBACK_REASONS.forEach(reason -> rollbacks(reason));
    for (AnalysisPhase result : List.of(AnalysisPhase.Successful, AnalysisPhase.Failed, AnalysisPhase.Inconclusive, AnalysisPhase.Error)) {
      measurements(result);
    }
    List.of("TrafficSurge", "StableUnhealthy").forEach(this::guardHolds);
    List.of("green", "blue").forEach(this::switches);
    notificationsFailed();
  }

  /** A notification reached its channel. */
  public void notificationSent() {
    Counter.builder(NOTIFICATIONS_SENT).description("Notifications delivered to their channel").register(registry).increment();
  }

  /** A notification delivery failed (each attempt): what a dead receiver costs, with a Warning Event. */
  public void notificationFailed() {
    notificationsFailed().increment();
  }

  private Counter notificationsFailed() {
    return Counter.builder(NOTIFICATIONS_FAILED).description("Notification deliveries that failed (each attempt)").register(registry);
  }

  private Counter switches(String to) {
    return Counter.builder(SWITCHES).description("Blue-green switches of the active Service (or route): to green, and back to blue")
        .tag("to", to).register(registry);
  }

  private Counter guardHolds(String reason) {
    return Counter.builder(GUARD_HOLDS).description("Releases held by a guard (spec.guards), counted when the hold starts")
        .tag("reason", reason).register(registry);
  }

  private Counter dryRunVerdicts(String verdict) {
    return Counter.builder(DRY_RUN_VERDICTS).description("Verdicts of dryRun metrics: what they would have done")
        .tag("verdict", verdict).register(registry);
  }

  private Counter rollbacks(String reason) {
    return Counter.builder(ROLLBACKS).description("Canaries rolled back, by what triggered it").tag("reason", reason)
        .register(registry);
  }

  /**
   * A reconcile of this Rollout wrote {@code after} (or found it already there).
   *
   * @param rollout the Rollout as the decision read it, with the status it started from
   */
  public void reconciled(Rollout rollout, RolloutStatus after) {
    String namespace = rollout.getMetadata().getNamespace();
    String name = rollout.getMetadata().getName();
    RolloutStatus before = rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
    rollouts.computeIfAbsent(key(namespace, name), k -> new PerRollout(namespace, name)).set(after);
    countMeasurements(before, after);
    countDryRunVerdicts(before, after);
    countHold(before, after);
    countRollback(before, after);
    countSwitch(before, after);
    timeVerdict(before, after);
  }

  /** Users moved to green (the switch), or back to blue (a rollback after the switch). */
  private void countSwitch(RolloutStatus before, RolloutStatus after) {
    boolean wasLive = before.getBlueGreen() != null && before.getBlueGreen().getSwitchedAt() != null
        && before.getPhase() != io.vigie.api.v1alpha1.RolloutPhase.RolledBack;
    boolean live = after.getBlueGreen() != null && after.getBlueGreen().getSwitchedAt() != null;
    if (!wasLive && live && after.getPhase() != io.vigie.api.v1alpha1.RolloutPhase.RolledBack) {
      switches("green").increment();
    } else if (wasLive && after.getPhase() == io.vigie.api.v1alpha1.RolloutPhase.RolledBack) {
      switches("blue").increment();
    }
  }

  /** The Rollout is gone: its gauges go with it. */
  public void removed(String namespace, String name) {
    PerRollout gone = rollouts.remove(key(namespace, name));
    if (gone != null) {
      gone.meters.forEach(registry::remove);
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private void countMeasurements(RolloutStatus before, RolloutStatus after) {
    for (AnalysisRunStatus run : Optional.ofNullable(after.getAnalysis()).orElse(List.of())) {
      Optional<AnalysisRunStatus> previous = Optional.ofNullable(before.getAnalysis()).orElse(List.of()).stream()
          .filter(r -> Objects.equals(r.getName(), run.getName()) && Objects.equals(r.getStartedAt(), run.getStartedAt()))
          .findFirst();
      for (MetricStatus metric : Optional.ofNullable(run.getMetrics()).orElse(List.of())) {
        MetricStatus old = previous.flatMap(r -> Optional.ofNullable(r.getMetrics()).orElse(List.of()).stream()
            .filter(m -> Objects.equals(m.getName(), metric.getName())).findFirst()).orElseGet(MetricStatus::new);
        count(AnalysisPhase.Successful, metric.getSuccessful(), old.getSuccessful());
        count(AnalysisPhase.Failed, metric.getFailed(), old.getFailed());
        count(AnalysisPhase.Inconclusive, metric.getInconclusive(), old.getInconclusive());
        count(AnalysisPhase.Error, metric.getErrors(), old.getErrors());
      }
    }
  }

  /** A dryRun metric's verdict, counted when it first appears in status ("would have rolled back" as RolledBack). */
  private void countDryRunVerdicts(RolloutStatus before, RolloutStatus after) {
    for (AnalysisRunStatus run : Optional.ofNullable(after.getAnalysis()).orElse(List.of())) {
      for (MetricStatus metric : Optional.ofNullable(run.getMetrics()).orElse(List.of())) {
        if (metric.getDryRunVerdict() == null || hadVerdict(before, run, metric)) {
          continue;
        }
        String v = metric.getDryRunVerdict();
        dryRunVerdicts(v.startsWith("would have rolled back") ? "RolledBack" : v.startsWith("would have passed") ? "Passed"
            : "Paused").increment();
      }
    }
  }

  private static boolean hadVerdict(RolloutStatus before, AnalysisRunStatus run, MetricStatus metric) {
    return Optional.ofNullable(before.getAnalysis()).orElse(List.of()).stream()
        .filter(r -> Objects.equals(r.getName(), run.getName()) && Objects.equals(r.getStartedAt(), run.getStartedAt()))
        .flatMap(r -> Optional.ofNullable(r.getMetrics()).orElse(List.of()).stream())
        .anyMatch(m -> Objects.equals(m.getName(), metric.getName()) && m.getDryRunVerdict() != null);
  }

  /** A guard's hold, counted when the Held condition turns True (or changes its reason). */
  private void countHold(RolloutStatus before, RolloutStatus after) {
    Optional<String> now = heldBecause(after);
    if (now.isPresent() && !now.equals(heldBecause(before))) {
      guardHolds(now.get()).increment();
    }
  }

  private static Optional<String> heldBecause(RolloutStatus status) {
    return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
        .filter(c -> "Held".equals(c.getType()) && "True".equals(c.getStatus())).map(c -> c.getReason()).findFirst();
  }

  private void count(AnalysisPhase result, int now, int before) {
    // A count lower than before means the run restarted under the same name: all of it is new.
    int added = now >= before ? now - before : now;
    if (added > 0) {
      measurements(result).increment(added);
    }
  }

  private Counter measurements(AnalysisPhase result) {
    return Counter.builder(MEASUREMENTS).description("Measurements of analysis metrics, by result")
        .tag("result", result.name()).register(registry);
  }

  private void countRollback(RolloutStatus before, RolloutStatus after) {
    AbortStatus abort = after.getAbort();
    // A new abort counts whatever the phase: a person's abort of an Invalid Rollout leaves it Invalid.
    if (abort == null || sameAbort(before.getAbort(), abort)) {
      return;
    }
    rollbacks(Optional.ofNullable(abort.getReason()).orElse("Unknown")).increment();
  }

  private static boolean sameAbort(AbortStatus a, AbortStatus b) {
    return a != null && Objects.equals(a.getAt(), b.getAt()) && Objects.equals(a.getRevision(), b.getRevision())
        && Objects.equals(a.getReason(), b.getReason());
  }

  /** From the canary's first traffic to its verdict (promoted, or rolled back). */
  private void timeVerdict(RolloutStatus before, RolloutStatus after) {
    RevisionRecord verdict = last(after.getHistory());
    if (verdict == null || verdict.getVerdict() == null || sameRecord(last(before.getHistory()), verdict)
        || (verdict.getVerdict() != RevisionRecord.Verdict.Promoted && verdict.getVerdict() != RevisionRecord.Verdict.RolledBack)) {
      return;
    }
    Optional<Instant> start = Stream.of(before.getCanaryStartedAt(), after.getCanaryStartedAt(),
            after.getRollbackReport() == null ? null : after.getRollbackReport().getCanaryStartedAt())
        .filter(Objects::nonNull).findFirst().flatMap(RolloutMetrics::instant);
    Optional<Instant> end = instant(verdict.getAt());
    if (start.isEmpty() || end.isEmpty() || end.get().isBefore(start.get())) {
      return;
    }
    Timer.builder(DURATION).description("Time from a canary's first traffic to its verdict")
        .tag("verdict", verdict.getVerdict().name())
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry)
        .record(Duration.between(start.get(), end.get()));
  }

  private static RevisionRecord last(List<RevisionRecord> history) {
    return history == null || history.isEmpty() ? null : history.get(history.size() - 1);
  }

  private static boolean sameRecord(RevisionRecord a, RevisionRecord b) {
    return a != null && Objects.equals(a.getRevision(), b.getRevision()) && a.getVerdict() == b.getVerdict()
        && Objects.equals(a.getAt(), b.getAt());
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.ofNullable(text).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The gauges of one Rollout, read from its last written status. */
  /**
   * The gauges of one Rollout, and the three values they read: not the status itself, which would
   * keep a second copy of every Rollout's status (history, conditions, analyses) next to the cache's.
   */
  private final class PerRollout {
    private final List<Meter> meters = new ArrayList<>();
    private volatile RolloutPhase phase;
    private volatile int canaryWeight;
    private volatile int step;

    PerRollout(String namespace, String name) {
      Tags tags = Tags.of("namespace", namespace, "rollout", name);
      for (RolloutPhase each : RolloutPhase.values()) {
        meters.add(Gauge.builder(PHASE, this, r -> r.phase == each ? 1 : 0)
            .description("1 for the phase the Rollout is in, 0 for the others")
            .tags(tags).tag("phase", each.name()).register(registry));
      }
      meters.add(Gauge.builder(CANARY_WEIGHT, this, r -> r.canaryWeight)
          .description("Share of traffic the canary serves, in percent").tags(tags).register(registry));
      meters.add(Gauge.builder(STEP, this, r -> r.step)
          .description("The canary step the Rollout is at (1-based); 0 when no canary is in progress")
          .tags(tags).register(registry));
    }

    void set(RolloutStatus status) {
      this.phase = status.getPhase();
      this.canaryWeight = Optional.ofNullable(status.getCanaryWeight()).orElse(0);
      this.step = step(status.getStep());
    }

    /** The number of the Step column ("3/5" is 3). */
    private static int step(String step) {
      int slash = step == null ? -1 : step.indexOf('/');
      try {
        return slash < 0 ? 0 : Integer.parseInt(step.substring(0, slash));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
  }
}
