package io.vigie.traffic;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Reads a route object, turning a refusal by RBAC into a problem a person can fix. */
final class RouteReads {
  private RouteReads() {}

  static <T> Optional<T> get(Supplier<T> read, String object, String resource, List<String> problems) {
    try {
      return Optional.ofNullable(read.get());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        problems.add("Vigie may not read " + object + " (403 Forbidden): grant its ServiceAccount get and update on "
            + resource + " (see docs/traffic.md)");
        return Optional.empty();
      }
      throw e;
    }
  }
}
