package io.vigie.playground;

/**
 * One side's requests since the start (canary or stable), as an instrumented app exports them for
 * Prometheus: http_requests_total by code and the http_request_duration_seconds histogram.
 */
final class ExportedRequests {
  private static final double[] BOUNDS = {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5};
  private long ok;
  private long errors;
  private double sum;
  private final long[] buckets = new long[BOUNDS.length];

  synchronized void add(AppVersion.Response r) {
    if (r.status() >= 500) {
      errors++;
    } else {
      ok++;
    }
    sum += r.latencySeconds();
    for (int i = 0; i < BOUNDS.length; i++) {
      if (r.latencySeconds() <= BOUNDS[i]) {
        buckets[i]++;
      }
    }
  }

  synchronized void counters(String role, StringBuilder text) {
    text.append("http_requests_total{role=\"").append(role).append("\",code=\"200\"} ").append(ok).append('\n');
    text.append("http_requests_total{role=\"").append(role).append("\",code=\"503\"} ").append(errors).append('\n');
  }

  synchronized void histogram(String role, StringBuilder text) {
    for (int i = 0; i < BOUNDS.length; i++) {
      text.append("http_request_duration_seconds_bucket{role=\"").append(role).append("\",le=\"").append(BOUNDS[i])
          .append("\"} ").append(buckets[i]).append('\n');
    }
    text.append("http_request_duration_seconds_bucket{role=\"").append(role).append("\",le=\"+Inf\"} ").append(ok + errors).append('\n');
    text.append("http_request_duration_seconds_sum{role=\"").append(role).append("\"} ").append(sum).append('\n');
    text.append("http_request_duration_seconds_count{role=\"").append(role).append("\"} ").append(ok + errors).append('\n');
  }
}
