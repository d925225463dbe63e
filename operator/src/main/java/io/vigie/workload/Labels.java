package io.vigie.workload;

/** The labels and annotations Vigie puts on the objects it owns. */
public final class Labels {
  public static final String ROLE = "vigie.io/role";
  public static final String REVISION = "vigie.io/revision";
  /**
   * On Vigie's objects, the label naming their Rollout; on a user's Deployment, the annotation naming
   * the Rollout that adopted it (the only one that may pause and unpause it).
   */
  public static final String ROLLOUT = "vigie.io/rollout";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String POD_TEMPLATE_HASH = "pod-template-hash";
  public static final String CANARY = "canary";
  public static final String STABLE = "stable";
  public static final String BASELINE = "baseline";
  /** The Vigie-owned preview Service of a blue-green release (its green pods carry the canary role). */
  public static final String PREVIEW = "preview";

  private Labels() {}
}
