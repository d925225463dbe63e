package io.vigie.playground;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How much harm a bad release does with Vigie and with a plain rolling update, on the same
 * playground, load and seeds; how long a good release takes; how the controller scales. Prints one
 * {@code name: value} line per figure (medians over the runs).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Runs the benchmarks on the playground.")
final class Bench implements Callable<Integer> {
  static final String STEPS = """
      - setWeight: 5
      - pause: {duration: 1m}
      - setWeight: 10
      - pause: {duration: 1m}
      - setWeight: 25
      - pause: {duration: 1m}
      - setWeight: 50
      - pause: {duration: 1m}
      - setWeight: 100
      """;

  @Option(names = "--quick", description = "One short run of each, for CI: sanity, not figures.")
  boolean quick;

  @Option(names = "--runs", paramLabel = "N", description = "Runs per figure (median). Default: 3, 1 with --quick.")
  Integer runs;

  @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "60", description = "Simulated seconds per real second. Default: ${DEFAULT-VALUE}.")
  double speed;

  @Option(names = "--scale", paramLabel = "N", split = ",", description = "Rollout counts of the scale bench. Default: 100 (the "
      + "issue asks for 100,1000,5000: about 25 minutes a run); 50 with --quick.")
  List<Integer> scale;

  @Option(names = "--scale-only", description = "Only the controller scale bench.")
  boolean scaleOnly;

  @Option(names = "--metrics", paramLabel = "BACKEND", defaultValue = "auto", description = "Where the analysis reads metrics: "
      + "prometheus (a real one, scraping the data plane), web (the data plane's statistics), or auto (prometheus when on "
      + "PATH). Default: ${DEFAULT-VALUE}.")
  String metrics;

  private MetricsBackend.Choice metricsChoice;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    try {
      metricsChoice = MetricsBackend.Choice.of(metrics);
    } catch (IllegalArgumentException e) {
      System.err.println("vigie bench: " + e.getMessage());
      return 3;
    }
    String backend = metricsChoice == MetricsBackend.Choice.WEB || MetricsBackend.prometheusBinary().isEmpty()
        ? "the data plane's statistics (web provider)" : "a real Prometheus";
    int n = runs != null ? runs : quick ? 1 : 3;
    Duration window = quick ? Duration.ofMinutes(4) : Duration.ofMinutes(10);
    List<Integer> counts = scale != null ? scale : quick ? List.of(50) : List.of(100);
    out.printf(Locale.ROOT, "settings: speed %.0fx, window %ds from the image change, 10 replicas ready 10s after they start, 50 requests/s, steps 5/10/25/50/100 "
        + "with 1m pauses, analysis every 30s (error rate <= 5%%, p99 <= 0.3s, failureLimit 1), metrics scraped every 15s from %s, "
        + "runs %d, seeds 1..%d; scale: real time, the operator in its own JVM watching all namespaces, %d Rollouts per "
        + "namespace, each next to a 1-pod Deployment, steps setWeight 50 then pause%n", speed, window.toSeconds(), backend, n, n,
        ScaleBench.ROLLOUTS_PER_NAMESPACE);
    for (String image : scaleOnly ? List.<String>of() : List.of("ghcr.io/example/web:v2-errors", "ghcr.io/example/web:v2-slow")) {
      String tag = image.substring(image.lastIndexOf(':') + 1);
      List<Double> rolling = new ArrayList<>();
      List<Double> vigie = new ArrayList<>();
      List<Double> toRollback = new ArrayList<>();
      for (int seed = 1; seed <= n; seed++) {
        rolling.add((double) badRequests(image, false, window, seed).bad());
        Harm withVigie = badRequests(image, true, window, seed);
        vigie.add((double) withVigie.bad());
        toRollback.add(withVigie.secondsToRollback());
      }
      line("bad_requests_rolling_update{release=" + tag + "}", median(rolling), "%.0f");
      line("bad_requests_vigie{release=" + tag + "}", median(vigie), "%.0f");
      line("blast_radius_ratio{release=" + tag + "}", median(vigie) / Math.max(1, median(rolling)), "%.4f");
      line("time_to_rollback_s{release=" + tag + "}", median(toRollback), "%.0f");
    }
    List<Double> promote = new ArrayList<>();
    int falseRollbacks = 0;
    int goodReleases = scaleOnly ? 0 : quick ? 1 : Math.max(n, 5);
    for (int seed = 1; seed <= goodReleases; seed++) {
      Promotion p = goodRelease(seed);
      if (p.phase() == RolloutPhase.Healthy) {
        promote.add(p.seconds());
      } else {
        falseRollbacks++;
      }
    }
    if (goodReleases > 0) {
      line("time_to_promote_s", promote.isEmpty() ? Double.NaN : median(promote), "%.0f");
      out.println("false_rollbacks: " + falseRollbacks + " of " + goodReleases + " good releases");
    }
    for (int count : counts) {
      List<ScaleBench.Figures> figures = new ArrayList<>();
      for (int run = 0; run < n; run++) {
        figures.add(new ScaleBench(count).run());
      }
      ScaleBench.print(count, figures, out);
    }
    return 0;
  }

  record Harm(long bad, double secondsToRollback) {}

  /** One bad release in the window: how many requests went wrong, and (with Vigie) how long the bad version served. */
  private Harm badRequests(String image, boolean withVigie, Duration window, long seed) throws Exception {
    try (Playground playground = new Playground(new Playground.Settings(speed, 10, 50, 15, seed).withMetrics(metricsChoice))) {
      playground.deployApp("ghcr.io/example/web:v1");
      if (withVigie) {
        playground.startOperator();
        playground.apply(Release.objects(STEPS, "30s", playground.metrics()));
        awaitPhase(playground, RolloutPhase.Healthy, Duration.ofMinutes(5));
      } else {
        awaitReady(playground, Duration.ofMinutes(5));
      }
      Instant released = playground.clock().instant();
      playground.release(image);
      sleepUntil(playground, released.plus(window));
      DataPlane.VersionCounters bad = playground.dataPlane().version(image);
      double seconds = bad.firstBad().isEmpty() || bad.lastServed().isEmpty() ? 0
          : Duration.between(bad.firstBad().get(), bad.lastServed().get()).toMillis() / 1000.0;
      return new Harm(bad.bad(), seconds);
    }
  }

  record Promotion(RolloutPhase phase, double seconds) {}

  private Promotion goodRelease(long seed) throws Exception {
    try (Playground playground = new Playground(new Playground.Settings(speed, 10, 50, 15, seed).withMetrics(metricsChoice))) {
      playground.deployApp("ghcr.io/example/web:v1");
      playground.startOperator();
      playground.apply(Release.objects(STEPS, "30s", playground.metrics()));
      String v1 = awaitPhase(playground, RolloutPhase.Healthy, Duration.ofMinutes(5)).getStableRevision();
      Instant released = playground.clock().instant();
      playground.release("ghcr.io/example/web:v2");
      Instant deadline = released.plus(Duration.ofMinutes(30));
      while (playground.clock().instant().isBefore(deadline)) {
        RolloutStatus s = status(playground);
        if (s != null && Demo.end(s, v1).isPresent()) {
          return new Promotion(s.getPhase(), Duration.between(released, playground.clock().instant()).toMillis() / 1000.0);
        }
        Thread.sleep(20);
      }
      return new Promotion(null, Double.NaN);
    }
  }

  static RolloutStatus status(Playground playground) {
    Rollout r = playground.client().resources(Rollout.class).inNamespace(Playground.NS).withName("web").get();
    return r == null ? null : r.getStatus();
  }

  static RolloutStatus awaitPhase(Playground playground, RolloutPhase phase, Duration limit) throws InterruptedException {
    Instant deadline = playground.clock().instant().plus(limit);
    while (playground.clock().instant().isBefore(deadline)) {
      RolloutStatus s = status(playground);
      if (s != null && s.getPhase() == phase) {
        return s;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the Rollout did not reach " + phase + " within " + limit.toSeconds() + "s of simulated time");
  }

  private static void awaitReady(Playground playground, Duration limit) throws InterruptedException {
    Instant deadline = playground.clock().instant().plus(limit);
    while (playground.clock().instant().isBefore(deadline)) {
      Deployment d = playground.client().apps().deployments().inNamespace(Playground.NS).withName(Playground.APP).get();
      if (d.getStatus() != null && Integer.valueOf(10).equals(d.getStatus().getReadyReplicas())
          && !playground.dataPlane().endpoints().isEmpty()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the app did not become ready");
  }

  private static void sleepUntil(Playground playground, Instant until) throws InterruptedException {
    Duration left = Duration.between(playground.clock().instant(), until);
    if (!left.isNegative()) {
      Thread.sleep(playground.clock().real(left).toMillis());
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }

  private void line(String name, double value, String format) {
    out.println(name + ": " + String.format(Locale.ROOT, format, value));
    out.flush();
  }
}
