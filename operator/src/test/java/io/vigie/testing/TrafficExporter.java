package io.vigie.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP metrics of a stable and a canary version of an app, in the Prometheus text format of
 * Micrometer's {@code http_server_requests_seconds} histogram, labelled with the Service that
 * fronts each version. Each version serves a set rate of requests with a set error ratio and
 * latency; the counters grow with real time between scrapes, as a live app's would.
 */
public final class TrafficExporter implements AutoCloseable {
  static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

  /** How one version behaves. A version with rps 0 has served nothing and exports no series. */
  public record Behaviour(double rps, double errorRatio, double latencySeconds) {}

  private final HttpServer server;
  private final Map<String, Behaviour> behaviour = new LinkedHashMap<>();
  private final Map<String, Series> series = new LinkedHashMap<>();
  private long last = System.nanoTime();

  private static final class Series {
    double ok;
    double errors;
    double sum;
  }

  public TrafficExporter() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/metrics", exchange -> {
      byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Sets how the version behind this Service behaves from now on. */
  public synchronized void set(String service, Behaviour b) {
    advance();
    behaviour.put(service, b);
  }

  private void advance() {
    long now = System.nanoTime();
    double seconds = (now - last) / 1e9;
    last = now;
    behaviour.forEach((service, b) -> {
      if (b.rps() <= 0) {
        return;
      }
      Series s = series.computeIfAbsent(service, k -> new Series());
      double requests = b.rps() * seconds;
      s.errors += requests * b.errorRatio();
      s.ok += requests * (1 - b.errorRatio());
      s.sum += requests * b.latencySeconds();
    });
  }

  private synchronized String scrape() {
    advance();
    StringBuilder out = new StringBuilder("# TYPE http_server_requests_seconds histogram\n");
    series.forEach((service, s) -> {
      double latency = behaviour.get(service).latencySeconds();
      write(out, service, "200", s.ok, s.sum * (s.ok / Math.max(1e-9, s.ok + s.errors)), latency);
      write(out, service, "500", s.errors, s.sum * (s.errors / Math.max(1e-9, s.ok + s.errors)), latency);
    });
    return out.toString();
  }

  private static void write(StringBuilder out, String service, String status, double count, double sum, double latency) {
    String labels = "service=\"" + service + "\",status=\"" + status + "\"";
    for (double le : BUCKETS) {
      out.append(line("http_server_requests_seconds_bucket{" + labels + ",le=\"" + le + "\"}", latency <= le ? count : 0));
    }
    out.append(line("http_server_requests_seconds_bucket{" + labels + ",le=\"+Inf\"}", count));
    out.append(line("http_server_requests_seconds_count{" + labels + "}", count));
    out.append(line("http_server_requests_seconds_sum{" + labels + "}", sum));
  }

  private static String line(String name, double value) {
    return name + " " + String.format(Locale.ROOT, "%.6f", value) + "\n";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
