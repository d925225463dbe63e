package io.vigie.playground;

import java.util.Optional;

/**
 * The data plane's JSON statistics ({@code /stats}), read by the web provider: what the playground
 * uses when no Prometheus is installed. Only complete scrape intervals are visible, as they would be
 * in a Prometheus.
 */
final class DataPlaneStats implements MetricsBackend {
  private final DataPlane dataPlane;

  DataPlaneStats(DataPlane dataPlane) {
    this.dataPlane = dataPlane;
  }

  @Override
  public String describe() {
    return "the data plane's statistics, " + dataPlane.address() + "/stats?role=canary, through the web provider";
  }

  @Override
  public String kind() {
    return "web";
  }

  @Override
  public String errorRateProvider() {
    return "{web: {url: \"" + dataPlane.address() + "/stats?role=canary&window=60\", jsonPointer: /errorRate, "
        + "requestsJsonPointer: /requests, timeout: 5s}}";
  }

  @Override
  public Optional<String> sideCountersProvider(BadRequests bad) {
    return Optional.empty();
  }

  @Override
  public String latencyProvider() {
    return "{web: {url: \"" + dataPlane.address() + "/stats?role=canary&window=60\", jsonPointer: /p99, "
        + "requestsJsonPointer: /requests, timeout: 5s}}";
  }

  @Override
  public void goDown() {
    dataPlane.metricsOutage(true);
  }

  @Override
  public void close() {
    dataPlane.metricsOutage(false);
  }
}
