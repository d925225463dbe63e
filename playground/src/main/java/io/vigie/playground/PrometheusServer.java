package io.vigie.playground;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus scraping the data plane's {@code /metrics}. It runs in real time while the
 * playground's clock runs {@code speed} times faster, so its scrape interval and the queries' rate
 * windows are the simulated ones divided by the speed: a 15 s scrape and a 1 m window at 60x are
 * 250 ms and 1 s of Prometheus time.
 */
final class PrometheusServer implements MetricsBackend {
  private static final double WINDOW_SECONDS = 60;

  private final Process process;
  private final Path dir;
  private final String address;
  private final long windowMillis;

  private PrometheusServer(Process process, Path dir, String address, long windowMillis) {
    this.process = process;
    this.dir = dir;
    this.address = address;
    this.windowMillis = windowMillis;
  }

  static PrometheusServer start(Path binary, String dataPlane, double speed, long scrapeSeconds) throws IOException, InterruptedException {
    long scrapeMillis = Math.max(50, Math.round(scrapeSeconds * 1000 / speed));
    long windowMillis = Math.max(4 * scrapeMillis, Math.round(WINDOW_SECONDS * 1000 / speed));
    Path dir = Files.createTempDirectory("vigie-playground-prometheus");
    int port = freePort();
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: %1$dms
          scrape_timeout: %1$dms
        scrape_configs:
          - job_name: playground-web
            static_configs: [{targets: ["%2$s"]}]
        """.formatted(scrapeMillis, URI.create(dataPlane).getAuthority()), StandardCharsets.UTF_8);
    Process process = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    PrometheusServer server = new PrometheusServer(process, dir, "http://127.0.0.1:" + port, windowMillis);
    server.awaitFirstScrape();
    return server;
  }

  /** Waits until Prometheus is up and has scraped the data plane once, so a query can find its series. */
  private void awaitFirstScrape() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    URI query = URI.create(address + "/api/v1/query?query=up%7Bjob%3D%22playground-web%22%7D");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Prometheus exited with " + process.exitValue() + ": " + log());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(query).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"value\":[") && r.body().contains(",\"1\"]")) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException("Prometheus did not scrape the data plane within 60s: " + log());
  }

  @Override
  public String describe() {
    return "Prometheus at " + address + ", scraping the data plane's /metrics (intervals and windows divided by the speed)";
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

  private String provider(String query, String window) {
    return "{prometheus: {address: \"" + address + "\", query: '" + query + "', requestsQuery: '"
        + "sum(increase(http_requests_total{role=\"canary\"}[" + window + "]))', timeout: 5s}}";
  }

  @Override
  public void goDown() {
    stop();
  }

  private String log() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind is not worth failing a demo for.
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
