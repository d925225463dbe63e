package io.vigie.core;

/** A Kubernetes Event the reconciler records on the Rollout after writing its status. */
public record RolloutEvent(Type type, EventReason cause, String message) {
  public enum Type { Normal, Warning }

  /** The Event's reason as Kubernetes shows it. */
  public String reason() {
    return cause.name();
  }

  public static RolloutEvent normal(EventReason reason, String message) {
    return new RolloutEvent(Type.Normal, reason, message);
  }

  public static RolloutEvent warning(EventReason reason, String message) {
    return new RolloutEvent(Type.Warning, reason, message);
  }
}
