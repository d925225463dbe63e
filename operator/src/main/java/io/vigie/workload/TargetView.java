package io.vigie.workload;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.vigie.core.Observation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Reads the user's Deployment and its ReplicaSets into what the rollout logic needs. */
public final class TargetView {
  private TargetView() {}

  /**
   * @param stableHash the pod-template-hash of the stable revision, to tell what the current
   *     template changes from it
   */
  public static Observation.Target of(Deployment deployment, List<ReplicaSet> replicaSets, Optional<String> stableHash,
      Observation.Target.Manager manager) {
    String revision = TemplateHash.revisionOf(deployment.getSpec().getTemplate());
    int replicas = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
    DeploymentStatus status = Optional.ofNullable(deployment.getStatus()).orElseGet(DeploymentStatus::new);
    int available = zeroIfNull(status.getAvailableReplicas());
    List<ReplicaSet> owned = replicaSets.stream()
        .filter(rs -> ownedBy(rs, deployment))
        .filter(rs -> rs.getSpec() != null && rs.getSpec().getTemplate() != null)
        .toList();
    Optional<ReplicaSet> current = owned.stream()
        .filter(rs -> revision.equals(TemplateHash.revisionOf(rs.getSpec().getTemplate())))
        .filter(rs -> rs.getMetadata().getLabels() != null && rs.getMetadata().getLabels().containsKey(Labels.POD_TEMPLATE_HASH))
        .findFirst();
    Optional<String> podTemplateHash = current.map(rs -> rs.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH));
    boolean oldPodsLeft = owned.stream()
        .filter(rs -> current.isEmpty() || rs != current.get())
        .anyMatch(rs -> zeroIfNull(rs.getSpec().getReplicas()) > 0
            || (rs.getStatus() != null && zeroIfNull(rs.getStatus().getReplicas()) > 0));
    boolean rolledOut = current.isPresent() && !oldPodsLeft
        && zeroIfNull(current.get().getStatus() == null ? null : current.get().getStatus().getAvailableReplicas()) >= replicas;
    Map<String, String> podLabels = Optional.ofNullable(deployment.getSpec().getTemplate().getMetadata())
        .map(m -> m.getLabels()).orElse(Map.of());
    DeploymentStrategy strategy = deployment.getSpec().getStrategy();
    boolean recreate = strategy != null && "Recreate".equals(strategy.getType());
    return new Observation.Target(revision, TemplateHash.imagesOf(deployment.getSpec().getTemplate()), podTemplateHash,
        replicas, Boolean.TRUE.equals(deployment.getSpec().getPaused()), zeroIfNull(status.getReadyReplicas()),
        available, rolledOut, Map.copyOf(podLabels), recreate, maxUnavailable(strategy, replicas),
        changesFromStable(deployment, owned, stableHash), manager, revisionsByHash(owned));
  }

  /** The name of the Rollout that marked the Deployment as its own when it adopted it, if any. */
  public static Optional<String> manager(Deployment deployment) {
    return Optional.ofNullable(deployment.getMetadata().getAnnotations()).map(a -> a.get(Labels.ROLLOUT));
  }

  private static Map<String, String> revisionsByHash(List<ReplicaSet> owned) {
    Map<String, String> revisions = new java.util.HashMap<>();
    for (ReplicaSet rs : owned) {
      String hash = rs.getMetadata().getLabels() == null ? null : rs.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH);
      if (hash != null) {
        revisions.put(hash, TemplateHash.revisionOf(rs.getSpec().getTemplate()));
      }
    }
    return Map.copyOf(revisions);
  }

  private static List<String> changesFromStable(Deployment deployment, List<ReplicaSet> owned, Optional<String> stableHash) {
    return stableHash.flatMap(hash -> owned.stream()
            .filter(rs -> hash.equals(rs.getMetadata().getLabels() == null ? null
                : rs.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH)))
            .findFirst())
        .map(rs -> TemplateDiff.between(rs.getSpec().getTemplate(), deployment.getSpec().getTemplate()))
        .map(List::copyOf)
        .orElse(List.of());
  }

  /** RollingUpdate's maxUnavailable as Kubernetes resolves it: a count, or a percentage rounded down; 25% by default. */
  static int maxUnavailable(DeploymentStrategy strategy, int replicas) {
    IntOrString value = strategy == null || strategy.getRollingUpdate() == null ? null
        : strategy.getRollingUpdate().getMaxUnavailable();
    if (value == null) {
      return replicas * 25 / 100;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal().trim();
    try {
      return text.endsWith("%")
          ? (int) Math.floor(replicas * Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0)
          : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return replicas * 25 / 100;
    }
  }

  private static boolean ownedBy(ReplicaSet rs, Deployment deployment) {
    List<OwnerReference> owners = rs.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> Objects.equals(o.getUid(), deployment.getMetadata().getUid()));
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }
}
