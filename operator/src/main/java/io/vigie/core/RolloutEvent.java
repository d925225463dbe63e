package io.vigie.core;

/** A Kubernetes Event the reconciler records on the Rollout after writing its status. */
public record RolloutEvent(Type type, String reason, String message) {
  public enum Type { Normal, Warning }

  public static RolloutEvent normal(String reason, String message) {
    return new RolloutEvent(Type.Normal, reason, message);
  }

  public static RolloutEvent warning(String reason, String message) {
    return new RolloutEvent(Type.Warning, reason, message);
  }
}
