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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `vigie operator` in a JVM of its own, as it runs in a cluster, so that what the scale bench
 * reads of its heap and metrics is the operator's and not the mock API server's or the bench's.
 */
final class OperatorProcess implements AutoCloseable {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final Process process;
  private final Path log;
  private final int metricsPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private OperatorProcess(Process process, Path log, int metricsPort) {
    this.process = process;
    this.log = log;
    this.metricsPort = metricsPort;
  }

  /** Starts the operator on this kubeconfig, watching these namespaces, and waits until it is ready. */
  static OperatorProcess start(Path kubeconfig, Set<String> namespaces, Path log) throws IOException, InterruptedException {
    int port = freePort();
    // The GC options of the chart's jvmOptions (G1 whatever the machine's size, so that jcmd's first
    // "used" figure is the whole heap; the informer caches' repeated strings deduplicated).
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseG1GC", "-XX:+UseStringDeduplication", "-cp", System.getProperty("java.class.path"), "io.vigie.cli.VigieCommand", "operator",
        "--kubeconfig", kubeconfig.toString(), "--metrics-port", Integer.toString(port)));
    if (!namespaces.isEmpty()) {
      command.add("--namespaces");
      command.add(String.join(",", namespaces));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("KUBERNETES_SERVICE_HOST");
    OperatorProcess operator = new OperatorProcess(builder.start(), log, port);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (!operator.process.isAlive()) {
        throw new IllegalStateException("the operator process exited with " + operator.process.exitValue() + ": " + operator.logTail());
      }
      if (operator.get("/readyz").map(r -> r.statusCode() == 200).orElse(false)) {
        return operator;
      }
      Thread.sleep(200);
    }
    operator.close();
    throw new IllegalStateException("the operator process was not ready within 2 minutes: " + operator.logTail());
  }

  /** Reconciles the operator has finished, successful or failed, from its /metrics. */
  double reconciles() {
    String metrics = get("/metrics").filter(r -> r.statusCode() == 200).map(HttpResponse::body)
        .orElseThrow(() -> new IllegalStateException("the operator's /metrics did not answer: " + logTail()));
    return metrics.lines().filter(l -> !l.startsWith("#"))
        .filter(l -> l.contains("reconciliations_success_total") || l.contains("reconciliations_failed_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** The operator's heap after a full GC, in bytes, as jcmd reads it. */
  long heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
    if (!used.find()) {
      throw new IllegalStateException("jcmd GC.heap_info printed no heap usage");
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  private String jcmd(String what) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), what).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + what + " failed: " + out);
    }
    return out;
  }

  private java.util.Optional<HttpResponse<String>> get(String path) {
    try {
      return java.util.Optional.of(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
