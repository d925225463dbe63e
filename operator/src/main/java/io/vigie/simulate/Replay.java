package io.vigie.simulate;

import io.vigie.analysis.AnalysisResolver;
import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.BuiltinArgs;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.analysis.SidePlaceholder;
import io.vigie.api.v1alpha1.AnalysisTemplateSpec;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.MeasurementStatus;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.SurgeGuard;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.core.Decision;
import io.vigie.core.Observation;
import io.vigie.core.RolloutEvent;
import io.vigie.core.RolloutMachine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A release replayed on recorded metrics: the real decision core ({@link RolloutMachine#decide}) every
 * simulated second, its measurements read from the recordings, its actions applied to a
 * {@link SimulatedCluster}. The timeline says what Vigie would have done, and when.
 */
public final class Replay {
  private static final int ADOPTION_DECISIONS = 20;

  /** How a replay ended. */
  public enum Verdict { PROMOTED, ROLLED_BACK, WAITS_FOR_A_PERSON, INVALID, UNDECIDED }

  /**
   * @param lines the timeline, one line per Event, measurement and change of phase, step or weight
   */
  public record Result(Verdict verdict, List<String> lines) {}

  /**
   * What to replay.
   *
   * @param templates the AnalysisTemplates by name; clusterTemplates the ClusterAnalysisTemplates
   * @param releaseAt when the new version is applied; until when the replay stops
   */
  public record Input(Rollout rollout, Map<String, AnalysisTemplateSpec> templates,
      Map<String, AnalysisTemplateSpec> clusterTemplates, Recordings recordings, int replicas, Instant releaseAt, Instant until) {}

  private final Input input;
  private final List<String> lines = new ArrayList<>();

  private Replay(Input input) {
    this.input = input;
  }

  /** Replays, or throws IllegalArgumentException naming what the input lacks. */
  public static Result run(Input input) {
    return new Replay(input).run();
  }

  private Result run() {
    Rollout rollout = input.rollout();
    RolloutSpec spec = rollout.getSpec();
    if (rollout.getMetadata().getNamespace() == null) {
      rollout.getMetadata().setNamespace("default");
    }
    String namespace = rollout.getMetadata().getNamespace();
    RolloutStatus revisions = new RolloutStatus();
    revisions.setStableRevision(SimulatedCluster.STABLE);
    revisions.setCanaryRevision(SimulatedCluster.RELEASE);
    AnalysisResolver.Resolution resolution = AnalysisResolver.resolve(spec, BuiltinArgs.of(rollout, revisions, Optional.empty()),
        this::template, ref -> Optional.of("<Secret " + ref.getName() + ">"),
        ref -> (Boolean.TRUE.equals(ref.getClusterScope()) ? "ClusterAnalysisTemplate " : "AnalysisTemplate ") + ref.getName(),
        Optional.of("http://recorded"));
    if (!resolution.problems().isEmpty()) {
      throw new IllegalArgumentException("the Rollout's analyses do not resolve: " + String.join("; ", resolution.problems()));
    }
    ResolvedAnalysis resolved = resolution.analysis();
    boolean baseline = spec.getStrategy() != null && spec.getStrategy().getCanary() != null
        && spec.getStrategy().getCanary().withBaseline();
    Duration window = Durations.parse(spec.getGuards() == null || spec.getGuards().getSurge() == null ? SurgeGuard.DEFAULT_WINDOW
        : spec.getGuards().getSurge().window());
    RecordedMeasurements recorded = new RecordedMeasurements(input.recordings(),
        baseline ? SidePlaceholder.BASELINE : SidePlaceholder.STABLE, window);
    List<String> missing = recorded.missing(resolved);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("the recordings lack the series " + String.join(", ", missing) + " (they hold "
          + String.join(", ", input.recordings().names()) + "): see docs/cli.md for the series each metric reads");
    }
    SimulatedCluster cluster = new SimulatedCluster(input.replicas(), spec.getTrafficRouting() != null);
    Observation.Analysis noMeasurements = new Observation.Analysis(resolved, List.of(), List.of());
    RolloutStatus status = null;
    for (int i = 0; i < ADOPTION_DECISIONS && (status == null || status.getStableRevision() == null
        || status.getPhase() != RolloutPhase.Healthy); i++) {
      status = decide(namespace, spec, status, cluster, cluster.observe(input.releaseAt(), noMeasurements)).status();
    }
    if (status.getPhase() == RolloutPhase.Invalid) {
      line(input.releaseAt(), "INVALID", status.getMessage());
      return new Result(Verdict.INVALID, List.copyOf(lines));
    }
    cluster.release();
    line(input.releaseAt(), "RELEASE", "the new version is applied to Deployment " + spec.getTargetRef().getName());
    String state = "";
    for (Instant now = input.releaseAt(); !now.isAfter(input.until()); now = now.plusSeconds(1)) {
      List<RawMeasurement> measurements = new ArrayList<>();
      for (AnalysisRuns.Due due : AnalysisRuns.due(AnalysisRuns.measured(status), resolved, now)) {
        measurements.add(recorded.measure(due.run(), due.metric(), now));
      }
      Decision decision = decide(namespace, spec, status, cluster,
          cluster.observe(now, new Observation.Analysis(resolved, List.of(), measurements)));
      status = decision.status();
      for (RawMeasurement m : measurements) {
        line(now, "MEASURE", m.run() + "/" + m.metric() + ": " + judged(status, m));
      }
      for (RolloutEvent e : decision.events()) {
        line(now, "EVENT", e.reason() + (e.type() == RolloutEvent.Type.Warning ? " (Warning)" : "") + ": " + e.message());
      }
      String now2 = status.getPhase() + (status.getStep() == null ? "" : ", step " + status.getStep())
          + ", canary weight " + (status.getCanaryWeight() == null ? 0 : status.getCanaryWeight()) + "%" + held(status);
      if (!now2.equals(state)) {
        line(now, "STATE", now2);
        state = now2;
      }
      Optional<Verdict> verdict = verdict(status);
      if (verdict.isPresent()) {
        line(now, "VERDICT", describe(verdict.get(), status));
        return new Result(verdict.get(), List.copyOf(lines));
      }
    }
    line(input.until(), "VERDICT", "none by the end of the recordings: " + status.getMessage());
    return new Result(Verdict.UNDECIDED, List.copyOf(lines));
  }

  private static Decision decide(String namespace, RolloutSpec spec, RolloutStatus status, SimulatedCluster cluster,
      Observation observation) {
    Decision decision = RolloutMachine.decide(namespace, spec, status, observation);
    decision.actions().forEach(cluster::apply);
    cluster.controllersTick();
    return decision;
  }

  /** The measurement as the decision judged it: its value, phase and why. */
  private static String judged(RolloutStatus status, RawMeasurement m) {
    return AnalysisRuns.find(status.getAnalysis(), m.run()).flatMap(r -> AnalysisRuns.metricStatus(r, m.metric()))
        .map(MetricStatus::getMeasurements).filter(l -> !l.isEmpty()).map(l -> l.get(l.size() - 1))
        .map(Replay::show).orElse("not counted (" + (m.note() == null ? "the run had ended" : m.note()) + ")");
  }

  private static String show(MeasurementStatus m) {
    return m.getPhase() + " - " + m.getMessage();
  }

  private static String held(RolloutStatus status) {
    return status.getConditions().stream().filter(c -> "Held".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> ", held (" + c.getReason() + ")").findFirst().orElse("");
  }

  private static Optional<Verdict> verdict(RolloutStatus status) {
    return switch (status.getPhase()) {
      case Healthy -> status.getCanaryRevision() == null && status.getHistory() != null && !status.getHistory().isEmpty()
          ? Optional.of(Verdict.PROMOTED) : Optional.empty();
      case RolledBack -> status.getRollbackReport() != null && status.getRollbackReport().getTrafficBackAt() != null
          ? Optional.of(Verdict.ROLLED_BACK) : Optional.empty();
      case Paused -> Optional.of(Verdict.WAITS_FOR_A_PERSON);
      case Invalid -> Optional.of(Verdict.INVALID);
      default -> Optional.empty();
    };
  }

  private static String describe(Verdict verdict, RolloutStatus status) {
    return switch (verdict) {
      case PROMOTED -> "promoted: " + status.getMessage();
      case ROLLED_BACK -> "rolled back (" + status.getAbort().getReason() + "): " + status.getAbort().getMessage();
      case WAITS_FOR_A_PERSON -> "waits for a person: " + status.getMessage();
      case INVALID -> "invalid: " + status.getMessage();
      case UNDECIDED -> "undecided: " + status.getMessage();
    };
  }

  private void line(Instant at, String kind, String text) {
    long s = Duration.between(input.releaseAt(), at).toSeconds();
    lines.add(String.format(java.util.Locale.ROOT, "%s%02d:%02d  %-8s %s", s < 0 ? "-" : "+", Math.abs(s) / 60, Math.abs(s) % 60,
        kind, text));
  }

  private Optional<AnalysisTemplateSpec> template(TemplateRef ref) {
    return Optional.ofNullable((Boolean.TRUE.equals(ref.getClusterScope()) ? input.clusterTemplates() : input.templates())
        .get(ref.getName()));
  }
}
