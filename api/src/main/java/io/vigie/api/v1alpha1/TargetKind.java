package io.vigie.api.v1alpha1;

public enum TargetKind {
  Deployment
}
