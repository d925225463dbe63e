package io.vigie.playground;

/**
 * The Vigie objects of a playground release: the analysis templates (error rate and p99 latency of
 * the canary's pods, from the playground's metrics backend) and a Rollout with these canary steps.
 */
final class Release {
  private Release() {}

  /**
   * @param steps the canary steps, as YAML list items
   * @param interval time between measurements
   */
  static String objects(String steps, String interval, MetricsBackend metrics) {
    return objects(steps, interval, false, metrics);
  }

  /** The same, with the Rollout's traffic through the HTTPRoute web when {@code gatewayApi}. */
  static String objects(String steps, String interval, boolean gatewayApi, MetricsBackend metrics) {
    return objects(steps, interval, gatewayApi, metrics, Judge.THRESHOLD);
  }

  /**
   * The same, judged by {@code judge}. The sequential judge measures at every scrape (15 s), errors
   * and requests slower than 0.3 s, each against the stable side's, and needs a backend with
   * counters (Prometheus).
   */
  static String objects(String steps, String interval, boolean gatewayApi, MetricsBackend metrics, Judge judge) {
    String template = judge == Judge.THRESHOLD ? thresholdTemplate(interval, metrics) : sequentialTemplate(metrics);
    return template + """
        ---
        apiVersion: vigie.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          targetRef: {kind: Deployment, name: web}
          service: {name: web, port: 80}
          progressDeadlineSeconds: 300%2$s
          analysis:
            templates: [{name: app-health}]
          strategy:
            canary:
              steps:
        %1$s
        """.formatted(steps.indent(8).stripTrailing(), gatewayApi ? "\n  trafficRouting: {gatewayAPI: {httpRoute: web}}" : "");
  }

  /** The AnalysisTemplate app-health with these metrics (YAML list items). */
  private static String template(String metrics) {
    return """
        apiVersion: vigie.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: app-health}
        spec:
          metrics:
        %s
        """.formatted(metrics.indent(4).stripTrailing());
  }

  /** 5xx and requests over 0.3 s, each an errorRate metric read at every scrape (15 s). */
  private static String sequentialTemplate(MetricsBackend metrics) {
    StringBuilder items = new StringBuilder();
    for (MetricsBackend.BadRequests bad : MetricsBackend.BadRequests.values()) {
      String provider = metrics.sideCountersProvider(bad).orElseThrow(() ->
          new IllegalArgumentException("the sequential judge reads counters: it needs the Prometheus metrics backend"));
      items.append("""
          - name: %s
            interval: 15s
            errorRate: {tolerance: 0.1, confidence: 0.98, minRequests: 20}
            provider: %s
          """.formatted(bad == MetricsBackend.BadRequests.ERRORS ? "errors" : "slow-requests", provider));
    }
    return template(items.toString());
  }

  private static String thresholdTemplate(String interval, MetricsBackend metrics) {
    return template("""
        - name: error-rate
          initialDelay: %1$s
          interval: %1$s
          failureLimit: 1
          minRequests: 20
          thresholdRange: {max: 0.05}
          unit: ratio
          provider: %2$s
        - name: latency-p99
          initialDelay: %1$s
          interval: %1$s
          failureLimit: 1
          minRequests: 20
          thresholdRange: {max: 0.3}
          unit: seconds
          provider: %3$s
        """.formatted(interval, metrics.errorRateProvider(), metrics.latencyProvider()));
  }
}
