package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which watch updates can change a decision: the informers' update filters. A Deployment's status
 * churns (conditions' heartbeat times, observedGeneration, unavailable counts) with nothing a
 * decision reads changing; each such update would otherwise cost a reconcile. A decision reads the
 * spec (its generation), the metadata Vigie marks or owns by, and the replica counts.
 */
final class RelevantChanges {
  private RelevantChanges() {}

  static boolean deployment(Deployment after, Deployment before) {
    return metadataChanged(after.getMetadata(), before.getMetadata())
        || !Objects.equals(after.getSpec(), before.getSpec())
        || !Objects.equals(counts(after.getStatus()), counts(before.getStatus()));
  }

  static boolean replicaSet(ReplicaSet after, ReplicaSet before) {
    return metadataChanged(after.getMetadata(), before.getMetadata())
        || !Objects.equals(after.getSpec(), before.getSpec())
        || !Objects.equals(counts(after.getStatus()), counts(before.getStatus()));
  }

  static boolean service(Service after, Service before) {
    return metadataChanged(after.getMetadata(), before.getMetadata()) || !Objects.equals(after.getSpec(), before.getSpec());
  }

  private static boolean metadataChanged(ObjectMeta after, ObjectMeta before) {
    return !Objects.equals(after.getGeneration(), before.getGeneration())
        || !Objects.equals(after.getUid(), before.getUid())
        || !Objects.equals(after.getLabels(), before.getLabels())
        || !Objects.equals(after.getAnnotations(), before.getAnnotations())
        || !Objects.equals(after.getOwnerReferences(), before.getOwnerReferences())
        || !Objects.equals(after.getDeletionTimestamp(), before.getDeletionTimestamp());
  }

  private static List<Integer> counts(DeploymentStatus status) {
    Optional<DeploymentStatus> s = Optional.ofNullable(status);
    return java.util.Arrays.asList(s.map(DeploymentStatus::getReplicas).orElse(null),
        s.map(DeploymentStatus::getUpdatedReplicas).orElse(null), s.map(DeploymentStatus::getReadyReplicas).orElse(null),
        s.map(DeploymentStatus::getAvailableReplicas).orElse(null));
  }

  private static List<Integer> counts(ReplicaSetStatus status) {
    Optional<ReplicaSetStatus> s = Optional.ofNullable(status);
    return java.util.Arrays.asList(s.map(ReplicaSetStatus::getReplicas).orElse(null),
        s.map(ReplicaSetStatus::getReadyReplicas).orElse(null), s.map(ReplicaSetStatus::getAvailableReplicas).orElse(null));
  }
}
