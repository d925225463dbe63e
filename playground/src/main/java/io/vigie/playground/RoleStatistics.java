package io.vigie.playground;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the data plane's metrics backends see of the requests served, by the role of the pod that
 * served them: per-second statistics (the JSON a metrics backend answers) and the counters and
 * histogram since the start (what an instrumented app exports for Prometheus).
 */
final class RoleStatistics {
  private final Map<DataPlane.Role, Map<Long, SecondOfRequests>> seconds = new EnumMap<>(DataPlane.Role.class);
  private final Map<DataPlane.Role, ExportedRequests> exported = new EnumMap<>(DataPlane.Role.class);

  RoleStatistics() {
    for (DataPlane.Role role : DataPlane.Role.values()) {
      seconds.put(role, new ConcurrentHashMap<>());
      exported.put(role, new ExportedRequests());
    }
  }

  void add(DataPlane.Role role, long epochSecond, AppVersion.Response response) {
    seconds.get(role).computeIfAbsent(epochSecond, k -> new SecondOfRequests()).add(response);
    exported.get(role).add(response);
  }

  /**
   * Error rate, p99 latency, request count and rate (requests per second) of these roles over the
   * {@code window} seconds before {@code until}, as JSON.
   */
  String json(java.util.Set<DataPlane.Role> roles, long window, long until) {
    SecondOfRequests sum = over(roles, window, until);
    return "{\"requests\": " + sum.requests + ", \"rate\": " + ((double) sum.requests / window) + ", \"errors\": " + sum.errors + ", \"errorRate\": "
        + (sum.requests == 0 ? "null" : Double.toString((double) sum.errors / sum.requests)) + ", \"p99\": "
        + (sum.requests == 0 ? "null" : Double.toString(sum.quantile(0.99))) + "}";
  }

  /** The requests of these roles served in the {@code window} seconds before {@code until}. */
  SecondOfRequests over(java.util.Set<DataPlane.Role> roles, long window, long until) {
    SecondOfRequests sum = new SecondOfRequests();
    for (DataPlane.Role role : roles) {
      Map<Long, SecondOfRequests> ofRole = seconds.get(role);
      for (long s = until - window; s < until; s++) {
        SecondOfRequests one = ofRole.get(s);
        if (one != null) {
          sum.merge(one);
        }
      }
    }
    return sum;
  }

  /**
   * The Prometheus text format of {@code http_requests_total{role,code}} and the histogram
   * {@code http_request_duration_seconds{role}}. Every role is there from the start, at zero, so
   * that a query finds a series before the canary's first request.
   */
  String prometheusText() {
    StringBuilder text = new StringBuilder();
    text.append("# HELP http_requests_total Requests served, by the role of the pod that served them and status code.\n");
    text.append("# TYPE http_requests_total counter\n");
    exported.forEach((role, requests) -> requests.counters(role.word(), text));
    text.append("# HELP http_request_duration_seconds Time to serve a request.\n");
    text.append("# TYPE http_request_duration_seconds histogram\n");
    exported.forEach((role, requests) -> requests.histogram(role.word(), text));
    return text.toString();
  }
}
