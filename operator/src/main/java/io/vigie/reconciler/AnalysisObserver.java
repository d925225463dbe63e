package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigie.analysis.AnalysisResolver;
import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.analysis.provider.MetricProviders;
import io.vigie.analysis.provider.SecretReader;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.AnalysisTemplate;
import io.vigie.api.v1alpha1.AnalysisTemplateSpec;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.ClusterAnalysisTemplate;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.core.Observation;
import io.vigie.workload.VigieServices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
  private final Optional<String> defaultPrometheus;

  AnalysisObserver(KubernetesClient client, MetricProviders providers, Optional<String> defaultPrometheus) {
    this.client = client;
    this.providers = providers;
    this.defaultPrometheus = defaultPrometheus;
  }

  Observation.Analysis observe(Rollout rollout, Optional<String> targetRevision, Instant now) {
    RolloutSpec spec = rollout.getSpec();
    if (spec == null || !usesAnalysis(spec)) {
      return Observation.Analysis.none();
    }
    String namespace = rollout.getMetadata().getNamespace();
    RolloutStatus status = rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
    SecretReader secrets = secretsOf(namespace);
    AnalysisResolver.Resolution resolution = AnalysisResolver.resolve(spec, builtins(rollout, status, targetRevision),
        ref -> template(namespace, ref), secrets::read,
        ref -> (Boolean.TRUE.equals(ref.getClusterScope()) ? "ClusterAnalysisTemplate " : "AnalysisTemplate " + namespace + "/")
            + ref.getName(),
        defaultPrometheus);
    if (!resolution.problems().isEmpty() || status.getCanaryRevision() == null) {
      return new Observation.Analysis(resolution.analysis(), resolution.problems(), List.of());
    }
    boolean running = status.getPhase() == RolloutPhase.Progressing || status.getPhase() == RolloutPhase.Paused;
    if (!running) {
      return new Observation.Analysis(resolution.analysis(), List.of(), List.of());
    }
    // Only the analyses that can still decide something: the background one and the current step's.
    String currentStep = status.getCurrentStepIndex() == null ? "" : AnalysisRuns.stepRun(status.getCurrentStepIndex());
    List<AnalysisRunStatus> live = (status.getAnalysis() == null ? List.<AnalysisRunStatus>of() : status.getAnalysis())
        .stream().filter(r -> AnalysisRuns.BACKGROUND.equals(r.getName()) || currentStep.equals(r.getName())).toList();
    List<RawMeasurement> measurements = new ArrayList<>();
    for (AnalysisRuns.Due due : AnalysisRuns.due(live, resolution.analysis(), now)) {
      measurements.add(providers.measure(due.run(), due.metric(), now, secrets));
    }
    return new Observation.Analysis(resolution.analysis(), List.of(), List.copyOf(measurements));
  }

  private static boolean usesAnalysis(RolloutSpec spec) {
    if (spec.getAnalysis() != null) {
      return true;
    }
    List<CanaryStep> steps = spec.getStrategy() == null || spec.getStrategy().getCanary() == null
        ? List.of() : spec.getStrategy().getCanary().getSteps();
    return steps.stream().anyMatch(step -> step != null && step.getAnalysis() != null);
  }

  /** The args every template can use without declaring them. */
  static Map<String, String> builtins(Rollout rollout, RolloutStatus status, Optional<String> targetRevision) {
    Map<String, String> args = new HashMap<>();
    RolloutSpec spec = rollout.getSpec();
    args.put("namespace", rollout.getMetadata().getNamespace());
    args.put("rollout", rollout.getMetadata().getName());
    if (spec.getService() != null && spec.getService().getName() != null) {
      args.put("service", spec.getService().getName());
      args.put("stable-service", VigieServices.stableName(spec.getService().getName()));
      args.put("canary-service", VigieServices.canaryName(spec.getService().getName()));
    }
    if (spec.getTargetRef() != null && spec.getTargetRef().getName() != null) {
      args.put("deployment", spec.getTargetRef().getName());
      args.put("canary-deployment", spec.getTargetRef().getName() + "-canary");
    }
    putIfPresent(args, "stable-revision", status.getStableRevision());
    putIfPresent(args, "stable-pod-template-hash", status.getStablePodTemplateHash());
    putIfPresent(args, "canary-revision", status.getCanaryRevision() != null ? status.getCanaryRevision() : targetRevision.orElse(null));
    return args;
  }

  private static void putIfPresent(Map<String, String> args, String name, String value) {
    if (value != null) {
      args.put(name, value);
    }
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

  /** Reads Secret keys of the namespace, each Secret once per reconcile. */
  private SecretReader secretsOf(String namespace) {
    Map<String, Optional<Secret>> read = new HashMap<>();
    return (SecretKeyRef ref) -> {
      Optional<Secret> secret = read.computeIfAbsent(ref.getName(),
          name -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get()));
      return secret.flatMap(s -> value(s, ref.getKey()));
    };
  }

  private static Optional<String> value(Secret secret, String key) {
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key));
    }
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }
}
