package io.vigie.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.ControlRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The dashboard's web server: pages rendered here from the watch's caches, live updates pushed by
 * server-sent events (a page's script re-reads its live region when its Rollout changes), and the
 * actions of a person, which write the same annotations as the CLI, refused by the same rules.
 * Actions need the session's token (a cookie names the session, the page carries its token); a
 * read-only dashboard offers none and refuses every POST.
 */
public final class DashboardServer implements AutoCloseable {
  static final String SESSION_COOKIE = "vigie-session";
  static final String TOKEN_HEADER = "X-Vigie-Token";
  private static final int MAX_STREAMS = 16;
  /** The threads a server needs for the dashboard: one per live page, a few for the pages themselves. */
  public static final int THREADS = MAX_STREAMS + 4;
  private static final long PING_SECONDS = 15;

  private final KubernetesClient client;
  private final RolloutWatch watch;
  private final Clock clock;
  private final boolean readOnly;
  private final String scope;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final Semaphore streams = new Semaphore(MAX_STREAMS);
  private HttpServer server;
  private ExecutorService executor;

  private DashboardServer(KubernetesClient client, Optional<String> namespace, Clock clock, boolean readOnly) {
    this.client = client;
    this.clock = clock;
    this.readOnly = readOnly;
    this.scope = namespace.map(ns -> "namespace " + ns).orElse("all namespaces");
    this.watch = new RolloutWatch(client, namespace, clock);
  }

  /** Serves on {@code address} (port 0: a free one) with the user's credentials in {@code client}. */
  public static DashboardServer start(KubernetesClient client, Optional<String> namespace, InetSocketAddress address,
      boolean readOnly, Clock clock) {
    DashboardServer dashboard = new DashboardServer(client, namespace, clock, readOnly);
    try {
      dashboard.server = HttpServer.create(address, 0);
    } catch (IOException e) {
      dashboard.watch.close();
      throw new UncheckedIOException("cannot serve the dashboard on " + address.getHostString() + ":" + address.getPort() + ": "
          + e.getMessage(), e);
    }
    dashboard.executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "vigie-dashboard");
      t.setDaemon(true);
      return t;
    });
    dashboard.server.setExecutor(dashboard.executor);
    dashboard.mount(dashboard.server);
    dashboard.server.start();
    return dashboard;
  }

  /** The dashboard's pages on another server (the operator's ops port), read-only. */
  public static DashboardServer mountReadOnly(HttpServer server, KubernetesClient client, Optional<String> namespace,
      Clock clock) {
    DashboardServer dashboard = new DashboardServer(client, namespace, clock, true);
    dashboard.mount(server);
    return dashboard;
  }

  private void mount(HttpServer target) {
    target.createContext("/", this::page);
    target.createContext("/events", this::events);
    target.createContext("/static/", this::asset);
  }

  public URI url() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
  }

  private void page(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
      boolean fragment = "1".equals(query.get("fragment"));
      if ("POST".equals(exchange.getRequestMethod())) {
        act(exchange, path);
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "text/plain", "GET or POST only\n");
        return;
      }
      Optional<String> token = readOnly ? Optional.empty() : Optional.of(session(exchange));
      if (path.equals("/")) {
        String live = OverviewPage.render(watch, query.getOrDefault("namespace", ""), query.getOrDefault("phase", ""),
            clock.instant());
        send(exchange, 200, "text/html", fragment ? live : Page.frame("Rollouts", scope, live, readOnly));
        return;
      }
      String[] parts = path.split("/");
      if (parts.length == 4 && parts[1].equals("rollouts")) {
        Optional<Rollout> rollout = watch.rollout(decode(parts[2]), decode(parts[3]));
        if (rollout.isEmpty()) {
          send(exchange, 404, "text/html", Page.frame("Not found", scope, "<h1>No Rollout " + Html.text(decode(parts[2]) + "/"
              + decode(parts[3])) + "</h1><p><a href=\"/\">All Rollouts</a></p>", readOnly));
          return;
        }
        String live = RolloutPage.render(watch, rollout.get(), clock.instant(), token);
        send(exchange, 200, "text/html", fragment ? live : Page.frame(rollout.get().getMetadata().getName(), scope, live,
            readOnly));
        return;
      }
      send(exchange, 404, "text/plain", "not found\n");
    }
  }

  /** A person's action: the session's token, then the operator's own rule, then the annotation. */
  private void act(HttpExchange exchange, String path) throws IOException {
    boolean fromScript = exchange.getRequestHeaders().getFirst(TOKEN_HEADER) != null;
    if (readOnly) {
      send(exchange, 403, "text/plain", "this dashboard is read-only\n");
      return;
    }
    String[] parts = path.split("/");
    Optional<RolloutPage.Action> action = parts.length == 5 && parts[1].equals("rollouts")
        ? RolloutPage.Action.of(parts[4]) : Optional.empty();
    if (action.isEmpty()) {
      send(exchange, 404, "text/plain", "no such action\n");
      return;
    }
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    }
    String given = fromScript ? exchange.getRequestHeaders().getFirst(TOKEN_HEADER) : form(body).get("token");
    String expected = cookie(exchange).map(tokens::get).orElse(null);
    if (expected == null || given == null || !java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8))) {
      send(exchange, 403, "text/plain", "the action needs this dashboard session's token: reload the page\n");
      return;
    }
    String namespace = decode(parts[2]);
    String name = decode(parts[3]);
    Optional<Rollout> rollout = watch.rollout(namespace, name);
    if (rollout.isEmpty()) {
      send(exchange, 404, "text/plain", "no Rollout " + namespace + "/" + name + "\n");
      return;
    }
    RolloutStatus status = rollout.get().getStatus() == null ? new RolloutStatus() : rollout.get().getStatus();
    Optional<String> refused = ControlRules.refusal(action.get().control, status);
    String message;
    int code;
    if (refused.isPresent()) {
      code = 409;
      message = namespace + "/" + name + ": " + refused.get();
    } else {
      String annotation = action.get().control.annotation();
      try {
        client.resources(Rollout.class).inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
            action.get().control.requestPatch(action.get().value));
        code = 200;
        message = namespace + "/" + name + ": requested " + annotation + "=" + action.get().value;
      } catch (KubernetesClientException e) {
        code = e.getCode() == 403 ? 403 : 502;
        message = namespace + "/" + name + ": the API server refused " + annotation + " (HTTP " + e.getCode() + "): "
            + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
      }
    }
    if (fromScript) {
      send(exchange, code, "text/plain", message + "\n");
    } else {
      exchange.getResponseHeaders().set("Location", "/rollouts/" + Html.segment(namespace) + "/" + Html.segment(name));
      send(exchange, 303, "text/plain", message + "\n");
    }
  }

  /** Server-sent events: the key of each Rollout that changed ("namespace/name"), a ping every 15 s. */
  private void events(HttpExchange exchange) throws IOException {
    if (!streams.tryAcquire()) {
      try (exchange) {
        send(exchange, 503, "text/plain", "too many open dashboards on this server\n");
      }
      return;
    }
    LinkedBlockingQueue<String> changed = new LinkedBlockingQueue<>(1000);
    Consumer<String> listener = changed::offer;
    watch.onChange(listener);
    try (exchange; OutputStream out = exchange.getResponseBody()) {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, 0);
      out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (!Thread.currentThread().isInterrupted()) {
        String key = changed.poll(PING_SECONDS, TimeUnit.SECONDS);
        out.write((key == null ? ": ping\n\n" : "data: " + key.replace("\n", " ") + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the page went away (or the server stops): nothing to tell it
    } finally {
      watch.removeListener(listener);
      streams.release();
    }
  }

  private void asset(HttpExchange exchange) throws IOException {
    try (exchange) {
      String file = exchange.getRequestURI().getPath().substring("/static/".length());
      String type = file.equals("app.js") ? "text/javascript" : file.equals("style.css") ? "text/css" : null;
      if (type == null) {
        send(exchange, 404, "text/plain", "not found\n");
        return;
      }
      try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + file)) {
        send(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  /** The browser's session (a new one gets its cookie), and its token for the page's forms. */
  private String session(HttpExchange exchange) {
    String session = cookie(exchange).filter(tokens::containsKey).orElse(null);
    if (session == null) {
      session = randomHex();
      tokens.put(session, randomHex());
      exchange.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
    }
    return tokens.get(session);
  }

  private static Optional<String> cookie(HttpExchange exchange) {
    for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
      for (String part : header.split(";")) {
        String[] kv = part.trim().split("=", 2);
        if (kv.length == 2 && kv[0].equals(SESSION_COOKIE)) {
          return Optional.of(kv[1]);
        }
      }
    }
    return Optional.empty();
  }

  private String randomHex() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      values.put(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
    }
    return values;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; "
        + "img-src 'self' data:; frame-ancestors 'none'");
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(code, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
    if (!head && bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    watch.close();
  }
}
