package io.vigie.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigie.api.v1alpha1.Durations;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Flagger's loadtester, on the playground's loopback: a loadTest gate POSTs its payload, and the
 * {@code cmd} of its metadata, a {@code hey} command line, runs against the canary in simulated
 * time: {@code -z} how long, {@code -c} workers, {@code -q} requests a second each. Answers 200 when
 * the load started, 400 saying why a command cannot run (another program, a missing flag, a target
 * other than the canary's Service).
 */
final class LoadTester implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DataPlane dataPlane;
  private final SimClock clock;
  private final HttpServer server;
  private final ExecutorService loads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "load-test");
    t.setDaemon(true);
    return t;
  });
  private final List<String> started = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  /** One load: how long, how many requests a second, to which URL. */
  record Load(Duration duration, double rps, String url) {
    static Load parse(String cmd) {
      String[] words = cmd == null ? new String[0] : cmd.trim().split("\\s+");
      if (words.length == 0 || !words[0].equals("hey")) {
        throw new IllegalArgumentException("the playground's loadtester runs hey only, e.g. hey -z 30s -c 2 -q 5 "
            + "http://web-canary.default/");
      }
      Duration duration = null;
      Integer workers = null;
      Double perWorker = null;
      for (int i = 1; i < words.length - 1; i += 2) {
        switch (words[i]) {
          case "-z" -> duration = Durations.parse(words[i + 1]);
          case "-c" -> workers = Integer.parseInt(words[i + 1]);
          case "-q" -> perWorker = Double.parseDouble(words[i + 1]);
          default -> throw new IllegalArgumentException("hey flag " + words[i] + " is not simulated: use -z, -c and -q");
        }
      }
      String url = words[words.length - 1];
      if (duration == null || workers == null || perWorker == null) {
        throw new IllegalArgumentException("give hey -z (how long), -c (workers) and -q (requests a second each): the "
            + "playground has no unlimited rate");
      }
      if (!url.contains("-canary")) {
        throw new IllegalArgumentException("the playground load-tests the canary: point " + url + " at its Service, web-canary");
      }
      return new Load(duration, workers * perWorker, url);
    }
  }

  LoadTester(DataPlane dataPlane, SimClock clock) throws IOException {
    this.dataPlane = dataPlane;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** The commands started so far. */
  List<String> started() {
    return List.copyOf(started);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String cmd;
      Load load;
      try {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        cmd = body.path("metadata").path("cmd").asText(null);
        load = Load.parse(cmd);
      } catch (IOException | RuntimeException e) {
        answer(exchange, 400, e.getMessage() == null ? e.toString() : e.getMessage());
        return;
      }
      started.add(cmd);
      loads.submit(() -> run(load));
      answer(exchange, 200, "started: " + cmd);
    }
  }

  private void run(Load load) {
    Duration start = clock.elapsed();
    Duration last = start;
    double owed = 0;
    while (running && clock.elapsed().minus(start).compareTo(load.duration()) < 0) {
      Duration now = clock.elapsed();
      owed += (now.minus(last).toNanos() / 1e9) * load.rps();
      last = now;
      for (; owed >= 1; owed--) {
        dataPlane.serveCanary();
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    running = false;
    loads.shutdownNow();
    server.stop(0);
  }
}
