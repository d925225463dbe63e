package io.vigie.playground;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.RolloutPhase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each `vigie demo` scenario, run as the demo runs it (the real operator on the playground), ends as
 * it should: with a real Prometheus scraping the data plane (./scripts/test installs it), and, for
 * the web provider path, through the data plane's own statistics.
 */
class DemoScenariosTest {
  /**
   * Awaits what a demo running in another thread prints. Not Awaitility's default of failing on any
   * thread's uncaught exception: the demo thread reports its own (printed, then asserted on), and a
   * JOSDK timer of an operator stopped by an earlier run may still fire into its closed pool
   * (RejectedExecutionException), which is no failure of the run awaited.
   */
  private static org.awaitility.core.ConditionFactory awaitOutput() {
    return org.awaitility.Awaitility.await().dontCatchUncaughtExceptions();
  }


  @ParameterizedTest
  @EnumSource(Scenario.class)
  void theScenarioEndsWithItsResultLineWithARealPrometheus(Scenario scenario) throws Exception {
    assertThat(MetricsBackend.prometheusBinary()).as("prometheus on PATH: ./scripts/test installs it").isPresent();
    Run run = demo(scenario, false, MetricsBackend.Choice.PROMETHEUS);
    String text = run.text();
    List<String> lines = text.lines().toList();

    assertThat(run.phase()).as(text).isEqualTo(scenario.expected);
    assertThat(text).contains("metrics: Prometheus at http://127.0.0.1:");
    assertThat(lines.get(lines.size() - 1)).matches("RESULT phase=" + scenario.expected + " revision=[0-9a-f]{10}");
    switch (scenario) {
      case GOOD -> assertThat(text).contains("Progressing step 2/4, canary weight 20%").contains("canary weight 50%")
          .contains("event Normal Promoted");
      case BAD_ERRORS -> {
        assertThat(text).contains("measured error-rate").contains("-> Failed")
            .contains("Rollback report: revision").contains("changed:   container web: image ghcr.io/example/web:v1 → "
                + "ghcr.io/example/web:v2-errors");
        // Percentages, a rule in words, both timings, and the failing measurement before the rollback it caused.
        assertThat(text).containsPattern("evidence:  error-rate Failed, measured [0-9.]+%, [0-9.]+%; rule: at most 5%")
            .containsPattern("timing:    decided [0-9hms]+ after the canary got traffic, traffic back on stable [0-9hms]+ later");
        int lastFailure = text.lastIndexOf("-> Failed");
        assertThat(lastFailure).isLessThan(text.indexOf("] RolledBack"));
      }
      case BAD_LATENCY -> assertThat(text).contains("measured latency-p99").contains("analysis latency-p99 failed");
      case METRICS_OUTAGE -> assertThat(text).contains("! the metrics backend goes down").contains("cannot reach Prometheus at")
          .contains("event Warning AnalysisError").doesNotContain("Promoted");
      case WARM_UP -> assertThat(text).contains("judge: sequential (against a baseline: web-baseline, new pods of v1")
          .contains("event Normal Promoted").doesNotContain("RolloutAborted");
      case SURGE -> {
        // Held while the traffic surges, no step passes during the hold, then promoted with no rollback.
        assertThat(text).contains("! the users' traffic triples").containsPattern("event Warning Held: held at step [23]/4: traffic surge: ")
            .contains("event Normal Promoted").doesNotContain("RolloutAborted");
        String during = text.substring(text.indexOf("traffic surge: "), text.indexOf("! the users' traffic is back to normal"));
        assertThat(during).doesNotContain("StepCompleted");
      }
      case BAD_DURING_SURGE -> assertThat(text).contains("! the users' traffic triples").contains("! the metrics go dark")
          .contains("event Warning Held").contains("event Warning RolloutAborted").doesNotContain("Promoted");
      case QUIET -> {
        // 6 requests a minute could never give the 20 a measurement needs: the load tests' requests judged the canary.
        assertThat(text).contains("6 requests a minute").contains("load test: gate load calls Flagger's loadtester protocol")
            .contains("event Normal Promoted").doesNotContain("AnalysisInconclusive").doesNotContain("RolloutAborted");
        assertThat(text).containsPattern("load tests run: [1-9][0-9]* \\(hey -z 30s -c 2 -q 3 http://web-canary.shop/\\)");
      }
    }
  }

  @org.junit.jupiter.api.Test
  void throughAGatewayApiRouteTheWarmUpIsJudgedAgainstABaselineThatGetsHalfTheCanarysWeight() throws Exception {
    Run run = demo(Scenario.WARM_UP, true, MetricsBackend.Choice.PROMETHEUS);

    assertThat(run.phase()).as(run.text()).isEqualTo(RolloutPhase.Healthy);
    assertThat(run.text()).contains("routing: Gateway API HTTPRoute web").contains("canary weight 20%")
        .contains("judge: sequential (against a baseline");
  }

  @org.junit.jupiter.api.Test
  void aJudgeThatCannotRunInTheDemoIsRefusedInOneLine() {
    assertThat(new picocli.CommandLine(new PlaygroundMain.DemoCommand()).execute("--judge", "flagger-tutorial")).isEqualTo(3);
    assertThat(new picocli.CommandLine(new PlaygroundMain.DemoCommand()).execute("--judge", "kayenta")).isEqualTo(3);
    assertThat(new picocli.CommandLine(new PlaygroundMain.DemoCommand()).execute("--judge", "compare", "--metrics", "web"))
        .isEqualTo(3);
  }

  @org.junit.jupiter.api.Test
  void throughAGatewayApiRouteTheCanaryGetsItsExactWeightAndABadReleaseIsRolledBack() throws Exception {
    Run run = demo(Scenario.BAD_ERRORS, true, MetricsBackend.Choice.WEB);
    String text = run.text();

    assertThat(run.phase()).as(text).isEqualTo(RolloutPhase.RolledBack);
    assertThat(text).contains("metrics: the data plane's statistics")
        .contains("routing: Gateway API HTTPRoute web").contains("canary weight 20%")
        .contains("measured error-rate").contains("-> Failed");
    assertThat(text.lines().reduce((a, b) -> b).orElse("")).matches("RESULT phase=RolledBack revision=[0-9a-f]{10}");
  }

  @org.junit.jupiter.api.Test
  void withTheDataPlanesStatisticsAMetricsOutagePausesTheRolloutToo() throws Exception {
    Run run = demo(Scenario.METRICS_OUTAGE, false, MetricsBackend.Choice.WEB);

    assertThat(run.phase()).as(run.text()).isEqualTo(RolloutPhase.Paused);
    assertThat(run.text()).contains("metrics: the data plane's statistics").contains("answered HTTP 503")
        .contains("event Warning AnalysisError").doesNotContain("Promoted");
  }

  @org.junit.jupiter.api.Test
  void withKeepThePlaygroundStaysUpAndJudgesTheNextReleaseTooUntilInterrupted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    java.nio.file.Path kubeconfig = dir.resolve("kubeconfig");
    Thread demo = new Thread(() -> {
      try {
        Demo.run(Scenario.GOOD, out, new Demo.Options(20, Optional.of(kubeconfig), false, MetricsBackend.Choice.WEB, true,
            Optional.empty()));
      } catch (Exception e) {
        e.printStackTrace(out);
      }
    });
    demo.start();
    try {
      awaitOutput().atMost(java.time.Duration.ofMinutes(2))
          .until(() -> printed.toString(StandardCharsets.UTF_8).contains("The playground stays up"));
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("RESULT phase=Healthy");
      // A second release, as a person would start it with the CLI, through the written kubeconfig.
      try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
          .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(null, kubeconfig.toFile())).build()) {
        client.apps().deployments().inNamespace(Playground.NS).withName("web").edit(d -> {
          d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("ghcr.io/example/web:v3-errors");
          return d;
        });
      }
      awaitOutput().atMost(java.time.Duration.ofMinutes(2))
          .until(() -> printed.toString(StandardCharsets.UTF_8).contains("VERDICT phase=RolledBack"));
      assertThat(demo.isAlive()).as("still up after the second verdict").isTrue();
    } finally {
      demo.interrupt();
      demo.join(30_000);
    }
    assertThat(demo.isAlive()).as("stopped by the interrupt (Ctrl-C)").isFalse();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Rollback report: revision");
  }

  /** `vigie demo --dashboard`: the URL printed serves the release live, and the rollback with its report. */
  @org.junit.jupiter.api.Test
  void withTheDashboardTheBadReleaseIsSeenCaughtInTheBrowsersPages() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    Thread demo = new Thread(() -> {
      try {
        Demo.run(Scenario.BAD_ERRORS, out, new Demo.Options(20, Optional.empty(), false, MetricsBackend.Choice.WEB, true,
            Optional.empty()).withDashboard(0));
      } catch (Exception e) {
        e.printStackTrace(out);
      }
    });
    demo.start();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    try {
      java.util.regex.Pattern printedUrl = java.util.regex.Pattern.compile("  dashboard: (http://127\\.0\\.0\\.1:[0-9]+/) ");
      String url = awaitOutput().atMost(java.time.Duration.ofMinutes(1))
          .until(() -> {
            java.util.regex.Matcher m = printedUrl.matcher(printed.toString(StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
          }, java.util.Objects::nonNull);
      java.net.URI page = java.net.URI.create(url).resolve("rollouts/shop/web");
      java.util.Set<String> seen = new java.util.TreeSet<>();
      awaitOutput().atMost(java.time.Duration.ofMinutes(2)).pollInterval(java.time.Duration.ofMillis(200))
          .until(() -> {
            String body = http.send(java.net.http.HttpRequest.newBuilder(page).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher phase = java.util.regex.Pattern.compile("class=\"phase [a-z]+\">([A-Za-z]+)<").matcher(body);
            if (phase.find()) {
              seen.add(phase.group(1));
            }
            return body.contains("Rollback report") && body.contains("RolledBack");
          });
      assertThat(seen).as("the page followed the release").contains("Progressing", "RolledBack");
      String overview = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(overview).contains("data-rollout=\"shop/web\"").contains("1 waiting for a person");
    } finally {
      demo.interrupt();
      demo.join(30_000);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("RESULT phase=RolledBack");
  }

  /** `vigie demo` as a person runs it, in its own process: the terminal shows the story only, the logs go to the file. */
  @org.junit.jupiter.api.Test
  void theDemosOutputIsItsStoryAndItsLogsGoToTheLogFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path log = dir.resolve("demo.log");
    Process demo = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.vigie.playground.PlaygroundMain", "demo", "--speed", "20",
        "--metrics", "web", "--log-file", log.toString()).redirectErrorStream(true).start();
    String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(demo.waitFor()).as(output).isZero();
    assertThat(output).contains("  logs: " + log).contains("RESULT phase=Healthy");
    // Every line is the demo's: its header, the timeline, the result; no logger's line, no stack trace.
    assertThat(output.lines()).allSatisfy(line -> assertThat(line).doesNotContainPattern("\\b(WARN|ERROR|INFO)\\b")
        .doesNotStartWith("\tat ").doesNotContain("Exception"));
    assertThat(java.nio.file.Files.readString(log)).as("the operator's own log lines").contains("operator started");
  }

  @org.junit.jupiter.api.Test
  void aSpeedThatCannotWorkIsRefusedInOneLine() {
    assertThat(Speed.problem(0)).hasValue("--speed 0: use a number of simulated seconds per real second above 0 and at most "
        + "600, e.g. 10 (1 is real time)");
    assertThat(Speed.problem(-3)).get().asString().startsWith("--speed -3:");
    assertThat(Speed.problem(Double.NaN)).isPresent();
    assertThat(Speed.problem(601)).isPresent();
    assertThat(Speed.problem(10)).isEmpty();
    assertThat(new picocli.CommandLine(new PlaygroundMain.DemoCommand()).execute("--speed", "-3")).isEqualTo(3);
  }

  /**
   * `vigie demo --strategy blue-green`: a bad green is switched back after the post-promotion analysis
   * fails on live traffic; a good one is promoted, users on the Deployment's new pods at the end.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"bad-errors, false", "good, true"})
  void blueGreenScenariosEndAsTheirCanaryOnes(String word, boolean gatewayApi) throws Exception {
    Scenario scenario = Scenario.of(word);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    RolloutPhase phase;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      phase = Demo.run(scenario, out, new Demo.Options(20, Optional.empty(), gatewayApi, MetricsBackend.Choice.PROMETHEUS, false,
          Optional.empty()).withBlueGreen());
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(phase).as(text).isEqualTo(scenario.expected);
    assertThat(text).contains("strategy: blue-green").contains("event Normal Switched: switched");
    if (scenario == Scenario.BAD_ERRORS) {
      assertThat(text).contains("-> Failed").contains("Rollback report: revision").doesNotContain("Promoted");
    } else {
      assertThat(text).contains("event Normal Promoted").doesNotContain("RolloutAborted");
    }
  }

  /** What `vigie demo` printed, and where the Rollout ended. */
  private record Run(RolloutPhase phase, String text) {}

  private static Run demo(Scenario scenario, boolean gatewayApi, MetricsBackend.Choice metrics) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    RolloutPhase phase;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      phase = Demo.run(scenario, out, new Demo.Options(20, Optional.empty(), gatewayApi, metrics, false, Optional.empty()));
    }
    return new Run(phase, printed.toString(StandardCharsets.UTF_8));
  }
}
