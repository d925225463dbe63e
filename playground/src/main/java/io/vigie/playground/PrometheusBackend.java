package io.vigie.playground;

import io.vigie.testkit.PrometheusServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The analysis' metrics from a real Prometheus scraping the data plane's {@code /metrics}. It runs
 * in real time while the playground's clock runs {@code speed} times faster, so its scrape interval
 * and the queries' rate windows are the simulated ones divided by the speed: a 15 s scrape and a
 * 1 m window at 60x are 250 ms and 1 s of Prometheus time.
 */
final class PrometheusBackend implements MetricsBackend {
  private static final double WINDOW_SECONDS = 60;

  /** Points a comparison needs a side. */
  private static final int COMPARE_POINTS = 6;

  private final PrometheusServer server;
  private final long windowMillis;
  private final double speed;

  private PrometheusBackend(PrometheusServer server, long windowMillis, double speed) {
    this.server = server;
    this.windowMillis = windowMillis;
    this.speed = speed;
  }

  static PrometheusBackend start(Path binary, String dataPlane, double speed, long scrapeSeconds) {
    long scrapeMillis = Math.max(50, Math.round(scrapeSeconds * 1000 / speed));
    long windowMillis = Math.max(4 * scrapeMillis, Math.round(WINDOW_SECONDS * 1000 / speed));
    PrometheusServer server = PrometheusServer.start(binary, Duration.ofMillis(scrapeMillis),
        List.of(URI.create(dataPlane).getAuthority()));
    try {
      // Scraped once: a query of the analysis finds its series from the first measurement on.
      server.awaitData("up == 1", Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      String log = server.log();
      server.close();
      throw new IllegalStateException("Prometheus did not scrape the data plane within 60s: " + log, e);
    }
    return new PrometheusBackend(server, windowMillis, speed);
  }

  @Override
  public String describe() {
    return "Prometheus at " + server.address() + ", scraping the data plane's /metrics (intervals and windows divided by the speed)";
  }

  @Override
  public String kind() {
    return "prometheus";
  }

  @Override
  public String errorRateProvider() {
    String w = windowMillis + "ms";
    return provider("sum(rate(http_requests_total{role=\"canary\",code=~\"5..\"}[" + w + "]))"
        + " / sum(rate(http_requests_total{role=\"canary\"}[" + w + "]))", w);
  }

  @Override
  public String latencyProvider() {
    String w = windowMillis + "ms";
    return provider("histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{role=\"canary\"}[" + w + "])))", w);
  }

  @Override
  public Optional<String> sideCountersProvider(BadRequests bad) {
    String requests = bad == BadRequests.ERRORS ? "sum(http_requests_total{role=\"{{side}}\"})"
        : "sum(http_request_duration_seconds_count{role=\"{{side}}\"})";
    String badOnes = bad == BadRequests.ERRORS ? "sum(http_requests_total{role=\"{{side}}\",code=~\"5..\"}) or vector(0)"
        : requests + " - sum(http_request_duration_seconds_bucket{role=\"{{side}}\",le=\"0.3\"})";
    return Optional.of("{prometheus: {address: \"" + server.address() + "\", query: '" + badOnes + "', requestsQuery: '"
        + requests + "', timeout: 5s}}");
  }

  /**
   * Points 1 s apart in Prometheus' time (a compare step is at least 1 s), six of them: at 60x, a
   * point a simulated minute and a 6-minute window, so the comparison starts 6 minutes in.
   */
  @Override
  public Optional<ComparePoints> comparePoints() {
    String w = windowMillis + "ms";
    long windowSeconds = COMPARE_POINTS - 1;
    long delaySeconds = Math.max(60, Math.round((windowSeconds + 1) * speed));
    String latency = "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{role=\"{{side}}\"}[" + w
        + "])))";
    String errors = "(sum(rate(http_requests_total{role=\"{{side}}\",code=~\"5..\"}[" + w + "])) or vector(0)) / "
        + "sum(rate(http_requests_total{role=\"{{side}}\"}[" + w + "]))";
    return Optional.of(new ComparePoints(delaySeconds + "s", windowSeconds + "s", "1s", plain(latency), plain(errors)));
  }

  private String plain(String query) {
    return "{prometheus: {address: \"" + server.address() + "\", query: '" + query + "', timeout: 5s}}";
  }

  private String provider(String query, String window) {
    return "{prometheus: {address: \"" + server.address() + "\", query: '" + query + "', requestsQuery: '"
        + "sum(increase(http_requests_total{role=\"canary\"}[" + window + "]))', timeout: 5s}}";
  }

  @Override
  public void goDown() {
    server.stop();
  }

  @Override
  public void close() {
    server.close();
  }
}
