package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.domain.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The reconcile errors a retry will not cure, as a condition on the Rollout: the API server
 * refusing the operator (403, its RBAC) or rejecting an object (422, 400). Anything else (a
 * timeout, a 500, a conflict) is retried without a word in status: it usually passes.
 */
final class ReconcileErrors {
  static final String CONDITION = "ReconcileFailed";
  /** How the API server words a failed test operation of a JSON patch (apiserver's patch handler). */
  private static final java.util.regex.Pattern LOST_RACE = java.util.regex.Pattern.compile("(?i)testing value \\S+ failed");

  private ReconcileErrors() {}

  /** A good reconcile: the error is gone. */
  static void clear(RolloutStatus status) {
    if (status.getConditions() != null) {
      status.getConditions().removeIf(c -> CONDITION.equals(c.getType()));
    }
  }

  /** The Rollout with the condition this error calls for; empty when it calls for none, or it is there already. */
  static Optional<Rollout> condition(Exception error, Instant now, Rollout rollout) {
    Optional<KubernetesClientException> apiError = apiError(error);
    if (apiError.isEmpty()) {
      return Optional.empty();
    }
    KubernetesClientException e = apiError.get();
    String object = object(e);
    String reason;
    String message;
    if (e.getCode() == 403) {
      reason = "Forbidden";
      message = "the API server refused the operator access to " + object + " (403 Forbidden: " + detail(e)
          + "): grant the operator's ServiceAccount that verb on that resource (the Helm chart's ClusterRole lists what Vigie"
          + " needs), or point the Rollout at objects it may write";
    } else if (e.getCode() == 422 && LOST_RACE.matcher(detail(e)).find()) {
      // A JSON patch's test operation failed: the object moved since it was read (an HPA's scale, a
      // second annotation). A conflict in all but its code, and the retry reads the object anew.
      return Optional.empty();
    } else if (e.getCode() == 422 || e.getCode() == 400) {
      reason = "Rejected";
      message = "the API server rejected the operator's write of " + object + " (" + e.getCode() + ": " + detail(e)
          + "): fix that object, or the Rollout field it is built from";
    } else {
      return Optional.empty();
    }
    RolloutStatus status = rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
    List<Condition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
    Optional<Condition> existing = conditions.stream().filter(c -> CONDITION.equals(c.getType())).findFirst();
    if (existing.isPresent() && Objects.equals(existing.get().getReason(), reason)
        && Objects.equals(existing.get().getMessage(), message)) {
      return Optional.empty();
    }
    conditions.removeIf(c -> CONDITION.equals(c.getType()));
    conditions.add(new ConditionBuilder()
        .withType(CONDITION)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(existing.map(Condition::getLastTransitionTime).orElse(Timestamps.format(now)))
        .withObservedGeneration(rollout.getMetadata().getGeneration())
        .build());
    status.setConditions(conditions);
    rollout.setStatus(status);
    return Optional.of(rollout);
  }

  private static Optional<KubernetesClientException> apiError(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException e && e.getCode() > 0) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static String object(KubernetesClientException e) {
    if (e.getResourcePlural() == null) {
      return "an object";
    }
    String kind = e.getFullResourceName() != null ? e.getFullResourceName() : e.getResourcePlural();
    String name = e.getName() == null ? "" : " " + (e.getNamespace() == null ? "" : e.getNamespace() + "/") + e.getName();
    return kind + name;
  }

  private static String detail(KubernetesClientException e) {
    String detail = e.getStatus() == null || e.getStatus().getMessage() == null ? "" : e.getStatus().getMessage();
    return detail.isBlank() ? "no detail given" : detail;
  }
}
