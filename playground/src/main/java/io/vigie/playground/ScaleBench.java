package io.vigie.playground;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Many Rollouts progressing at once, in real time: each gets a new image at the same moment and
 * must take its first step (canary up, then the pause). The operator runs as its own process,
 * watching all namespaces, on a playground whose API server keeps each namespace (a hundred
 * Rollouts) apart, so that neither the mock server's store nor the bench is what is measured.
 * Measures reconciles per second, the delay from the image change (the first step being due) to
 * the status write that completes it, as seen by a watch, the operator's heap after a full GC, the
 * operator's API requests, writes and reconciles per completed step, and its requests per minute
 * while every Rollout is Healthy and nothing changes.
 */
final class ScaleBench {
  static final int ROLLOUTS_PER_NAMESPACE = 100;
  private static final String OPERATOR_TOKEN = "vigie-operator";
  private static final String STEPS = """
      apiVersion: vigie.io/v1alpha1
      kind: Rollout
      metadata: {name: NAME}
      spec:
        targetRef: {kind: Deployment, name: NAME}
        service: {name: NAME, port: 80}
        strategy:
          canary:
            steps:
              - setWeight: 50
              - pause: {}
      """;

  private final int count;
  private final Duration steadyWindow;

  /** @param steadyWindow how long to count the operator's requests while nothing changes */
  ScaleBench(int count, Duration steadyWindow) {
    this.count = count;
    this.steadyWindow = steadyWindow;
  }

  /** One run's figures. */
  record Figures(int completed, double reconcilesPerSecond, double p50Ms, double p99Ms, double heapMb, double requestsPerStep,
      double writesPerStep, double reconcilesPerStep, double steadyRequestsPerMinute) {}

  /** Prints the medians of several runs' figures, and the fewest steps any run completed. */
  static void print(int count, List<Figures> runs, PrintStream out) {
    String tag = "{rollouts=" + count + "}";
    out.println("scale_completed" + tag + ": " + runs.stream().mapToInt(Figures::completed).min().orElse(0) + " of " + count
        + " took their first step");
    out.println(String.format(Locale.ROOT, "scale_reconciles_per_s%s: %.1f", tag, Bench.median(runs.stream().map(Figures::reconcilesPerSecond).toList())));
    out.println(String.format(Locale.ROOT, "scale_step_latency_p50_ms%s: %.0f", tag, Bench.median(runs.stream().map(Figures::p50Ms).toList())));
    out.println(String.format(Locale.ROOT, "scale_step_latency_p99_ms%s: %.0f", tag, Bench.median(runs.stream().map(Figures::p99Ms).toList())));
    out.println(String.format(Locale.ROOT, "scale_heap_after_gc_mb%s: %.0f", tag, Bench.median(runs.stream().map(Figures::heapMb).toList())));
    out.println(String.format(Locale.ROOT, "scale_api_requests_per_step%s: %.1f", tag, Bench.median(runs.stream().map(Figures::requestsPerStep).toList())));
    out.println(String.format(Locale.ROOT, "scale_api_writes_per_step%s: %.1f", tag, Bench.median(runs.stream().map(Figures::writesPerStep).toList())));
    out.println(String.format(Locale.ROOT, "scale_reconciles_per_step%s: %.1f", tag, Bench.median(runs.stream().map(Figures::reconcilesPerStep).toList())));
    out.println(String.format(Locale.ROOT, "steady_requests_per_min%s: %.0f", tag, Bench.median(runs.stream().map(Figures::steadyRequestsPerMinute).toList())));
    out.flush();
  }

  Figures run() throws Exception {
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i * ROLLOUTS_PER_NAMESPACE < count; i++) {
      namespaces.add("scale-" + i);
    }
    Path dir = Files.createTempDirectory("vigie-scale");
    try (Playground playground = new Playground(new Playground.Settings(1, 1, 0, 15, 1, Duration.ZERO, MetricsBackend.Choice.WEB, false, false), Set.copyOf(namespaces));
        Completions completions = new Completions(playground.client())) {
      var client = playground.client();
      for (int i = 0; i < count; i++) {
        String ns = namespaceOf(i);
        String name = "app-" + i;
        client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
            .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
            .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
            .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("example/app:v1").endContainer().endSpec()
            .endTemplate().endSpec().build()).create();
        client.services().inNamespace(ns).resource(new ServiceBuilder()
            .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
            .withNewSpec().addToSelector("app", name).addNewPort().withPort(80).endPort().endSpec().build()).create();
        client.load(new java.io.ByteArrayInputStream(STEPS.replace("NAME", name).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .inNamespace(ns).create();
      }
      // All namespaces, as a cluster-wide install watches them: one informer per kind.
      try (OperatorProcess operator = OperatorProcess.start(playground.writeKubeconfig(dir.resolve("kubeconfig"), OPERATOR_TOKEN),
          Set.of(), dir.resolve("operator.log"))) {
        completions.await(s -> s.getPhase() == RolloutPhase.Healthy, count, Duration.ofMinutes(30),
            "the Rollouts did not all adopt their Deployments");
        // Every Rollout Healthy, nothing changing: what does the operator still ask the API server?
        // The adoptions' last writes (their Events go after the Healthy status) end first.
        awaitQuiet(playground, Duration.ofSeconds(5), Duration.ofMinutes(5));
        long steadyBefore = playground.apiRequestsFrom(OPERATOR_TOKEN);
        Thread.sleep(steadyWindow.toMillis());
        double steadyPerMinute = (playground.apiRequestsFrom(OPERATOR_TOKEN) - steadyBefore) * 60_000.0 / steadyWindow.toMillis();

        double reconcilesBefore = operator.reconciles();
        long requestsBefore = playground.apiRequestsFrom(OPERATOR_TOKEN);
        long writesBefore = playground.apiWritesFrom(OPERATOR_TOKEN);
        completions.startTiming(s -> s.getPhase() == RolloutPhase.Paused && "2/2".equals(s.getStep()));
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
          String name = "app-" + i;
          completions.changed(namespaceOf(i) + "/" + name);
          client.apps().deployments().inNamespace(namespaceOf(i)).withName(name).patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
              "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"example/app:v2\"}]");
        }
        List<Double> latencies = completions.awaitTimed(count, Duration.ofMinutes(30));
        double seconds = (System.nanoTime() - start) / 1e9;
        double reconciles = operator.reconciles() - reconcilesBefore;
        long requests = playground.apiRequestsFrom(OPERATOR_TOKEN) - requestsBefore;
        long writes = playground.apiWritesFrom(OPERATOR_TOKEN) - writesBefore;
        long heap = operator.heapAfterGc();
        deleteQuietly(dir);
        int steps = Math.max(1, latencies.size());
        return new Figures(latencies.size(), reconciles / seconds, quantile(latencies, 0.5), quantile(latencies, 0.99),
            heap / 1048576.0, (double) requests / steps, (double) writes / steps, reconciles / steps, steadyPerMinute);
      }
    }
  }

  /** Waits until the operator has sent no request for {@code quiet}, or gives up after {@code limit}. */
  private static void awaitQuiet(Playground playground, Duration quiet, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    long last = playground.apiRequestsFrom(OPERATOR_TOKEN);
    long since = System.nanoTime();
    while (System.nanoTime() < deadline && System.nanoTime() - since < quiet.toNanos()) {
      Thread.sleep(200);
      long now = playground.apiRequestsFrom(OPERATOR_TOKEN);
      if (now != last) {
        last = now;
        since = System.nanoTime();
      }
    }
  }

  /** The kubeconfig and the operator's log, once the run went well (a failed run keeps them, and says where). */
  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // A temporary directory left behind is not worth failing a benchmark for.
    }
  }

  private static String namespaceOf(int i) {
    return "scale-" + i / ROLLOUTS_PER_NAMESPACE;
  }

  private static double quantile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  /**
   * Watches the Rollouts of the bench's namespaces and notes when each first meets a condition:
   * a watch sees the status write as it lands, where polling lists of thousands would both lag
   * and load the API server.
   */
  private static final class Completions implements AutoCloseable {
    private final SharedIndexInformer<Rollout> informer;
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();
    private final Map<String, Double> latencyMs = new ConcurrentHashMap<>();
    private volatile Predicate<RolloutStatus> timed = s -> false;

    Completions(KubernetesClient client) {
      informer = client.resources(Rollout.class).inAnyNamespace().runnableInformer(0);
      informer.addEventHandler(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Rollout r) {
            seen(r);
          }

          @Override
          public void onUpdate(Rollout before, Rollout after) {
            seen(after);
          }

          @Override
          public void onDelete(Rollout r, boolean unknownFinalState) {
          }
        });
      informer.run();
    }

    private void seen(Rollout r) {
      long now = System.nanoTime();
      String key = r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
      Long changed = changedAt.get(key);
      if (changed != null && r.getStatus() != null && timed.test(r.getStatus())) {
        latencyMs.putIfAbsent(key, (now - changed) / 1e6);
      }
    }

    void startTiming(Predicate<RolloutStatus> condition) {
      timed = condition;
    }

    void changed(String key) {
      changedAt.put(key, System.nanoTime());
    }

    void await(Predicate<RolloutStatus> condition, int count, Duration limit, String failure) throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < deadline) {
        long ok = informer.getStore().list().stream()
            .filter(r -> r.getStatus() != null && condition.test(r.getStatus())).count();
        if (ok >= count) {
          return;
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException(failure + " within " + limit);
    }

    /** The latencies of those that completed within the limit, sorted. */
    List<Double> awaitTimed(int count, Duration limit) throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (latencyMs.size() < count && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      List<Double> sorted = new ArrayList<>(latencyMs.values());
      Collections.sort(sorted);
      return sorted;
    }

    @Override
    public void close() {
      informer.close();
    }
  }
}
