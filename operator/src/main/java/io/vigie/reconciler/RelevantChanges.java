package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.vigie.api.v1alpha1.Rollout;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which watch updates can change a decision: the informers' update filters. A Deployment's status
 * churns (conditions' heartbeat times, observedGeneration, updated and unavailable counts) with
 * nothing a decision reads changing; each such update would otherwise cost a reconcile. A decision
 * reads the spec (its generation), the metadata Vigie marks or owns by, a Deployment's ready and
 * available counts and a ReplicaSet's replicas and available counts ({@code TargetView},
 * {@code CanaryDeployments.view}).
 */
final class RelevantChanges {
  private RelevantChanges() {}

  /**
   * A Rollout update worth a reconcile: its spec (generation), labels, annotations (the controls),
   * finalizers or deletion. Its status is the operator's alone: the watch event of a status write
   * would only wake the reconcile that follows the write (JOSDK's own filter of known versions
   * misses a watch event that arrives before the write's answer).
   */
  static boolean rollout(Rollout after, Rollout before) {
    return metadataChanged(after.getMetadata(), before.getMetadata())
        || !Objects.equals(after.getMetadata().getFinalizers(), before.getMetadata().getFinalizers());
  }

  /**
   * An object created by someone else than Vigie: one Vigie created (owned by a Rollout) was written
   * by the reconcile that goes on from it; its later changes (a canary's pods ready) are updates.
   */
  static boolean createdByOthers(HasMetadata object) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    return owners == null || owners.stream().noneMatch(o -> "Rollout".equals(o.getKind()) && o.getApiVersion() != null
        && o.getApiVersion().startsWith(Rollout.GROUP + "/"));
  }

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
    return java.util.Arrays.asList(s.map(DeploymentStatus::getReadyReplicas).orElse(null),
        s.map(DeploymentStatus::getAvailableReplicas).orElse(null));
  }

  private static List<Integer> counts(ReplicaSetStatus status) {
    Optional<ReplicaSetStatus> s = Optional.ofNullable(status);
    return java.util.Arrays.asList(s.map(ReplicaSetStatus::getReplicas).orElse(null),
        s.map(ReplicaSetStatus::getAvailableReplicas).orElse(null));
  }
}
