package io.vigie.api.v1alpha1;

/** The verdict on a metric or an analysis run so far. */
public enum AnalysisPhase {
  Running,
  Successful,
  Failed,
  Inconclusive,
  Error
}
