package io.vigie.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An HTTP server on loopback that answers what the test says (a function of the request, the JSON a
 * supplier computes at that moment, or a status and body set and changed by the test) and records
 * every request it got, headers included: a metrics endpoint, an attacker's endpoint, a redirecting
 * proxy, a server that echoes what it was sent, one that stops answering ({@link #hang()}).
 */
public final class HttpStub implements AutoCloseable {
  /** A request as the server saw it; header names in lower case. */
  public record Request(String method, String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /** What to answer. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public static Response json(String json) {
      return new Response(200, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    public static Response status(int status, String body) {
      return new Response(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    public static Response redirect(String location) {
      return new Response(302, Map.of("Location", location), new byte[0]);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Response> answer;
  private volatile java.util.concurrent.CountDownLatch hang;

  private HttpStub(Function<Request, Response> initial) {
    this.answer = initial;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      Map<String, List<String>> headers = new java.util.HashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), Map.copyOf(headers),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      requests.add(request);
      java.util.concurrent.CountDownLatch held = hang;
      if (held != null) {
        try {
          held.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Response response = answer.apply(request);
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      } catch (IOException e) {
        // The client hung up early (a body it refused to read whole): what the test checks.
      }
    });
    server.start();
  }

  public static HttpStub answering(Function<Request, Response> answer) {
    return new HttpStub(answer);
  }

  /** Answers every request with the JSON the supplier gives at that moment. */
  public static HttpStub serving(java.util.function.Supplier<String> json) {
    return new HttpStub(request -> Response.json(json.get()));
  }

  /** From now on, answers every request with this status and body. */
  public void answer(int status, String body) {
    answer = request -> Response.status(status, body);
  }

  /** Holds every answer until {@link #release()}, as a server that stopped answering. */
  public void hang() {
    hang = new java.util.concurrent.CountDownLatch(1);
  }

  public void release() {
    java.util.concurrent.CountDownLatch held = hang;
    if (held != null) {
      held.countDown();
    }
  }

  /** The address of a path on it, e.g. url("/stats"). */
  public String url(String path) {
    return url() + path;
  }

  /** Its address, without a path. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The last request it got. */
  public Request last() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
