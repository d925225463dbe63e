package io.vigie.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.vigie.api.v1alpha1.Rollout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Marks the objects a Rollout owns, so that Kubernetes collects them with it. */
public final class Ownership {
  private Ownership() {}

  public static List<OwnerReference> ownerReferences(Rollout rollout) {
    return List.of(new OwnerReferenceBuilder()
        .withApiVersion(rollout.getApiVersion())
        .withKind(rollout.getKind())
        .withName(rollout.getMetadata().getName())
        .withUid(rollout.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build());
  }

  /** True when the object is owned by this Rollout (by uid, as Kubernetes' garbage collector sees it). */
  public static boolean ownedBy(HasMetadata object, Rollout rollout) {
    return rollout.getMetadata().getUid() != null && object.hasOwnerReferenceFor(rollout);
  }

  public static Map<String, String> labels(Rollout rollout, String role) {
    Map<String, String> labels = new HashMap<>();
    labels.put(Labels.MANAGED_BY, "vigie");
    String name = rollout.getMetadata().getName();
    // A label value holds at most 63 characters; a Rollout name may hold more.
    labels.put(Labels.ROLLOUT, name.length() > 63 ? name.substring(0, 63) : name);
    labels.put(Labels.ROLE, role);
    return labels;
  }
}
