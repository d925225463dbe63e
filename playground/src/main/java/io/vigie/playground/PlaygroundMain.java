package io.vigie.playground;

import io.vigie.cli.VigieCommand;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `vigie demo` (and `vigie bench`) on the playground; any other command is the vigie CLI's. */
public final class PlaygroundMain {
  private PlaygroundMain() {}

  @Command(name = "demo", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 3,
      description = "Releases a new version of an app on an embedded cluster and shows Vigie watching it.")
  static final class DemoCommand implements Callable<Integer> {
    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "good",
        description = "good, bad-errors, bad-latency, metrics-outage, warm-up, surge, bad-during-surge or quiet. Default: "
            + "${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--record", paramLabel = "FILE", description = "Write what the metrics backend showed (the users' rate, "
        + "the canary's error rate and p99) as a CSV that `vigie simulate` replays.")
    Path record;

    @Option(names = "--judge", paramLabel = "JUDGE", description = "threshold (limits on error rate and p99), sequential "
        + "(errorRate of errors and slow requests against a baseline) or compare (Kayenta's judge against a baseline); the "
        + "last two need Prometheus. Default: sequential for warm-up with Prometheus, else threshold.")
    String judge;

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "10",
        description = "Simulated seconds per real second (analysis intervals and pauses shrink alike). Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--kubeconfig-out", paramLabel = "PATH", description = "Write a kubeconfig for the playground's API server "
        + "here (implies --keep).")
    Path kubeconfig;

    @Option(names = "--dashboard", description = "Serve the dashboard on 127.0.0.1 (its URL is printed): watch the release "
        + "live in a browser, and press its buttons (implies --keep).")
    boolean dashboard;

    @Option(names = "--dashboard-port", paramLabel = "PORT", defaultValue = "3100",
        description = "The dashboard's port (0: a free one). Default: ${DEFAULT-VALUE}.")
    int dashboardPort;

    @Option(names = "--keep", description = "After the verdict, keep the playground up until Ctrl-C, so that you can release "
        + "again (vigie set-image web web=ghcr.io/example/web:v3-errors, or kubectl), retry, or wait.")
    boolean keep;

    @Option(names = "--log-file", paramLabel = "PATH", description = "Where the operator's, the API server's and the client's "
        + "logs go. Default: vigie-demo.log in the temporary directory.")
    Path logFile;

    @Option(names = "--router", paramLabel = "ROUTER", defaultValue = "replicas",
        description = "replicas (the Service's pods share the traffic) or gateway-api (an HTTPRoute with exact weights). "
            + "Default: ${DEFAULT-VALUE}.")
    String router;

    @Option(names = "--strategy", paramLabel = "STRATEGY", defaultValue = "canary",
        description = "canary (steps of weight) or blue-green (green at full size beside blue, one switch each way). "
            + "Default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(names = "--metrics", paramLabel = "BACKEND", defaultValue = "auto", description = "Where the analysis reads metrics: "
        + "prometheus (a real one, scraping the data plane), web (the data plane's statistics), or auto (prometheus when on "
        + "PATH). Default: ${DEFAULT-VALUE}.")
    String metrics;

    @Override
    public Integer call() throws Exception {
      Optional<String> badSpeed = Speed.problem(speed);
      if (badSpeed.isPresent()) {
        System.err.println("vigie demo: " + badSpeed.get());
        return 3;
      }
      Scenario chosen;
      try {
        chosen = Scenario.of(scenario);
      } catch (IllegalArgumentException e) {
        System.err.println("vigie demo: " + e.getMessage());
        return 3;
      }
      if (!router.equals("replicas") && !router.equals("gateway-api")) {
        System.err.println("vigie demo: no router '" + router + "': use replicas or gateway-api");
        return 3;
      }
      if (!strategy.equals("canary") && !strategy.equals("blue-green")) {
        System.err.println("vigie demo: no strategy '" + strategy + "': use canary or blue-green");
        return 3;
      }
      boolean blueGreen = strategy.equals("blue-green");
      if (blueGreen && (judge != null && !judge.equals("threshold") || chosen.surgeGuard() || chosen.quiet())) {
        System.err.println("vigie demo: blue-green judges green on live traffic after the switch with the threshold judge, "
            + "and guards and load-test gates work with canary steps only: drop --judge, or use --scenario good, bad-errors, "
            + "bad-latency, metrics-outage or warm-up");
        return 3;
      }
      MetricsBackend.Choice backend;
      try {
        backend = MetricsBackend.Choice.of(metrics);
      } catch (IllegalArgumentException e) {
        System.err.println("vigie demo: " + e.getMessage());
        return 3;
      }
      if (backend == MetricsBackend.Choice.PROMETHEUS && MetricsBackend.prometheusBinary().isEmpty()) {
        System.err.println("vigie demo: no prometheus on PATH (nor in $VIGIE_PROMETHEUS): install it (apt-get install prometheus) "
            + "or use --metrics web");
        return 3;
      }
      Optional<Judge> chosenJudge;
      try {
        chosenJudge = Optional.ofNullable(judge).map(Judge::of);
      } catch (IllegalArgumentException e) {
        System.err.println("vigie demo: " + e.getMessage());
        return 3;
      }
      if (chosenJudge.filter(Judge::peer).isPresent()) {
        System.err.println("vigie demo: " + judge + " is a peer's policy, measured by ./scripts/bench: use threshold, "
            + "sequential or compare");
        return 3;
      }
      boolean web = backend == MetricsBackend.Choice.WEB || MetricsBackend.prometheusBinary().isEmpty();
      if (web && chosenJudge.filter(j -> j != Judge.THRESHOLD).isPresent()) {
        System.err.println("vigie demo: the " + judge + " judge reads counters and series from Prometheus: install it "
            + "(apt-get install prometheus) or use --judge threshold");
        return 3;
      }
      Path log = logFile != null ? logFile : Path.of(System.getProperty("java.io.tmpdir"), "vigie-demo.log");
      LogFile.routeAllLogsTo(log);
      if (dashboardPort < 0 || dashboardPort > 65535) {
        System.err.println("vigie demo: --dashboard-port " + dashboardPort + " is not a port (0 to 65535)");
        return 3;
      }
      var options = new Demo.Options(speed, Optional.ofNullable(kubeconfig), router.equals("gateway-api"), backend,
          keep || kubeconfig != null || dashboard, Optional.of(log), chosenJudge, Optional.ofNullable(record), blueGreen,
          dashboard ? java.util.OptionalInt.of(dashboardPort) : java.util.OptionalInt.empty());
      // Ctrl-C: interrupt the demo and let it close the playground (the Prometheus process with it).
      Thread demo = Thread.currentThread();
      java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        demo.interrupt();
        try {
          closed.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "vigie-demo-stop"));
      try {
        var phase = Demo.run(chosen, System.out, options);
        return phase == chosen.expected ? 0 : 1;
      } catch (InterruptedException e) {
        System.out.println("stopped");
        return 130;
      } finally {
        closed.countDown();
      }
    }
  }

  /** The demo and the bench print their own story: the operator's and the API server's logs would drown it. */
  static void quietLogs() {
    for (String name : java.util.List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.vigie", "io.javaoperatorsdk")) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.WARN);
    }
    // The client's notice that v1alpha1 is unstable, and the mock server's shutdown chatter.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.fabric8")).setLevel(ch.qos.logback.classic.Level.ERROR);
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.netty")).setLevel(ch.qos.logback.classic.Level.ERROR);
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    for (var handler : java.util.logging.Logger.getLogger("").getHandlers()) {
      handler.setLevel(java.util.logging.Level.WARNING);
    }
  }

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("demo") || args[0].equals("bench"))) {
      quietLogs();
    }
    if (args.length > 0 && args[0].equals("demo")) {
      System.exit(new CommandLine(new DemoCommand()).execute(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("bench")) {
      System.exit(new CommandLine(new Bench()).execute(Arrays.copyOfRange(args, 1, args.length)));
    }
    System.exit(VigieCommand.commandLine().execute(args));
  }
}
