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
    return """
        apiVersion: vigie.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: app-health}
        spec:
          metrics:
            - name: error-rate
              initialDelay: %1$s
              interval: %1$s
              failureLimit: 1
              minRequests: 20
              thresholdRange: {max: 0.05}
              unit: ratio
              provider: %4$s
            - name: latency-p99
              initialDelay: %1$s
              interval: %1$s
              failureLimit: 1
              minRequests: 20
              thresholdRange: {max: 0.3}
              unit: seconds
              provider: %5$s
        ---
        apiVersion: vigie.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          targetRef: {kind: Deployment, name: web}
          service: {name: web, port: 80}
          progressDeadlineSeconds: 300%3$s
          analysis:
            templates: [{name: app-health}]
          strategy:
            canary:
              steps:
        %2$s
        """.formatted(interval, steps.indent(8).stripTrailing(), gatewayApi ? "\n  trafficRouting: {gatewayAPI: {httpRoute: web}}" : "",
        metrics.errorRateProvider(), metrics.latencyProvider());
  }
}
