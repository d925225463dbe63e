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
    return objects(steps, interval, gatewayApi, metrics, judge, java.util.Optional.empty());
  }

  /**
   * The same, with a surge guard reading this provider when present: the release holds while the
   * users' traffic is above twice its rate before the release (docs/guards.md).
   */
  static String objects(String steps, String interval, boolean gatewayApi, MetricsBackend metrics, Judge judge,
      java.util.Optional<String> surgeGuard) {
    return objects(steps, interval, gatewayApi, metrics, judge, surgeGuard, java.util.Optional.empty());
  }

  /** The hey command a quiet service's load test runs against the canary: 6 requests a second for 30 s. */
  static final String LOAD_TEST = "hey -z 30s -c 2 -q 3 http://web-canary." + Playground.NS + "/";

  /**
   * The same, with a loadTest gate calling the loadtester at this URL every 30 s while the canary runs
   * its steps, when present (docs/gates.md).
   */
  static String objects(String steps, String interval, boolean gatewayApi, MetricsBackend metrics, Judge judge,
      java.util.Optional<String> surgeGuard, java.util.Optional<String> loadTester) {
    String template = switch (judge) {
      // With a guard, a metrics gap should hold the steps, not end the analysis at its first empty answer.
      case THRESHOLD -> thresholdTemplate(interval, metrics, surgeGuard.isPresent() ? "\n  inconclusiveLimit: 4" : "");
      case SEQUENTIAL -> sequentialTemplate(metrics);
      case COMPARE -> compareTemplate(metrics);
      case FLAGGER_TUTORIAL -> flaggerTutorialTemplate(metrics);
      case ARGO_DOCS -> argoDocsTemplate(metrics);
    };
    return template + """
        ---
        apiVersion: vigie.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          targetRef: {kind: Deployment, name: web}
          service: {name: web, port: 80}
          progressDeadlineSeconds: 300%2$s%4$s%5$s
          analysis:
            templates: [{name: app-health}]
          strategy:
            canary:%3$s
              steps:
        %1$s
        """.formatted(judge.steps(steps).indent(8).stripTrailing(),
            gatewayApi ? "\n  trafficRouting: {gatewayAPI: {httpRoute: web}}" : "",
            judge.baseline ? "\n      baseline: {enabled: true}" : "",
            surgeGuard.map(p -> "\n  guards:\n    surge: {provider: " + p + ", factor: 2, window: 2m, interval: 15s}").orElse(""),
            loadTester.map(url -> "\n  gates:\n    - {name: load, type: loadTest, url: \"" + url + "\", interval: 30s, "
                + "metadata: {cmd: \"" + LOAD_TEST + "\"}}").orElse(""));
  }

  /**
   * A blue-green release judged by the threshold template on live traffic after the switch: green
   * switches in 30 s once ready, its post-promotion analysis measures every {@code interval} (4
   * measurements), and blue stays warm 2 minutes (docs/blue-green.md).
   */
  static String blueGreen(String interval, boolean gatewayApi, MetricsBackend metrics) {
    return thresholdTemplate(interval, metrics, "\n  count: 4") + """
        ---
        apiVersion: vigie.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          targetRef: {kind: Deployment, name: web}
          service: {name: web, port: 80}
          progressDeadlineSeconds: 300%s
          strategy:
            blueGreen:
              autoPromotionSeconds: 30
              postPromotionAnalysis:
                templates: [{name: app-health}]
              scaleDownDelaySeconds: 120
        """.formatted(gatewayApi ? "\n  trafficRouting: {gatewayAPI: {httpRoute: web}}" : "");
  }

  /**
   * The canary's p99 and error ratio against the baseline's, point by point over a window (Kayenta's
   * judge), latency counting twice in the score and errors critical.
   */
  private static String compareTemplate(MetricsBackend metrics) {
    MetricsBackend.ComparePoints points = metrics.comparePoints().orElseThrow(() ->
        new IllegalArgumentException("the compare judge reads series over a window: it needs the Prometheus metrics backend"));
    return template("""
        - name: latency-p99
          initialDelay: %1$s
          interval: 1m
          unit: seconds
          compare: {direction: increase, tolerance: 0.1, confidence: 0.98, window: %2$s, step: %3$s, weight: 2}
          provider: %4$s
        - name: error-ratio
          initialDelay: %1$s
          interval: 1m
          unit: ratio
          compare: {direction: increase, tolerance: 0.1, confidence: 0.98, window: %2$s, step: %3$s, criticality: critical}
          provider: %5$s
        """.formatted(points.initialDelay(), points.window(), points.step(), points.latencyProvider(), points.errorProvider()));
  }

  /**
   * Flagger's tutorial analysis (Judge#FLAGGER_TUTORIAL): success rate at least 99% every minute,
   * p99 at most 500 ms every 30 s; its threshold of 5 failed checks is failureLimit 4.
   */
  private static String flaggerTutorialTemplate(MetricsBackend metrics) {
    return template("""
        - name: request-success-rate
          initialDelay: 1m
          interval: 1m
          failureLimit: 4
          thresholdRange: {max: 0.01}
          unit: ratio
          provider: %1$s
        - name: request-duration
          initialDelay: 30s
          interval: 30s
          failureLimit: 4
          thresholdRange: {max: 0.5}
          unit: seconds
          provider: %2$s
        """.formatted(metrics.errorRateProvider(), metrics.latencyProvider()));
  }

  /** Argo Rollouts' documented background analysis (Judge#ARGO_DOCS): success rate at least 95% every 5m, failureLimit 3. */
  private static String argoDocsTemplate(MetricsBackend metrics) {
    return template("""
        - name: success-rate
          initialDelay: 5m
          interval: 5m
          failureLimit: 3
          thresholdRange: {max: 0.05}
          unit: ratio
          provider: %s
        """.formatted(metrics.errorRateProvider()));
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

  private static String thresholdTemplate(String interval, MetricsBackend metrics, String limits) {
    return template("""
        - name: error-rate
          initialDelay: %1$s
          interval: %1$s
          failureLimit: 1%4$s
          minRequests: 20
          thresholdRange: {max: 0.05}
          unit: ratio
          provider: %2$s
        - name: latency-p99
          initialDelay: %1$s
          interval: %1$s
          failureLimit: 1%4$s
          minRequests: 20
          thresholdRange: {max: 0.3}
          unit: seconds
          provider: %3$s
        """.formatted(interval, metrics.errorRateProvider(), metrics.latencyProvider(), limits));
  }
}
