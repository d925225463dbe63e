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
  /**
   * The kstatus conventions Flux, cli-utils and `kubectl wait --for=condition=Ready` read
   * (docs/integrations.md): Ready when the newest revision serves all traffic, Reconciling while a
   * release (or an adoption) is in flight, Stalled when it ended badly and waits for a person.
   */
  static final String READY = "Ready";
  static final String RECONCILING = "Reconciling";
  static final String STALLED = "Stalled";

  private Conditions() {}

  /**
   * Ready, Reconciling and Stalled, exactly one of them True: {@code done} (Healthy on the newest
   * revision), {@code stalled} (rolled back, invalid, a promotion past its deadline), else in flight.
   */
  static void setKstatus(List<Condition> conditions, boolean done, boolean stalled, String reason, String message, Instant now,
      long generation) {
    boolean reconciling = !done && !stalled;
    set(conditions, READY, done, reason, message, now, generation);
    set(conditions, RECONCILING, reconciling, reconciling ? reason : done ? "Ready" : "Stalled", reconciling ? message : "", now,
        generation);
    set(conditions, STALLED, stalled, stalled ? reason : "NotStalled", stalled ? message : "", now, generation);
  }

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
