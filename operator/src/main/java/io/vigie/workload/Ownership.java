package io.vigie.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.vigie.api.v1alpha1.Rollout;
import java.util.HashMap;
import java.util.Map;

/** Marks the objects a Rollout owns, so that Kubernetes collects them with it. */
public final class Ownership {
  private Ownership() {}

  /**
   * Makes the Rollout the object's controller (fabric8's owner-reference helper, which refuses an
   * owner in another namespace), so that Kubernetes collects the object with the Rollout. Not
   * blockOwnerDeletion: Vigie's finalizer already orders a Rollout's deletion, and with the
   * OwnerReferencesPermissionEnforcement admission plugin (OpenShift's default) setting it would
   * need update on rollouts/finalizers for every create.
   */
  public static <T extends HasMetadata> T own(T object, Rollout rollout) {
    OwnerReference reference = object.addOwnerReference(rollout);
    reference.setController(true);
    reference.setBlockOwnerDeletion(null);
    return object;
  }

  /** True when the object is owned by this Rollout (by uid, as Kubernetes' garbage collector sees it). */
  public static boolean ownedBy(HasMetadata object, Rollout rollout) {
    return rollout.getMetadata().getUid() != null && object.hasOwnerReferenceFor(rollout);
  }

  /**
   * A Rollout's name as a label value: at most 63 characters, ending with a letter or digit (a
   * Rollout name may hold 253, and a cut may end on '-' or '.').
   */
  static String labelValue(String name) {
    if (name.length() <= 63) {
      return name;
    }
    return name.substring(0, 63).replaceAll("[-.]+$", "");
  }

  public static Map<String, String> labels(Rollout rollout, String role) {
    Map<String, String> labels = new HashMap<>();
    labels.put(Labels.MANAGED_BY, "vigie");
    String name = rollout.getMetadata().getName();
    labels.put(Labels.ROLLOUT, labelValue(name));
    labels.put(Labels.ROLE, role);
    return labels;
  }
}
