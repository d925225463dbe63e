package io.vigie.playground;

/** One ReplicaSet's ready pods behind a Service of the data plane. */
record Endpoint(String replicaSet, String image, DataPlane.Role role, int ready) {
  boolean canary() {
    return role == DataPlane.Role.CANARY;
  }
}
