package io.vigie.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigie.analysis.AnalysisResolver;
import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.BuiltinArgs;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.analysis.SidePlaceholder;
import io.vigie.analysis.provider.MeasurementRunner;
import io.vigie.analysis.provider.MetricProviders;
import io.vigie.analysis.provider.SecretReader;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.AnalysisTemplate;
import io.vigie.api.v1alpha1.AnalysisTemplateSpec;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.ClusterAnalysisTemplate;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.core.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analysis part of an observation: the Rollout's analyses resolved (templates read, args
 * filled in), and a measurement of every metric whose turn has come (I/O, with timeouts).
 */
final class AnalysisObserver {
  private final KubernetesClient client;
  private final MetricProviders providers;
  private final MeasurementRunner runner;
  private final Optional<String> defaultPrometheus;

  AnalysisObserver(KubernetesClient client, MetricProviders providers, MeasurementRunner runner,
      Optional<String> defaultPrometheus) {
    this.client = client;
    this.providers = providers;
    this.runner = runner;
    this.defaultPrometheus = defaultPrometheus;
  }

  Observation.Analysis observe(Rollout rollout, Optional<String> targetRevision, Instant now) {
    RolloutSpec spec = rollout.getSpec();
    if (spec == null || !usesAnalysis(spec)) {
      return Observation.Analysis.none();
    }
    String namespace = rollout.getMetadata().getNamespace();
    RolloutStatus status = rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
    AnalysisSecrets secrets = AnalysisSecrets.of(client, namespace);
    AnalysisResolver.Resolution resolution = AnalysisResolver.resolve(spec, BuiltinArgs.of(rollout, status, targetRevision),
        ref -> template(namespace, ref), secrets,
        ref -> (Boolean.TRUE.equals(ref.getClusterScope()) ? "ClusterAnalysisTemplate " : "AnalysisTemplate " + namespace + "/")
            + ref.getName(),
        defaultPrometheus);
    List<String> problems = new ArrayList<>(resolution.problems().stream().map(secrets::redact).toList());
    if (problems.isEmpty()) {
      // Every request is built before any traffic moves: a URL or a header that cannot be sent is
      // Invalid now, not an error measured at 20%.
      problems.addAll(requestProblems(resolution.analysis(), secrets));
    }
    if (!problems.isEmpty() || status.getCanaryRevision() == null) {
      return new Observation.Analysis(resolution.analysis(), List.copyOf(problems), List.of());
    }
    List<AnalysisRunStatus> live = AnalysisRuns.measured(status);
    if (live.isEmpty()) {
      return new Observation.Analysis(resolution.analysis(), List.of(), List.of());
    }
    Map<String, String> started = new HashMap<>();
    live.forEach(r -> started.put(r.getName(), r.getStartedAt()));
    boolean baseline = rollout.getSpec().getStrategy() != null && rollout.getSpec().getStrategy().getCanary() != null
        && rollout.getSpec().getStrategy().getCanary().withBaseline();
    SidePlaceholder comparison = baseline ? SidePlaceholder.BASELINE : SidePlaceholder.STABLE;
    List<MeasurementRunner.Due> due = AnalysisRuns.due(live, resolution.analysis(), now).stream()
        .map(d -> new MeasurementRunner.Due(d.run(), started.get(d.run()), d.metric(),
            readerFor(resolution.analysis().run(d.run()), d.metric(), secrets), comparison)).toList();
    String key = namespace + "/" + rollout.getMetadata().getName();
    // A measurement of a run that has since ended or started again (a new revision) is dropped.
    List<RawMeasurement> measurements = runner.exchange(key, due, now).stream()
        .filter(f -> f.runStartedAt() != null && f.runStartedAt().equals(started.get(f.measurement().run())))
        .map(MeasurementRunner.Finished::measurement)
        .toList();
    return new Observation.Analysis(resolution.analysis(), List.of(), measurements);
  }

  private List<String> requestProblems(ResolvedAnalysis analysis, AnalysisSecrets secrets) {
    List<String> problems = new ArrayList<>();
    analysis.background().ifPresent(run -> run.metrics().forEach(m -> providers.problem(m, readerFor(Optional.of(run), m, secrets))
        .ifPresent(p -> problems.add("spec.analysis metric " + m.getName() + ": " + p))));
    analysis.guards().surge().ifPresent(run -> run.metrics().stream().limit(1).forEach(m -> providers.problem(m,
        readerFor(Optional.of(run), m, secrets)).ifPresent(p -> problems.add("spec.guards.surge: " + p))));
    analysis.guards().stable().ifPresent(run -> run.metrics().forEach(m -> providers.problem(m, readerFor(Optional.of(run), m, secrets))
        .ifPresent(p -> problems.add("spec.guards.stable metric " + m.getName() + ": " + p))));
    analysis.blueGreen().prePromotion().ifPresent(run -> run.metrics().forEach(m -> providers.problem(m,
        readerFor(Optional.of(run), m, secrets)).ifPresent(p -> problems.add("spec.strategy.blueGreen.prePromotionAnalysis metric "
        + m.getName() + ": " + p))));
    analysis.blueGreen().postPromotion().ifPresent(run -> run.metrics().forEach(m -> providers.problem(m,
        readerFor(Optional.of(run), m, secrets)).ifPresent(p -> problems.add("spec.strategy.blueGreen.postPromotionAnalysis metric "
        + m.getName() + ": " + p))));
    new java.util.TreeMap<>(analysis.steps()).forEach((index, run) -> run.metrics().forEach(m -> providers.problem(m,
            readerFor(Optional.of(run), m, secrets))
        .ifPresent(p -> problems.add("spec.strategy.canary.steps[" + index + "].analysis metric " + m.getName() + ": " + p))));
    return problems;
  }

  /** The Secrets a metric's provider may read: any its admin's ClusterAnalysisTemplate names, else labelled ones. */
  private static SecretReader readerFor(Optional<ResolvedAnalysis.Run> run, io.vigie.api.v1alpha1.Metric metric,
      AnalysisSecrets secrets) {
    return run.map(r -> r.fromAdmin(metric)).orElse(false) ? secrets.forAdminTemplate() : secrets;
  }

  private static boolean usesAnalysis(RolloutSpec spec) {
    if (spec.getAnalysis() != null || spec.getGuards() != null) {
      return true;
    }
    var blueGreen = spec.getStrategy() == null ? null : spec.getStrategy().getBlueGreen();
    if (blueGreen != null && (blueGreen.getPrePromotionAnalysis() != null || blueGreen.getPostPromotionAnalysis() != null)) {
      return true;
    }
    List<CanaryStep> steps = spec.getStrategy() == null || spec.getStrategy().getCanary() == null
        || spec.getStrategy().getCanary().getSteps() == null ? List.of() : spec.getStrategy().getCanary().getSteps();
    return steps.stream().anyMatch(step -> step != null && step.getAnalysis() != null);
  }

  private Optional<AnalysisTemplateSpec> template(String namespace, TemplateRef ref) {
    try {
      if (Boolean.TRUE.equals(ref.getClusterScope())) {
        return Optional.ofNullable(client.resources(ClusterAnalysisTemplate.class).withName(ref.getName()).get())
            .map(ClusterAnalysisTemplate::getSpec);
      }
      return Optional.ofNullable(client.resources(AnalysisTemplate.class).inNamespace(namespace).withName(ref.getName()).get())
          .map(AnalysisTemplate::getSpec);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }


}
