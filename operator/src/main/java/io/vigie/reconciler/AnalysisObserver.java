package io.vigie.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigie.analysis.AnalysisResolver;
import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.BuiltinArgs;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.analysis.SidePlaceholder;
import io.vigie.analysis.provider.JobMetricProvider;
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
  private final boolean namespacedJobMetrics;

  AnalysisObserver(KubernetesClient client, MetricProviders providers, MeasurementRunner runner,
      Optional<String> defaultPrometheus) {
    this(client, providers, runner, defaultPrometheus, false);
  }

  AnalysisObserver(KubernetesClient client, MetricProviders providers, MeasurementRunner runner,
      Optional<String> defaultPrometheus, boolean namespacedJobMetrics) {
    this.namespacedJobMetrics = namespacedJobMetrics;
    this.client = client;
    this.providers = providers;
    this.runner = runner;
    this.defaultPrometheus = defaultPrometheus;
  }

  Observation.Analysis observe(Rollout rollout, Optional<String> targetRevision, Instant now) {
    String key = rollout.getMetadata().getNamespace() + "/" + rollout.getMetadata().getName();
    RolloutStatus current = rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
    Map<String, String> liveRuns = new HashMap<>();
    if (current.getCanaryRevision() != null) {
      AnalysisRuns.measured(current).forEach(r -> liveRuns.put(r.getName(), r.getStartedAt()));
    }
    // What the analyses no longer measure is cancelled, whatever else this observation finds (a Job deleted).
    runner.keepOnly(key, liveRuns);
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
            readerFor(resolution.analysis().run(d.run()), d.metric(), secrets), comparison, jobOwner(rollout, status, d.run(),
            d.metric()))).toList();
    // A measurement of a run that has since ended or started again (a new revision) is dropped.
    List<RawMeasurement> measurements = runner.exchange(key, due, now).stream()
        .filter(f -> f.runStartedAt() != null && f.runStartedAt().equals(started.get(f.measurement().run())))
        .map(MeasurementRunner.Finished::measurement)
        .toList();
    return new Observation.Analysis(resolution.analysis(), List.of(), measurements);
  }

  /** For a job metric, whose Job it is and the number of its measurement (which names the Job). */
  private static Optional<JobMetricProvider.Owner> jobOwner(Rollout rollout, RolloutStatus status, String run,
      io.vigie.api.v1alpha1.Metric metric) {
    if (!io.vigie.analysis.JobMetrics.isJob(metric)) {
      return Optional.empty();
    }
    int measured = AnalysisRuns.find(status.getAnalysis(), run).flatMap(r -> AnalysisRuns.metricStatus(r, metric.getName()))
        .map(m -> m.getMeasured()).orElse(0);
    return Optional.of(new JobMetricProvider.Owner(rollout, status.getCanaryRevision(), measured));
  }

  private List<String> requestProblems(ResolvedAnalysis analysis, AnalysisSecrets secrets) {
    List<String> problems = new ArrayList<>();
    java.util.function.BiConsumer<ResolvedAnalysis.Run, String> check = (run, where) -> run.metrics().forEach(m ->
        problem(run, m, secrets).ifPresent(p -> problems.add(where + " metric " + m.getName() + ": " + p)));
    analysis.background().ifPresent(run -> check.accept(run, "spec.analysis"));
    analysis.guards().surge().ifPresent(run -> run.metrics().stream().limit(1).forEach(m -> problem(run, m, secrets)
        .ifPresent(p -> problems.add("spec.guards.surge: " + p))));
    analysis.guards().stable().ifPresent(run -> check.accept(run, "spec.guards.stable"));
    analysis.blueGreen().prePromotion().ifPresent(run -> check.accept(run, "spec.strategy.blueGreen.prePromotionAnalysis"));
    analysis.blueGreen().postPromotion().ifPresent(run -> check.accept(run, "spec.strategy.blueGreen.postPromotionAnalysis"));
    new java.util.TreeMap<>(analysis.steps()).forEach((index, run) -> check.accept(run, "spec.strategy.canary.steps[" + index
        + "].analysis"));
    return problems;
  }

  /**
   * Why this metric's request cannot be made. A job metric runs pods through the Jobs Vigie creates:
   * unless the admin allowed it (--allow-namespaced-job-metrics), only a ClusterAnalysisTemplate may
   * define one, or whoever may write a Rollout could run pods they may not create themselves.
   */
  private Optional<String> problem(ResolvedAnalysis.Run run, io.vigie.api.v1alpha1.Metric metric, AnalysisSecrets secrets) {
    if (io.vigie.analysis.JobMetrics.isJob(metric) && !namespacedJobMetrics && !run.fromAdmin(metric)) {
      return Optional.of("a job metric runs pods through the Jobs Vigie creates: define it in a ClusterAnalysisTemplate (the "
          + "cluster admin's), or have the operator run with --allow-namespaced-job-metrics (Helm: jobMetrics.fromNamespaces)");
    }
    return providers.problem(metric, readerFor(Optional.of(run), metric, secrets));
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
