package io.vigie.playground;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.MetricEvidence;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.playground.BenchReleases.BadRelease;
import io.vigie.playground.BenchReleases.GoodRelease;
import io.vigie.playground.BenchReleases.GoodRuns;
import io.vigie.playground.BenchReleases.Harm;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
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

  @Option(names = "--judge", paramLabel = "JUDGE", split = ",", description = "How the releases are judged: threshold (error "
      + "rate and p99 rules), sequential (errorRate: errors and slow requests against a baseline), compare (Kayenta's "
      + "judge and score against a baseline), flagger-tutorial and argo-docs (the peers' documented analyses, bad releases "
      + "only). Default with Prometheus: all (threshold and sequential with --quick); threshold with the web backend.")
  List<String> judgeWords;

  @Option(names = "--good", paramLabel = "N", description = "Good releases of each kind (quiet, noisy, warm-up) per judge. "
      + "Default: 50, 1 with --quick.")
  Integer good;

  @Option(names = "--bad", paramLabel = "WHICH", defaultValue = "all", description = "Bad releases to run: all, obvious "
      + "(v2-errors, v2-slow) or none. Default: ${DEFAULT-VALUE}.")
  String bad;

  private MetricsBackend.Choice metricsChoice;
  private Judge judge = Judge.THRESHOLD;
  private int goodPerKind;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    Optional<String> badSpeed = Speed.problem(speed);
    if (badSpeed.isPresent()) {
      System.err.println("vigie bench: " + badSpeed.get());
      return 3;
    }
    try {
      metricsChoice = MetricsBackend.Choice.of(metrics);
    } catch (IllegalArgumentException e) {
      System.err.println("vigie bench: " + e.getMessage());
      return 3;
    }
    boolean web = metricsChoice == MetricsBackend.Choice.WEB || MetricsBackend.prometheusBinary().isEmpty();
    String backend = web ? "the data plane's statistics (web provider)" : "a real Prometheus";
    List<Judge> judges;
    try {
      judges = judgeWords != null ? Judge.of(judgeWords) : web ? List.of(Judge.THRESHOLD)
          : quick ? List.of(Judge.THRESHOLD, Judge.SEQUENTIAL) : List.of(Judge.values());
    } catch (IllegalArgumentException e) {
      System.err.println("vigie bench: " + e.getMessage());
      return 3;
    }
    if (web && (judges.contains(Judge.SEQUENTIAL) || judges.contains(Judge.COMPARE))) {
      System.err.println("vigie bench: the sequential and compare judges read counters and series from Prometheus: install it "
          + "(the test script does) or use --judge threshold");
      return 3;
    }
    if (!List.of("all", "obvious", "none").contains(bad)) {
      System.err.println("vigie bench: no --bad '" + bad + "': use all, obvious or none");
      return 3;
    }
    goodPerKind = good != null ? good : quick ? 1 : GOOD_RELEASES_PER_KIND;
    int n = runs != null ? runs : quick ? 1 : 3;
    Duration window = quick ? Duration.ofMinutes(4) : Duration.ofMinutes(10);
    List<Integer> counts = scale != null ? scale : quick ? List.of(50) : List.of(100);
    out.printf(Locale.ROOT, "settings: speed %.0fx, window %ds from the image change, 10 replicas ready 10s after they start, 50 requests/s, steps 5/10/25/50/100 "
        + "with 1m pauses, analysis every 30s (error rate <= 5%%, p99 <= 0.3s, failureLimit 1), metrics scraped every 15s from %s, "
        + "runs %d, seeds 1..%d; bad releases v2-errors (20%% 5xx) and v2-slow (+400ms), obvious, and v2-errors-1pct, "
        + "v2-p99-20pct, v2-endpoint-2pct (2%% of one endpoint), subtle; good releases %d in a row on a quiet app (v2) and %d on "
        + "a noisy one (v2-noisy: 6%% error bursts 20s every 5m, GC spikes, 60s warm-up of new pods, traffic +-50%% over a "
        + "20-minute day) and %d on a quiet one whose new pods, of any version, are 150ms slower for their first 60s "
        + "(v2-warmup); scale: real time, the operator in its own JVM watching all namespaces, %d Rollouts per "
        + "namespace, each next to a 1-pod Deployment, steps setWeight 50 then pause; judges %s (sequential: errorRate of "
        + "5xx and of requests over 0.3s against a baseline, every 15s scrape, tolerance 0.1, confidence 0.98; compare: p99 "
        + "(weight 2) and error ratio (critical) against a baseline, 6 points a side 1 simulated minute apart, tolerance "
        + "0.1, confidence 0.98, score pass 95 marginal 75; peers' policies, run by Vigie's threshold judge with their "
        + "steps: %s)%n", speed,
        window.toSeconds(), backend, n, n, goodPerKind, goodPerKind, goodPerKind,
        ScaleBench.ROLLOUTS_PER_NAMESPACE, String.join(", ", judges.stream().map(Judge::word).toList()), Judge.SOURCES);
    List<String> failures = new ArrayList<>();
    java.util.Map<String, Double> rollingUpdates = new java.util.HashMap<>();
    for (Judge j : scaleOnly ? List.<Judge>of() : judges) {
      judge = j;
      judged(n, window, failures, rollingUpdates);
    }
    for (int count : counts) {
      List<ScaleBench.Figures> figures = new ArrayList<>();
      for (int run = 0; run < n; run++) {
        // A minute while nothing changes (the operator looks at each Rollout at least once a minute); 20 s for --quick.
        figures.add(new ScaleBench(count, quick ? Duration.ofSeconds(20) : Duration.ofMinutes(1)).run());
      }
      ScaleBench.print(count, figures, out);
    }
    if (quick && !failures.isEmpty()) {
      // A figure with the wrong verdict behind it measures nothing: CI fails on it.
      failures.forEach(f -> out.println("FAILED: " + f));
      return 1;
    }
    return 0;
  }

  /** The bad and the good releases, judged by {@link #judge}: one line per figure. */
  private void judged(int n, Duration window, List<String> failures, java.util.Map<String, Double> rollingUpdates)
      throws Exception {
    // The threshold judge's lines keep their names; the others say which judge they measure.
    String by = judge == Judge.THRESHOLD ? "" : ",judge=" + judge.word();
    for (BadRelease release : BadRelease.ALL.stream().filter(r -> bad.equals("all") || bad.equals("obvious") && r.obvious()).toList()) {
      List<Double> rolling = new ArrayList<>();
      for (int seed = 1; seed <= n; seed++) {
        String key = release.tag() + "/" + seed;
        if (!rollingUpdates.containsKey(key)) {
          rollingUpdates.put(key, (double) badRequests(release.image(), false, window, seed, false).bad());
        }
        rolling.add(rollingUpdates.get(key));
      }
      if (judge == Judge.THRESHOLD) {
        line("bad_requests_rolling_update{release=" + release.tag() + "}", median(rolling), "%.0f");
      }
      withVigie(release, by, false, n, window, rolling, failures);
      if (judge == Judge.THRESHOLD && release.obvious()) {
        // The same bad release blue-green: its blast radius beside the canary's, and the switch back.
        withVigie(release, ",strategy=blue-green", true, n, window, rolling, failures);
      }
    }
    if (judge.peer() || goodPerKind == 0) {
      return; // the peers' policies are measured on the bad releases only; --good 0 asks for none
    }
    int goodTotal = 0;
    int falseTotal = 0;
    for (GoodRelease release : GoodRelease.ALL) {
      int count = goodPerKind;
      GoodRuns runs = goodReleases(release, count);
      goodTotal += count;
      falseTotal += runs.rolledBack();
      for (int i = 0; i < runs.verdicts().size(); i++) {
        if (quick || runs.verdicts().get(i) != RolloutPhase.Healthy) {
          out.println("run{release=" + release.tag() + by + ",n=" + (i + 1) + "}: " + runs.verdicts().get(i));
        }
        if (quick && release.quiet() && runs.verdicts().get(i) != RolloutPhase.Healthy) {
          failures.add(release.tag() + " release " + (i + 1) + " (" + judge.word() + " judge) ended " + runs.verdicts().get(i)
              + ", not Healthy");
        }
      }
      String labels = release.quiet() ? judgeOnly() : "{release=" + release.tag() + by + "}";
      line("time_to_promote_s" + labels, runs.promoteSeconds().isEmpty() ? Double.NaN : median(runs.promoteSeconds()), "%.0f");
      out.println("false_rollbacks{release=" + release.tag() + by + "}: " + runs.rolledBack() + " of " + count);
      runs.causes().forEach((metric, times) ->
          out.println("false_rollback_cause{release=" + release.tag() + by + ",metric=" + metric + "}: " + times));
      out.println("held_for_a_person{release=" + release.tag() + by + "}: " + runs.held() + " of " + count);
    }
    if (goodTotal > 0) {
      out.println("false_rollbacks" + judgeOnly() + ": " + falseTotal + " of " + goodTotal
          + " good releases");
    }
  }

  /**
   * One bad release with Vigie, canary or blue-green (Release#blueGreen: every user on green from the
   * switch until the post-promotion analysis fails, then back on blue in one write), {@code n} seeds:
   * its bad requests against the rolling update's, time to rollback and, blue-green, from the
   * decision to no user on green.
   */
  private void withVigie(BadRelease release, String by, boolean blueGreen, int n, Duration window, List<Double> rolling,
      List<String> failures) throws Exception {
    List<Double> vigie = new ArrayList<>();
    List<Double> toRollback = new ArrayList<>();
    List<Double> toSwitchBack = new ArrayList<>();
    int caught = 0;
    for (int seed = 1; seed <= n; seed++) {
      Harm harm = badRequests(release.image(), true, window, seed, blueGreen);
      vigie.add((double) harm.bad());
      out.println("run{release=" + release.tag() + by + ",seed=" + seed + "}: " + harm.verdict());
      if (harm.verdict() == RolloutPhase.RolledBack) {
        caught++;
        harm.secondsToRollback().ifPresent(toRollback::add);
        harm.secondsToSwitchBack().ifPresent(toSwitchBack::add);
      } else if (release.obvious() && !judge.peer()) {
        // A peer's policy may well let an obvious one through in the window: that is its figure.
        failures.add(release.tag() + " seed " + seed + " (" + judge.word() + " judge" + by + ") ended " + harm.verdict()
            + ", not RolledBack");
      }
    }
    line("bad_requests_vigie{release=" + release.tag() + by + "}", median(vigie), "%.0f");
    line("blast_radius_ratio{release=" + release.tag() + by + "}", median(vigie) / Math.max(1, median(rolling)), "%.4f");
    if (toRollback.isEmpty()) {
      out.println("time_to_rollback_s{release=" + release.tag() + by + "}: none rolled back");
    } else {
      line("time_to_rollback_s{release=" + release.tag() + by + "}", median(toRollback), "%.0f");
    }
    if (blueGreen && toSwitchBack.isEmpty()) {
      out.println("time_to_switch_back_s{release=" + release.tag() + "}: none switched back");
    } else if (blueGreen) {
      line("time_to_switch_back_s{release=" + release.tag() + "}", median(toSwitchBack), "%.2f");
    }
    out.println("caught{release=" + release.tag() + by + "}: " + caught + " of " + n);
  }

  /** The labels of a figure that only the judge qualifies: none for the threshold judge. */
  private String judgeOnly() {
    return judge == Judge.THRESHOLD ? "" : "{judge=" + judge.word() + "}";
  }

  /** Good releases per kind for the false-rollback figures: 100 on the quiet and noisy apps, 50 more with warm-up. */
  static final int GOOD_RELEASES_PER_KIND = 50;

  /** One bad release in the window: how many requests went wrong, and (with Vigie) how long the bad version served. */
  private Harm badRequests(String image, boolean withVigie, Duration window, long seed, boolean blueGreen) throws Exception {
    try (Playground playground = new Playground(new Playground.Settings(speed, 10, 50, 15, seed).withMetrics(metricsChoice))) {
      playground.deployApp("ghcr.io/example/web:v1");
      if (withVigie) {
        playground.startOperator();
        playground.apply(blueGreen ? Release.blueGreen("30s", false, playground.metrics())
            : Release.objects(STEPS, "30s", false, playground.metrics(), judge));
        awaitPhase(playground, RolloutPhase.Healthy, Duration.ofMinutes(5));
      } else {
        awaitReady(playground, Duration.ofMinutes(5));
      }
      Instant released = playground.clock().instant();
      playground.release(image);
      sleepUntil(playground, released.plus(window));
      DataPlane.VersionCounters bad = playground.dataPlane().version(image);
      RolloutPhase verdict = withVigie ? status(playground).getPhase() : null;
      java.util.Optional<Double> seconds = verdict == RolloutPhase.RolledBack && bad.firstBad().isPresent()
          ? playground.dataPlane().canaryGone().map(gone -> Duration.between(bad.firstBad().get(), gone).toMillis() / 1000.0)
          : java.util.Optional.empty();
      java.util.Optional<Double> switchBack = java.util.Optional.empty();
      if (blueGreen && verdict == RolloutPhase.RolledBack) {
        RolloutStatus s = status(playground);
        switchBack = java.util.Optional.ofNullable(s.getRollbackReport()).map(r -> r.getDecidedAt()).map(Instant::parse)
            .flatMap(decided -> playground.dataPlane().canaryGone().map(gone -> Duration.between(decided, gone).toMillis() / 1000.0));
      }
      return new Harm(bad.bad(), verdict, seconds, switchBack);
    }
  }

  /**
   * {@code count} good releases of one kind, one after the other on one playground (v2, v3, ...),
   * each until it ends: promoted, rolled back (a false rollback), or held for a person.
   */
  private GoodRuns goodReleases(GoodRelease release, int count) throws Exception {
    Playground.Settings settings = new Playground.Settings(speed, 10, 50, 15, release.noisy() ? 101 : release.warmUp() ? 102 : 100)
        .withMetrics(metricsChoice);
    try (Playground playground = new Playground(release.noisy() ? settings.withNoise() : release.warmUp() ? settings.withWarmUp()
        : settings)) {
      playground.deployApp("ghcr.io/example/web:v1");
      playground.startOperator();
      playground.apply(Release.objects(STEPS, "30s", false, playground.metrics(), judge));
      String stable = awaitPhase(playground, RolloutPhase.Healthy, Duration.ofMinutes(5)).getStableRevision();
      List<RolloutPhase> verdicts = new ArrayList<>();
      List<Double> seconds = new ArrayList<>();
      SortedMap<String, Integer> causes = new TreeMap<>();
      String lastCanary = null;
      for (int i = 0; i < count; i++) {
        Instant released = playground.clock().instant();
        playground.release("ghcr.io/example/web:v" + (i + 2));
        Instant deadline = released.plus(Duration.ofMinutes(30));
        RolloutStatus end = null;
        while (end == null && playground.clock().instant().isBefore(deadline)) {
          RolloutStatus s = status(playground);
          // The end of this release, not the status the last one ended with.
          boolean fresh = s != null && (s.getPhase() == RolloutPhase.Healthy || !java.util.Objects.equals(s.getCanaryRevision(),
              lastCanary));
          if (fresh && Demo.end(s, stable).isPresent()) {
            end = s;
          }
          Thread.sleep(20);
        }
        RolloutPhase verdict = end == null ? null : end.getPhase();
        verdicts.add(verdict);
        if (verdict == RolloutPhase.Healthy) {
          seconds.add(Duration.between(released, playground.clock().instant()).toMillis() / 1000.0);
          stable = end.getStableRevision();
        } else if (end != null) {
          lastCanary = end.getCanaryRevision();
          failedMetrics(end).forEach(metric -> causes.merge(metric, 1, Integer::sum));
        }
      }
      return new GoodRuns(verdicts, seconds, causes);
    }
  }

  /** The metrics the rollback report names as failed (none when the release was not rolled back). */
  static List<String> failedMetrics(RolloutStatus end) {
    if (end.getRollbackReport() == null) {
      return List.of();
    }
    return end.getRollbackReport().getMetrics().stream()
        .filter(m -> m.getPhase() == AnalysisPhase.Failed)
        .map(MetricEvidence::getMetric)
        .distinct()
        .toList();
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
