package io.vigie.workload;

import io.fabric8.kubernetes.api.model.OwnerReference;
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

  public static Observation.Target of(Deployment deployment, List<ReplicaSet> replicaSets) {
    String revision = TemplateHash.revisionOf(deployment.getSpec().getTemplate());
    int replicas = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
    DeploymentStatus status = Optional.ofNullable(deployment.getStatus()).orElseGet(DeploymentStatus::new);
    long generation = Optional.ofNullable(deployment.getMetadata().getGeneration()).orElse(0L);
    long observed = Optional.ofNullable(status.getObservedGeneration()).orElse(0L);
    int updated = zeroIfNull(status.getUpdatedReplicas());
    int available = zeroIfNull(status.getAvailableReplicas());
    int total = zeroIfNull(status.getReplicas());
    boolean rolledOut = observed >= generation && updated >= replicas && available >= replicas && total == updated;
    Optional<String> podTemplateHash = replicaSets.stream()
        .filter(rs -> ownedBy(rs, deployment))
        .filter(rs -> rs.getSpec() != null && rs.getSpec().getTemplate() != null)
        .filter(rs -> revision.equals(TemplateHash.revisionOf(rs.getSpec().getTemplate())))
        .map(rs -> rs.getMetadata().getLabels() == null ? null : rs.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH))
        .filter(Objects::nonNull)
        .findFirst();
    Map<String, String> podLabels = Optional.ofNullable(deployment.getSpec().getTemplate().getMetadata())
        .map(m -> m.getLabels()).orElse(Map.of());
    return new Observation.Target(revision, TemplateHash.imagesOf(deployment.getSpec().getTemplate()), podTemplateHash,
        replicas, Boolean.TRUE.equals(deployment.getSpec().getPaused()), zeroIfNull(status.getReadyReplicas()),
        available, rolledOut, Map.copyOf(podLabels));
  }

  private static boolean ownedBy(ReplicaSet rs, Deployment deployment) {
    List<OwnerReference> owners = rs.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> Objects.equals(o.getUid(), deployment.getMetadata().getUid()));
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }
}
