package io.vigie.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigie.metrics.OperatorMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoint for Prometheus and the kubelet: {@code /metrics} (Prometheus text
 * format), {@code /healthz} (liveness) and {@code /readyz} (readiness), on all interfaces.
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private OpsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Serves on this port; 0 picks a free one (see {@link #port()}). */
  public static OpsServer start(int port, OperatorMetrics metrics, OperatorHealth health) {
    return start(port, metrics, health, 0);
  }

  /**
   * With {@code extraThreads} for what is mounted beside (the dashboard's live pages hold a thread
   * each), so that the kubelet's probes always find one free.
   */
  public static OpsServer start(int port, OperatorMetrics metrics, OperatorHealth health, int extraThreads) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
      server.createContext("/metrics", exchange -> {
        if (!"GET".equals(exchange.getRequestMethod())) {
          answer(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
          return;
        }
        answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
      });
      server.createContext("/healthz", exchange -> check(exchange, health::liveness));
      server.createContext("/readyz", exchange -> check(exchange, health::readiness));
      ExecutorService executor = Executors.newFixedThreadPool(2 + extraThreads, r -> {
        Thread t = new Thread(r, "vigie-http");
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      server.start();
      return new OpsServer(server, executor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics and health on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** More pages on this server (the read-only dashboard): what {@code mount} returns. */
  public <T> T mount(java.util.function.Function<HttpServer, T> mount) {
    return mount.apply(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void check(HttpExchange exchange, Supplier<OperatorHealth.Check> check) throws IOException {
    OperatorHealth.Check result;
    try {
      result = check.get();
    } catch (RuntimeException e) {
      result = new OperatorHealth.Check(false, "check failed: " + e);
    }
    answer(exchange, result.ok() ? 200 : 503, "text/plain; charset=utf-8", (result.ok() ? "ok: " : "not ok: ") + result.message() + "\n");
  }

  private static void answer(HttpExchange exchange, int code, String type, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
