package io.vigie.analysis.provider;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** An HTTP server on loopback that answers what a test sets, and records what it was asked. */
final class FakeHttpServer implements AutoCloseable {
  record Request(String method, String path, String body, Map<String, List<String>> headers) {}

  private final HttpServer server;
  private volatile int status = 200;
  private volatile String body = "{}";
  private volatile CountDownLatch hang;
  final List<Request> requests = new ArrayList<>();

  FakeHttpServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (requests) {
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), requestBody,
            Map.copyOf(exchange.getRequestHeaders())));
      }
      CountDownLatch latch = hang;
      if (latch != null) {
        try {
          latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void answer(int status, String body) {
    this.status = status;
    this.body = body;
  }

  /** Holds every answer until {@link #release()}, as a server that stopped answering. */
  void hang() {
    hang = new CountDownLatch(1);
  }

  void release() {
    if (hang != null) {
      hang.countDown();
    }
  }

  Request last() {
    synchronized (requests) {
      return requests.get(requests.size() - 1);
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
