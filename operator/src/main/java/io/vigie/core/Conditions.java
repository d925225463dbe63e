package io.vigie.core;

import io.vigie.domain.Timestamps;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;

/** Kubernetes-convention conditions: lastTransitionTime moves only when the status flips. */
final class Conditions {
  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";
  static final String PAUSED = "Paused";
  static final String INVALID = "Invalid";
  /** A guard holds the release (only on Rollouts with spec.guards). */
  static final String HELD = "Held";

  private Conditions() {}

  static void set(List<Condition> conditions, String type, boolean status, String reason, String message,
      Instant now, long generation) {
    String value = status ? "True" : "False";
    Condition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing == null) {
      existing = new Condition();
      existing.setType(type);
      conditions.add(existing);
    }
    if (!value.equals(existing.getStatus())) {
      existing.setLastTransitionTime(Timestamps.format(now));
    }
    existing.setStatus(value);
    existing.setReason(reason);
    existing.setMessage(message);
    existing.setObservedGeneration(generation);
  }
}
