package io.vigie.playground;

import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.dashboard.DashboardServer;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One release on the playground, watched by the real operator: the scenario's image replaces v1,
 * the timeline is printed, and the last line says where the Rollout ended.
 */
final class Demo {
  /** How long, in real time, the operator has to adopt the Deployment before the demo gives up. */
  static final Duration ADOPTION = Duration.ofMinutes(2);
  static final String STEPS = """
      - setWeight: 20
      - pause: {duration: 1m}
      - setWeight: 50
      - pause: {duration: 1m}
      """;

  /** The users' requests a second on the quiet scenario's service: 6 a minute. */
  static final double QUIET_RPS = 0.1;

  /** How long a recording goes on after the verdict. */
  static final Duration RECORDED_AFTER_VERDICT = Duration.ofMinutes(3);

  /** How long the surge scenarios serve the users' usual traffic on v1 before releasing. */
  static final Duration TRAFFIC_BEFORE_RELEASE = Duration.ofMinutes(3);

  private Demo() {}

  /**
   * The surge scenarios' weather, by the simulated time since the release: surge: the users' traffic
   * triples from 30 s to 3 min 30 s. bad-during-surge: it triples from 20 s to 3 min, and the
   * metrics go dark from 30 s to 90 s.
   */
  private static final class Weather {
    private final Scenario scenario;
    private final Playground playground;
    private final PrintStream out;
    private final Instant released;
    private int stage;

    Weather(Scenario scenario, Playground playground, PrintStream out, Instant released) {
      this.scenario = scenario;
      this.playground = playground;
      this.out = out;
      this.released = released;
    }

    void update() {
      long s = Duration.between(released, playground.clock().instant()).toSeconds();
      if (scenario == Scenario.SURGE) {
        at(s, 30, 0, "! the users' traffic triples", () -> playground.surge(3));
        at(s, 210, 1, "! the users' traffic is back to normal", () -> playground.surge(1));
      } else if (scenario == Scenario.BAD_DURING_SURGE) {
        at(s, 20, 0, "! the users' traffic triples", () -> playground.surge(3));
        at(s, 30, 1, "! the metrics go dark", () -> playground.dataPlane().metricsOutage(true));
        at(s, 90, 2, "! the metrics are back", () -> playground.dataPlane().metricsOutage(false));
        at(s, 180, 3, "! the users' traffic is back to normal", () -> playground.surge(1));
      }
    }

    private void at(long elapsed, long second, int order, String what, Runnable change) {
      if (stage == order && elapsed >= second) {
        out.println("  " + what);
        change.run();
        stage++;
      }
    }
  }

  /**
   * How the demo runs. With {@code gatewayApi}, the users reach the app through an HTTPRoute whose
   * weights Vigie sets; {@code metrics} says where the analysis reads the app's metrics; with
   * {@code keep} the playground stays up after the verdict until the thread is interrupted (Ctrl-C).
   */
  record Options(double speed, Optional<Path> kubeconfig, boolean gatewayApi, MetricsBackend.Choice metrics, boolean keep,
      Optional<Path> logFile, Optional<Judge> judge, Optional<Path> record, boolean blueGreen, OptionalInt dashboard) {
    Options(double speed, Optional<Path> kubeconfig, boolean gatewayApi, MetricsBackend.Choice metrics, boolean keep,
        Optional<Path> logFile) {
      this(speed, kubeconfig, gatewayApi, metrics, keep, logFile, Optional.empty(), Optional.empty(), false, OptionalInt.empty());
    }

    Options(double speed, Optional<Path> kubeconfig, boolean gatewayApi, MetricsBackend.Choice metrics, boolean keep,
        Optional<Path> logFile, Optional<Judge> judge) {
      this(speed, kubeconfig, gatewayApi, metrics, keep, logFile, judge, Optional.empty(), false, OptionalInt.empty());
    }

    /** The metrics the backend showed are written to {@code file} at the verdict, as `vigie simulate` replays them. */
    Options recordingTo(Path file) {
      return new Options(speed, kubeconfig, gatewayApi, metrics, keep, logFile, judge, Optional.of(file), blueGreen, dashboard);
    }

    /** The dashboard on 127.0.0.1:{@code port} (0: a free port), printed with the cluster. */
    Options withDashboard(int port) {
      return new Options(speed, kubeconfig, gatewayApi, metrics, keep, logFile, judge, record, blueGreen, OptionalInt.of(port));
    }

    static Options of(double speed) {
      return new Options(speed, Optional.empty(), false, MetricsBackend.Choice.AUTO, false, Optional.empty());
    }

    Options withJudge(Judge judge) {
      return new Options(speed, kubeconfig, gatewayApi, metrics, keep, logFile, Optional.of(judge), record, blueGreen, dashboard);
    }

    /** The release is blue-green (Release#blueGreen), judged by the threshold template after the switch. */
    Options withBlueGreen() {
      return new Options(speed, kubeconfig, gatewayApi, metrics, keep, logFile, judge, record, true, dashboard);
    }
  }

  /** Runs the scenario; returns the phase the Rollout ended in. */
  static RolloutPhase run(Scenario scenario, double speed, PrintStream out, Optional<Path> kubeconfig) throws Exception {
    return run(scenario, out, new Options(speed, kubeconfig, false, MetricsBackend.Choice.AUTO, false, Optional.empty()));
  }

  static RolloutPhase run(Scenario scenario, PrintStream out, Options options) throws Exception {
    double speed = options.speed();
    Optional<Path> kubeconfig = options.kubeconfig();
    boolean gatewayApi = options.gatewayApi();
    MetricsBackend.Choice metrics = options.metrics();
    double rps = scenario.quiet() ? QUIET_RPS : 20;
    Playground.Settings settings = new Playground.Settings(speed, 4, rps, 15, 42).withMetrics(metrics);
    try (Playground playground = new Playground(scenario == Scenario.WARM_UP ? settings.withWarmUp() : settings);
        LoadTester loadTester = scenario.quiet() ? new LoadTester(playground.dataPlane(), playground.clock()) : null;
        DashboardServer dashboard = options.dashboard().isEmpty() ? null : DashboardServer.start(playground.client(),
            Optional.of(Playground.NS), new InetSocketAddress("127.0.0.1", options.dashboard().getAsInt()), false,
            playground.clock())) {
      Judge judge = options.blueGreen() ? Judge.THRESHOLD
          : options.judge().orElse(scenario.defaultJudge(playground.metrics().kind().equals("prometheus")));
      out.println("Vigie playground: scenario " + scenario.word + " (" + scenario.story + ")");
      out.println("  cluster: mock API server at " + playground.client().getConfiguration().getMasterUrl()
          + ", time sped up " + speed + "x; app: Deployment web (4 pods of v1) behind Service web, "
          + (scenario.quiet() ? Math.round(QUIET_RPS * 60) + " requests a minute" : "20 requests/s"));
      if (loadTester != null) {
        out.println("  load test: gate load calls Flagger's loadtester protocol at " + loadTester.url() + " every 30s while the "
            + "canary runs its steps: " + Release.LOAD_TEST);
      }
      out.println("  data plane: " + playground.dataPlane().address() + "  (curl it; /metrics is what an instrumented app exports)");
      out.println("  metrics: " + playground.metrics().describe());
      out.println("  judge: " + judge.word() + (judge.baseline ? " (against a baseline: web-baseline, new pods of v1 at the "
          + "canary's size)" : ""));
      if (options.blueGreen()) {
        out.println("  strategy: blue-green (green, 4 pods of the new version, beside blue; users switch at once 30s after "
            + "green is ready, and back in one write if live traffic fails; blue stays warm 2m)");
      }
      options.logFile().ifPresent(path -> out.println("  logs: " + path + "  (the operator's, the API server's and the client's)"));
      if (dashboard != null) {
        out.println("  dashboard: " + dashboard.url() + "  (open it in a browser: the release, live, and its buttons)");
      }
      kubeconfig.ifPresent(path -> out.println("  kubeconfig: " + playground.writeKubeconfig(path)
          + "  (e.g. ./vigie status web --watch --kubeconfig " + path + ")"));
      if (gatewayApi) {
        out.println("  routing: Gateway API HTTPRoute web (backendRefs web-stable and web-canary; Vigie sets their weights)");
        playground.routeThroughGatewayApi();
      }
      SeriesRecorder recorder = options.record().isPresent() ? playground.record() : null;
      playground.deployApp("ghcr.io/example/web:v1");
      playground.startOperator();
      playground.apply(options.blueGreen() ? Release.blueGreen("30s", gatewayApi, playground.metrics())
          : Release.objects(STEPS, "30s", gatewayApi, playground.metrics(), judge,
              scenario.surgeGuard() ? Optional.of(playground.surgeProvider()) : Optional.empty(),
              Optional.ofNullable(loadTester).map(LoadTester::url)));
      Timeline timeline = new Timeline(playground, out, playground.clock().instant());
      Optional<String> adopted = awaitAdoption(playground, timeline);
      if (adopted.isEmpty()) {
        RolloutStatus s = timeline.poll().getStatus();
        out.println("  the operator did not adopt Deployment web within " + ADOPTION.toSeconds() + "s: "
            + (s == null ? "no status" : s.getMessage()));
        out.println("RESULT phase=" + (s == null || s.getPhase() == null ? "Unknown" : s.getPhase()) + " revision=none");
        return s == null ? null : s.getPhase();
      }
      String v1 = adopted.get();
      if (scenario.surgeGuard()) {
        // A few minutes of the users' usual traffic on v1 before the release: what the guard and a recording compare with.
        out.println("  guard: hold while the users' traffic is above twice its rate before the release");
        Duration until = playground.clock().elapsed().plus(TRAFFIC_BEFORE_RELEASE);
        while (playground.clock().elapsed().compareTo(until) < 0) {
          Thread.sleep(20);
        }
      }
      out.println("  release: kubectl set image deployment/web web=" + scenario.image);
      playground.release(scenario.image);
      Instant released = playground.clock().instant();
      if (recorder != null) {
        recorder.note("released " + scenario.image + " at " + released.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            + ": vigie simulate --release-at " + released.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      }
      Instant deadline = released.plus(Duration.ofMinutes(30));
      boolean outage = false;
      Weather weather = new Weather(scenario, playground, out, released);
      while (playground.clock().instant().isBefore(deadline)) {
        Rollout rollout = timeline.poll();
        RolloutStatus s = rollout.getStatus();
        weather.update();
        if (scenario == Scenario.METRICS_OUTAGE && !outage
            && Duration.between(released, playground.clock().instant()).compareTo(Duration.ofSeconds(45)) >= 0) {
          out.println("  ! the metrics backend goes down");
          playground.metrics().goDown();
          outage = true;
        }
        Optional<String> end = end(s, v1);
        if (end.isPresent()) {
          // The operator records Events after the status: wait for the one that tells this end.
          String last = lastEvent(s);
          long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (!timeline.saw(last) && System.nanoTime() < until) {
            Thread.sleep(20);
            timeline.poll();
          }
          // The report's traffic-back time is written once the canary's pods are gone: wait for it too.
          RolloutStatus ended = s;
          long drained = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (ended.getRollbackReport() != null && ended.getRollbackReport().getTrafficBackAt() == null
              && System.nanoTime() < drained) {
            Thread.sleep(20);
            ended = timeline.poll().getStatus();
          }
          timeline.report(ended.getRollbackReport());
          if (recorder != null) {
            // A few minutes past the verdict: a replay whose timing differs from the live run's has data to go on.
            Duration recordedUntil = playground.clock().elapsed().plus(RECORDED_AFTER_VERDICT);
            while (playground.clock().elapsed().compareTo(recordedUntil) < 0) {
              Thread.sleep(20);
            }
            recorder.write(options.record().get());
            recorder.close();
            out.println("  recorded: " + options.record().get() + "  (replay it: vigie simulate -f ROLLOUT --metrics "
                + options.record().get() + ")");
          }
          if (loadTester != null) {
            out.println("  load tests run: " + loadTester.started().size() + " (" + Release.LOAD_TEST + ")");
          }
          out.println();
          out.println("RESULT phase=" + s.getPhase() + " revision=" + end.get());
          if (options.keep()) {
            keepUp(playground, timeline, out, kubeconfig);
          }
          return s.getPhase();
        }
        Thread.sleep(50);
      }
      out.println("RESULT phase=Timeout revision=none");
      return null;
    }
  }

  /**
   * After the verdict: the playground stays up, and each further release a person starts (with the
   * CLI or kubectl) is followed like the first, its verdict and report printed, until interrupted.
   */
  private static void keepUp(Playground playground, Timeline timeline, PrintStream out, Optional<Path> kubeconfig) {
    String config = kubeconfig.map(path -> " --kubeconfig " + path).orElse("");
    out.println();
    out.println("The playground stays up (Ctrl-C to stop). Release again, e.g.:");
    out.println("  ./vigie set-image web web=ghcr.io/example/web:v3-errors -n " + Playground.NS + config
        + "    (tags: v3, v3-errors, v3-slow, v3-crash)");
    out.println("  ./vigie wait web --timeout 10m -n " + Playground.NS + config + "    or: ./vigie retry web, ./vigie status web --watch");
    out.flush();
    String judged = null;
    String stableBefore = null;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Rollout rollout = timeline.poll();
        RolloutStatus s = rollout == null ? null : rollout.getStatus();
        if (s != null && s.getPhase() == RolloutPhase.Healthy && s.getCanaryRevision() == null) {
          stableBefore = s.getStableRevision();
        }
        Optional<String> end = stableBefore == null ? Optional.empty() : end(s, stableBefore);
        String key = end.map(r -> s.getPhase() + "/" + r).orElse(null);
        if (key != null && !key.equals(judged) && !(s.getPhase() == RolloutPhase.Healthy && s.getStableRevision().equals(stableBefore))) {
          timeline.report(s.getRollbackReport());
          out.println("VERDICT phase=" + s.getPhase() + " revision=" + end.get());
          out.flush();
          judged = key;
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The stable revision once the operator has adopted the Deployment; empty if it has not within {@link #ADOPTION}. */
  private static Optional<String> awaitAdoption(Playground playground, Timeline timeline) throws InterruptedException {
    long until = System.nanoTime() + ADOPTION.toNanos();
    while (System.nanoTime() < until) {
      Rollout rollout = timeline.poll();
      if (rollout != null && rollout.getStatus() != null && rollout.getStatus().getPhase() == RolloutPhase.Healthy) {
        return Optional.of(rollout.getStatus().getStableRevision());
      }
      Thread.sleep(50);
    }
    return Optional.empty();
  }

  /** The reason of the Event the operator records last for this end of a release. */
  private static String lastEvent(RolloutStatus s) {
    return switch (s.getPhase()) {
      case Healthy -> "Promoted";
      case RolledBack -> "RolloutAborted";
      case Invalid -> "Invalid";
      default -> "Paused";
    };
  }

  /** The revision the release ended on, once it has ended. */
  static Optional<String> end(RolloutStatus s, String v1) {
    if (s == null || s.getPhase() == null) {
      return Optional.empty();
    }
    return switch (s.getPhase()) {
      case Healthy -> v1.equals(s.getStableRevision()) ? Optional.empty() : Optional.of(s.getStableRevision());
      case RolledBack -> Optional.of(s.getAbort() == null ? s.getCanaryRevision() : s.getAbort().getRevision());
      case Invalid -> Optional.of(String.valueOf(s.getCanaryRevision()));
      case Paused -> s.getConditions().stream().anyMatch(c -> "Paused".equals(c.getType()) && "True".equals(c.getStatus())
          && c.getReason() != null && c.getReason().startsWith("Analysis")) ? Optional.of(s.getCanaryRevision()) : Optional.empty();
      default -> Optional.empty();
    };
  }
}
