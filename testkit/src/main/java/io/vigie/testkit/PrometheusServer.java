package io.vigie.testkit;

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
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's {@code prometheus} binary) on a free loopback port, scraping
 * the given targets (every second for the tests; faster for the playground, whose clock runs sped
 * up). Tests that need it fail, with the way to install it, when the binary is missing: they never
 * skip.
 */
public final class PrometheusServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private PrometheusServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** The binary: {@code $VIGIE_PROMETHEUS}, else {@code prometheus} on the PATH. */
  public static Optional<Path> find() {
    String configured = System.getenv("VIGIE_PROMETHEUS");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "prometheus");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The binary, or a failure that says how to install it (a test that needs it never skips). */
  public static Path binary() {
    return find().orElseThrow(() -> new AssertionError("the analysis tests need a real Prometheus server and none is "
        + "installed: run ./scripts/test (it installs it), or apt-get install prometheus, or set VIGIE_PROMETHEUS to the binary"));
  }

  /** Scrapes these targets ({@code host:port}) every second, with the binary {@link #binary()} finds. */
  public static PrometheusServer start(String... targets) {
    return start(binary(), Duration.ofSeconds(1), List.of(targets));
  }

  /** Scrapes these targets ({@code host:port}) at this interval (at least 50 ms), with this binary. */
  public static PrometheusServer start(Path binary, Duration scrapeInterval, List<String> targets) {
    long scrapeMillis = Math.max(50, scrapeInterval.toMillis());
    try {
      Path dir = Files.createTempDirectory("vigie-prometheus");
      // A scrape may take no longer than the interval: Prometheus refuses a longer timeout.
      String config = """
          global:
            scrape_interval: %1$dms
            scrape_timeout: %1$dms
            evaluation_interval: %1$dms
          scrape_configs:
            - job_name: app
              static_configs:
                - targets: [%2$s]
          """.formatted(scrapeMillis, String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()));
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
        throw new IllegalStateException("prometheus exited: " + log());
      }
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(address() + "/-/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    });
  }

  /** Waits until a query returns at least one sample: the scrapes have started to land. */
  public void awaitData(String promql) {
    awaitData(promql, Duration.ofSeconds(30));
  }

  public void awaitData(String promql, Duration limit) {
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(limit).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
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

  /** The end of its log, for an error message. */
  public String log() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"), java.nio.charset.StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(no log)";
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
      // A temporary directory left behind is not worth failing a test or a demo for.
    }
  }
}
