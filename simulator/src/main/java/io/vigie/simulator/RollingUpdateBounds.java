package io.vigie.simulator;

import io.fabric8.kubernetes.api.model.IntOrString;

/** maxSurge and maxUnavailable as Kubernetes resolves them against a replica count. */
final class RollingUpdateBounds {
  private static final String DEFAULT = "25%";

  private RollingUpdateBounds() {
  }

  /**
   * A count, or a percentage of {@code replicas}: rounded up for maxSurge, down for maxUnavailable,
   * as the Deployment controller does; 25% when unset.
   */
  static int resolve(IntOrString value, int replicas, boolean roundUp) {
    if (value != null && value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value == null || value.getStrVal() == null ? DEFAULT : value.getStrVal().trim();
    try {
      return percentOrCount(text, replicas, roundUp);
    } catch (NumberFormatException e) {
      // The API server's validation refuses such a value; the mock server has none, so use the default.
      return percentOrCount(DEFAULT, replicas, roundUp);
    }
  }

  private static int percentOrCount(String text, int replicas, boolean roundUp) {
    if (!text.endsWith("%")) {
      return Integer.parseInt(text);
    }
    double exact = replicas * Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0;
    return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
  }
}
