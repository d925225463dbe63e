package io.vigie.analysis;

import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.domain.Names;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The args every template can use without declaring them ({@link AnalysisResolver#BUILTINS}), with their values. */
public final class BuiltinArgs {
  private BuiltinArgs() {}

  /** The args every template can use without declaring them. */
  public static Map<String, String> of(Rollout rollout, RolloutStatus status, Optional<String> targetRevision) {
    Map<String, String> args = new HashMap<>();
    RolloutSpec spec = rollout.getSpec();
    args.put("namespace", rollout.getMetadata().getNamespace());
    args.put("rollout", rollout.getMetadata().getName());
    if (spec.getService() != null && spec.getService().getName() != null) {
      args.put("service", spec.getService().getName());
      args.put("stable-service", Names.stableService(spec.getService().getName()));
      args.put("canary-service", Names.canaryService(spec.getService().getName()));
      var blueGreen = spec.getStrategy() == null ? null : spec.getStrategy().getBlueGreen();
      args.put("preview-service", blueGreen != null && blueGreen.getPreviewService() != null
          && blueGreen.getPreviewService().getName() != null ? blueGreen.getPreviewService().getName()
          : Names.previewService(spec.getService().getName()));
    }
    if (spec.getTargetRef() != null && spec.getTargetRef().getName() != null) {
      args.put("deployment", spec.getTargetRef().getName());
      args.put("canary-deployment", Names.canaryDeployment(spec.getTargetRef().getName()));
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
}
