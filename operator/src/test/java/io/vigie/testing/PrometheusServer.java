package io.vigie.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's {@code prometheus} binary) on a free loopback port, scraping
 * the given targets every second. Tests that need it fail, with the way to install it, when the
 * binary is missing: they never skip.
 */
public final class PrometheusServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private PrometheusServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static Path binary() {
    for (String candidate : List.of(System.getenv().getOrDefault("VIGIE_PROMETHEUS", ""), "/usr/bin/prometheus")) {
      if (!candidate.isEmpty() && new File(candidate).canExecute()) {
        return Path.of(candidate);
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "prometheus");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError("the analysis tests need a real Prometheus server and none is installed: run ./scripts/test "
        + "(it installs it), or apt-get install prometheus, or set VIGIE_PROMETHEUS to the binary");
  }

  public static PrometheusServer start(String... targets) {
    Path binary = binary();
    try {
      Path dir = Files.createTempDirectory("vigie-prometheus");
      String config = """
          global:
            scrape_interval: 1s
            evaluation_interval: 1s
          scrape_configs:
            - job_name: app
              static_configs:
                - targets: [%s]
          """.formatted(String.join(", ", Stream.of(targets).map(t -> "'" + t + "'").toList()));
      Files.writeString(dir.resolve("prometheus.yml"), config);
      PrometheusServer server = new PrometheusServer(dir, freePort());
      server.process = new ProcessBuilder(binary.toString(),
          "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + server.port,
          "--log.level=warn")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("prometheus.log").toFile())
          .start();
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String address() {
    return "http://127.0.0.1:" + port;
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
      }
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(address() + "/-/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    });
  }

  /** Waits until a query returns at least one sample: the scrapes have started to land. */
  public void awaitData(String promql) {
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
      String body = http.send(HttpRequest.newBuilder(URI.create(address() + "/api/v1/query?query="
          + java.net.URLEncoder.encode(promql, java.nio.charset.StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return body.contains("\"value\"");
    });
  }

  /** Stops the server, as an outage of the monitoring would. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
