package io.vigie.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.vigie.api.v1alpha1.Rollout;

/**
 * JOSDK hands each reconcile a copy of the cached Rollout, made by serializing and reading it back.
 * A spec or status that did not fit the schema was read leniently, with the problem noted on the
 * object (never serialized, so as never to be written); a plain copy would lose the note, and the
 * decision would see a valid-looking partial spec or an empty status instead of the problem.
 */
final class RolloutCloner implements Cloner {
  private final KubernetesSerialization serialization;

  RolloutCloner(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public <R extends HasMetadata> R clone(R object) {
    R copy = serialization.clone(object);
    if (object instanceof Rollout original && copy instanceof Rollout rollout) {
      if (original.getSpec() != null && original.getSpec().getSchemaProblem() != null && rollout.getSpec() != null) {
        rollout.getSpec().setSchemaProblem(original.getSpec().getSchemaProblem());
      }
      if (original.getStatus() != null && original.getStatus().getReadProblem() != null) {
        if (rollout.getStatus() == null) {
          rollout.setStatus(new io.vigie.api.v1alpha1.RolloutStatus());
        }
        rollout.getStatus().setReadProblem(original.getStatus().getReadProblem());
      }
    }
    return copy;
  }
}
