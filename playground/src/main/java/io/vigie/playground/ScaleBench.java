package io.vigie.playground;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.micrometer.core.instrument.Counter;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Many Rollouts progressing at once, in real time: each gets a new image at the same moment and
 * must take its first step (canary up, then the pause). Measures reconciles per second, the delay
 * from the image change (the first step being due) to the status write that completes it, the
 * process heap after GC, and API requests per completed step.
 */
final class ScaleBench {
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
  private final PrintStream out;

  ScaleBench(int count, PrintStream out) {
    this.count = count;
    this.out = out;
  }

  void run() throws Exception {
    try (Playground playground = new Playground(new Playground.Settings(1, 1, 0, 15, 1, Duration.ZERO))) {
      var client = playground.client();
      for (int i = 0; i < count; i++) {
        String name = "app-" + i;
        client.apps().deployments().inNamespace(Playground.NS).resource(new DeploymentBuilder()
            .withNewMetadata().withName(name).withNamespace(Playground.NS).endMetadata()
            .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
            .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("example/app:v1").endContainer().endSpec()
            .endTemplate().endSpec().build()).create();
        client.services().inNamespace(Playground.NS).resource(new ServiceBuilder()
            .withNewMetadata().withName(name).withNamespace(Playground.NS).endMetadata()
            .withNewSpec().addToSelector("app", name).addNewPort().withPort(80).endPort().endSpec().build()).create();
        playground.apply(STEPS.replace("NAME", name));
      }
      playground.startOperator();
      awaitAll(playground, s -> s.getPhase() == RolloutPhase.Healthy, Duration.ofMinutes(20));

      double reconcilesBefore = reconciles(playground);
      int requestsBefore = playground.apiRequests();
      long start = System.nanoTime();
      Map<String, Long> changedAt = new HashMap<>();
      for (int i = 0; i < count; i++) {
        String name = "app-" + i;
        client.apps().deployments().inNamespace(Playground.NS).withName(name).patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"example/app:v2\"}]");
        changedAt.put(name, System.nanoTime());
      }
      List<Double> latencies = new ArrayList<>();
      Map<String, Boolean> done = new HashMap<>();
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      while (done.size() < count && System.nanoTime() < deadline) {
        for (Rollout r : client.resources(Rollout.class).inNamespace(Playground.NS).list().getItems()) {
          RolloutStatus s = r.getStatus();
          String name = r.getMetadata().getName();
          if (s != null && s.getPhase() == RolloutPhase.Paused && "2/2".equals(s.getStep()) && !done.containsKey(name)) {
            done.put(name, true);
            latencies.add((System.nanoTime() - changedAt.get(name)) / 1e6);
          }
        }
        Thread.sleep(50);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double reconciles = reconciles(playground) - reconcilesBefore;
      int requests = playground.apiRequests() - requestsBefore;
      Collections.sort(latencies);
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      String tag = "{rollouts=" + count + "}";
      out.println("scale_completed" + tag + ": " + done.size() + " of " + count + " took their first step");
      out.println(String.format(Locale.ROOT, "scale_reconciles_per_s%s: %.1f", tag, reconciles / seconds));
      out.println(String.format(Locale.ROOT, "scale_step_latency_p50_ms%s: %.0f", tag, quantile(latencies, 0.5)));
      out.println(String.format(Locale.ROOT, "scale_step_latency_p99_ms%s: %.0f", tag, quantile(latencies, 0.99)));
      out.println(String.format(Locale.ROOT, "scale_heap_after_gc_mb%s: %.0f", tag, heap / 1048576.0));
      out.println(String.format(Locale.ROOT, "scale_api_requests_per_step%s: %.1f", tag, (double) requests / Math.max(1, done.size())));
      out.flush();
    }
  }

  private static double quantile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  private static double reconciles(Playground playground) {
    return playground.operator().metrics().registry().getMeters().stream()
        .filter(m -> m instanceof Counter && (m.getId().getName().endsWith("reconciliations.success")
            || m.getId().getName().endsWith("reconciliations.failed")))
        .mapToDouble(m -> ((Counter) m).count()).sum();
  }

  private static void awaitAll(Playground playground, java.util.function.Predicate<RolloutStatus> condition, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      long ok = playground.client().resources(Rollout.class).inNamespace(Playground.NS).list().getItems().stream()
          .filter(r -> r.getStatus() != null && condition.test(r.getStatus())).count();
      if (ok >= playground.client().resources(Rollout.class).inNamespace(Playground.NS).list().getItems().size()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the Rollouts did not all adopt their Deployments within " + limit);
  }
}
