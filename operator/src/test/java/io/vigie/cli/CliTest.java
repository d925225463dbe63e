package io.vigie.cli;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.testing.CanaryTraffic;
import io.vigie.testkit.HttpStub;
import io.vigie.testing.Routes;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.RecordingDispatcher;
import io.vigie.testing.Routes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command of the CLI against the mock API server, on rollouts driven by the real operator,
 * as a person or a CI job runs them: what they print, what they change, their exit codes.
 */
class CliTest {
  static final Path GOLDEN = Path.of("src/test/resources/cli");
  static final Path DOCS = Path.of(System.getProperty("vigie.examples", "../examples")).resolveSibling("docs");
  private OperatorHarness k8s;
  private Path kubeconfig;
  private HttpStub metrics;

  /** What one run of the CLI printed, and its exit code. */
  record Run(int code, String out, String err) {}

  @BeforeEach
  void start(@TempDir Path dir) throws IOException {
    k8s = OperatorHarness.start();
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s"}}]
        users: [{name: me, user: {token: test}}]
        contexts: [{name: mock, context: {cluster: mock, user: me, namespace: shop}}]
        current-context: mock
        """.formatted(k8s.client().getConfiguration().getMasterUrl()));
    // Pods too, as `vigie status` shows them under their ReplicaSets.
    k8s.controller().withPods();
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
  }

  @AfterEach
  void stop() {
    if (metrics != null) {
      metrics.close();
    }
    k8s.close();
  }

  private Run vigie(String... args) {
    return vigie(new StringWriter(), args);
  }

  private Run vigie(StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = VigieCommand.commandLine(new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        K made = CommandLine.defaultFactory().create(type);
        // Ages count in the operator's simulated time.
        if (made instanceof StatusCommand s) {
          s.clock = k8s.clock();
          s.terminal = false;
        } else if (made instanceof ListCommand l) {
          l.clock = k8s.clock();
        }
        return made;
      }
    });
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--kubeconfig";
    all[args.length + 1] = kubeconfig.toString();
    int code = cli.execute(all);
    return new Run(code, out.toString(), err.toString());
  }

  private void rollout(CanaryStep... steps) {
    k8s.createRollout("web", "web", "web", steps);
    k8s.awaitPhase("web", RolloutPhase.Healthy);
  }

  /**
   * A step analysis on the error rate of the requests the canary actually served (CanaryTraffic):
   * a bad image fails a quarter of them; a canary with no traffic gives no evidence.
   */
  private CanaryStep errorRateAnalysis() {
    io.vigie.testing.ErrorRateAnalysis analysis = io.vigie.testing.ErrorRateAnalysis.create(k8s);
    metrics = analysis.metrics();
    return analysis.step();
  }

  private static void assertGolden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("vigie.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual);
    }
    assertThat(actual).as("golden %s (regenerate with -Dvigie.golden.update=true)", file).isEqualTo(Files.readString(file));
    // docs/cli.md shows this very output.
    assertThat(Files.readString(DOCS.resolve("cli.md"))).as("docs/cli.md quotes %s", file).contains(actual);
  }

  @Test
  void statusOfAProgressingRolloutAtAFixedWidth() throws IOException {
    rollout(CanaryStep.weight(25), errorRateAnalysis(), CanaryStep.weight(50), CanaryStep.pauseUntilPromoted(),
        CanaryStep.weight(100));
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.advance("web", java.time.Duration.ofSeconds(42));
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getStatus().getReadyReplicas()).isEqualTo(4));

    Run status = vigie("status", "web", "--width", "100");

    assertThat(status.code()).isZero();
    assertGolden("status-progressing.txt", status.out());
    assertThat(vigie("get", "web", "--width", "100").out()).isEqualTo(status.out());
  }

  @Test
  void statusOfARolloutHeldByAGateShowsItsAnswerAndWhenItIsAskedAgain() {
    try (io.vigie.testkit.HttpStub freeze = io.vigie.testkit.HttpStub.answering(
        r -> io.vigie.testkit.HttpStub.Response.status(503, "change freeze until Monday"))) {
      rollout(CanaryStep.weight(25));
      io.vigie.api.v1alpha1.Gate gate = new io.vigie.api.v1alpha1.Gate();
      gate.setName("freeze");
      gate.setType(io.vigie.api.v1alpha1.Gate.Type.preRollout);
      gate.setUrl(freeze.url("/check"));
      k8s.editRollout("web", r -> {
        r.getSpec().setGates(java.util.List.of(gate));
        return r;
      });
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitPhase("web", RolloutPhase.Paused);
      k8s.advance("web", java.time.Duration.ofSeconds(12));

      Run status = vigie("status", "web", "--width", "120");

      assertThat(status.out()).contains("Gates      0 of 1 passed\n"
          + "  freeze (preRollout)  Waiting  1 call, last: HTTP 503: change freeze until Monday; asked again in 18s\n");
    }
  }

  @Test
  void statusOfARolledBackRolloutShowsTheReport() throws IOException {
    rollout(CanaryStep.weight(25), errorRateAnalysis(), CanaryStep.weight(50));
    k8s.setImage("web", "shop/web:v2-bad");
    k8s.awaitPhase("web", RolloutPhase.RolledBack);
    k8s.eventually(() -> assertThat(k8s.status("web").getRollbackReport().getTrafficBackAt()).isNotNull());

    Run status = vigie("status", "web", "--width", "100");

    assertThat(status.code()).isZero();
    assertGolden("status-rolledback.txt", status.out());
  }

  /** In a terminal 140 columns wide (a pseudo-terminal from script(1)), with no COLUMNS: the view uses the width. */
  @Test
  void statusInATerminalWrapsAtTheTerminalsWidth() throws Exception {
    rollout(CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cli = String.join(" ", List.of(quote(java), "-cp", quote(System.getProperty("java.class.path")), "io.vigie.cli.VigieCommand",
        "status", "web", "--kubeconfig", quote(kubeconfig.toString())));
    ProcessBuilder builder = new ProcessBuilder("script", "-qec", "stty cols 140 rows 50; " + cli, "/dev/null")
        .redirectErrorStream(true);
    builder.environment().remove("COLUMNS");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r", "");

    assertThat(process.waitFor()).as(output).isZero();
    // The message (92 characters after its label) fits on one line at 140, where 100 would wrap it.
    assertThat(output.lines()).anySatisfy(l -> assertThat(l).startsWith("Message    step 2/2: paused until promoted")
        .endsWith("<rollout>)").hasSizeGreaterThan(100).hasSizeLessThanOrEqualTo(140));
    assertThat(output.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(140));
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  @Test
  void listShowsEveryRolloutOfTheNamespaceOrOfAll() {
    rollout(CanaryStep.weight(20));

    Run list = vigie("list");
    assertThat(list.code()).isZero();
    assertThat(list.out().lines().toList()).hasSize(2);
    assertThat(list.out()).startsWith("NAME   PHASE     STEP   WEIGHT   STABLE").contains("web    Healthy   -      0%");
    assertThat(vigie("list", "-A").out()).startsWith("NAMESPACE   NAME").contains("shop        web");
    assertThat(vigie("list", "-n", "other").out()).isEqualTo("No Rollouts in namespace other.\n");
    Run json = vigie("list", "-o", "json");
    assertThat(json.out()).contains("\"kind\" : \"Rollout\"").contains("\"name\" : \"web\"");
  }

  @Test
  void promoteMovesPastAPauseAndSaysWhatTheOperatorDid() {
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted(), CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && "2/4".equals(s.getStep()));

    Run promote = vigie("promote", "web");

    assertThat(promote.code()).as(promote.err()).isZero();
    assertThat(promote.out()).contains("shop/web: requested vigie.io/promote=true")
        .contains("shop/web: step 2/4 promoted");
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && "4/4".equals(s.getStep()));

    Run full = vigie("promote", "web", "--full");
    assertThat(full.out()).contains("skipped the remaining steps");
    k8s.awaitPhase("web", RolloutPhase.Healthy);

    Run again = vigie("promote", "web");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("vigie promote: shop/web: nothing to promote while the Rollout is Healthy (promote "
        + "moves a canary in progress past its current step; change the Deployment's image to start one)\n");
  }

  @Test
  void abortRetryPauseAndResume() {
    rollout(CanaryStep.weight(20), CanaryStep.pauseFor("10m"), CanaryStep.weight(50));
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitStatus("web", s -> "2/3".equals(s.getStep()));

    assertThat(vigie("pause", "web").out()).contains("paused at step 2/3");
    assertThat(k8s.awaitPhase("web", RolloutPhase.Paused).getUserPaused()).isTrue();
    Run pauseAgain = vigie("pause", "web");
    assertThat(pauseAgain.code()).isEqualTo(1);
    assertThat(pauseAgain.err()).contains("shop/web: already paused (vigie.io/resume lets it go on)");
    assertThat(vigie("resume", "web").out()).contains("resumed at step 2/3");

    Run abort = vigie("abort", "web");
    assertThat(abort.code()).isZero();
    assertThat(abort.out()).contains("aborted revision").contains("now phase=RolledBack");
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero());
    assertThat(vigie("abort", "web").err()).contains("shop/web: no canary in progress while the Rollout is RolledBack");

    Run retry = vigie("retry", "web");
    assertThat(retry.code()).isZero();
    assertThat(retry.out()).contains("retrying revision").contains("from step 1/3");
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Progressing && "2/3".equals(s.getStep()));
    assertThat(vigie("resume", "web").err()).contains("shop/web: the Rollout was not paused with vigie.io/pause");
  }

  @Test
  void aControlTheOperatorDoesNotTakeUpTimesOutWithExitCode2() {
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.stopOperator();

    Run promote = vigie("promote", "web", "--timeout", "1s");

    assertThat(promote.code()).isEqualTo(2);
    assertThat(promote.err()).contains("the operator has not acted on vigie.io/promote after 1s: is it running?");
    assertThat(k8s.rollout("web").getMetadata().getAnnotations()).containsEntry("vigie.io/promote", "true");
  }

  @Test
  void setImageChangesTheContainerAndNamesTheRolloutThatTakesIt() {
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());

    Run set = vigie("set-image", "web", "app=shop/web:v2");

    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("deployment shop/web: container app: shop/web:v1 -> shop/web:v2")
        .contains("goes through Rollout web; follow it with: vigie status web --watch, or vigie wait web");
    assertThat(k8s.deployment("web").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);

    Run wrong = vigie("set-image", "web", "api=shop/web:v3");
    assertThat(wrong.code()).isEqualTo(3);
    assertThat(wrong.err()).isEqualTo("vigie set-image: deployment shop/web has no container 'api': its containers are app\n");
    assertThat(vigie("set-image", "web", "app").err()).contains("'app' is not CONTAINER=IMAGE");
  }

  @Test
  void setImageToTheImageAlreadyThereSaysNothingChangedAndWritesNothing() {
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    Run same = vigie("set-image", "web", "app=shop/web:v1");

    assertThat(same.code()).isZero();
    assertThat(same.out()).isEqualTo("deployment shop/web: container app already runs shop/web:v1; nothing changed, no new revision\n");
    k8s.afterReconciles("web", () -> { });
    assertThat(k8s.status("web").getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(k8s.status("web").getCanaryRevision()).isNull();
  }

  @Test
  void waitExitsZeroOnHealthyOnTheNewRevision() throws Exception {
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    vigie("set-image", "web", "app=shop/web:v2");

    CompletableFuture<Run> wait = CompletableFuture.supplyAsync(() -> vigie("wait", "web", "--timeout", "20s", "--interval", "100ms"));
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.annotate("web", "vigie.io/promote", "true");

    Run run = wait.get();
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    String revision = k8s.status("web").getStableRevision();
    assertThat(run.out()).startsWith("shop/web: waiting up to 20s for the verdict on revision " + revision + "\n")
        .endsWith("shop/web: Healthy: revision " + revision + " serves all traffic\n");
  }

  @Test
  void promoteSwitchesABlueGreenReleaseAndWaitSeesItsVerdict() throws Exception {
    io.vigie.api.v1alpha1.BlueGreenStrategy blueGreen = new io.vigie.api.v1alpha1.BlueGreenStrategy();
    blueGreen.setScaleDownDelaySeconds(0);
    k8s.createBlueGreenRollout("web", "web", "web", null, blueGreen);
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    vigie("set-image", "web", "app=shop/web:v2");

    CompletableFuture<Run> wait = CompletableFuture.supplyAsync(() -> vigie("wait", "web", "--timeout", "20s", "--interval", "100ms"));
    k8s.awaitPhase("web", RolloutPhase.Paused);
    Run promote = vigie("promote", "web");
    assertThat(promote.code()).as(promote.out() + promote.err()).isZero();

    Run run = wait.get();
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    String revision = k8s.status("web").getStableRevision();
    assertThat(run.out()).endsWith("shop/web: Healthy: revision " + revision + " serves all traffic\n");
    assertThat(k8s.status("web").getHistory()).last().satisfies(h -> assertThat(h.getReason()).contains("passed the preview"));
  }

  @Test
  void waitExitsOneOnARollbackWithTheReason() throws Exception {
    rollout(CanaryStep.weight(25), errorRateAnalysis(), CanaryStep.weight(50));
    vigie("set-image", "web", "app=shop/web:v2-bad");

    Run run = vigie("wait", "web", "--timeout", "20s", "--interval", "100ms");

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).contains("RolledBack: revision").contains("error-rate").contains("it changed container app: image");
  }

  @Test
  void waitExitsTwoOnTimeoutAndThreeOnUsageErrors() {
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    vigie("set-image", "web", "app=shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);

    Run timeout = vigie("wait", "web", "--timeout", "1s", "--interval", "100ms");
    assertThat(timeout.code()).isEqualTo(2);
    assertThat(timeout.out()).contains("no verdict on revision").contains("after 1s (phase=Paused");

    Run missing = vigie("wait", "wbe", "--timeout", "1s");
    assertThat(missing.code()).isEqualTo(3);
    assertThat(missing.err()).isEqualTo("vigie wait: rollout shop/wbe not found: did you mean web?\n");
    assertThat(vigie("wait", "web").code()).as("--timeout is required").isEqualTo(3);
    assertThat(vigie("wait", "web", "--timeout", "soon").err()).contains("--timeout: 'soon' is not a duration");
  }

  @Test
  void anUnreachableClusterIsAUsageErrorInOneLine(@TempDir Path dir) throws IOException {
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: me, user: {token: x}}]
        contexts: [{name: nowhere, context: {cluster: nowhere, user: me}}]
        current-context: nowhere
        """);

    Run run = vigie("wait", "web", "--timeout", "5s");

    assertThat(run.code()).isEqualTo(3);
    assertThat(run.err()).startsWith("vigie wait: cannot reach the Kubernetes API at https://127.0.0.1:1/")
        .contains("check KUBECONFIG, --kubeconfig or --context").hasLineCount(1);
  }

  @Test
  void aForbiddenCallSaysWhichVerbOnWhichResource() {
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.dispatcher().before((write, applied) -> write.actor() == null && "PATCH".equals(write.method())
        && write.path().contains("/rollouts/web") ? Optional.of(RecordingDispatcher.status(403, "Forbidden")) : Optional.empty());

    Run promote = vigie("promote", "web");

    assertThat(promote.code()).isEqualTo(3);
    assertThat(promote.err()).isEqualTo("vigie promote: forbidden: you may not patch rollouts.vigie.io in namespace shop "
        + "(ask your cluster admin for that permission, or use another --context)\n");
  }

  @Test
  void watchWhenNotATerminalPrintsALinePerChange() throws Exception {
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    AtomicReference<Thread> watcher = new AtomicReference<>();
    StringWriter printed = new StringWriter();
    CompletableFuture<Run> watch = CompletableFuture.supplyAsync(() -> {
      watcher.set(Thread.currentThread());
      return vigie(printed, "status", "web", "--watch", "--interval", "50ms");
    });
    k8s.eventually(() -> assertThat(printed.toString()).contains("phase=Healthy"));
    k8s.setImage("web", "shop/web:v2");
    k8s.eventually(() -> assertThat(printed.toString()).contains("phase=Paused"));
    k8s.annotate("web", "vigie.io/promote", "true");
    k8s.eventually(() -> assertThat(printed.toString().lines().reduce((a, b) -> b).orElse("")).contains("phase=Healthy"));
    watcher.get().interrupt();

    Run run = watch.get();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d phase=Healthy weight=0 message=\"revision \\w+ serves all traffic\"");
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("phase=Paused step=2/2 weight=20"));
    assertThat(lines.get(lines.size() - 1)).contains("phase=Healthy");
    // A line per change: never the same line twice in a row (a state may come back, e.g. 5/4 then 3/4 then 5/4 pods).
    for (int i = 1; i < lines.size(); i++) {
      assertThat(lines.get(i).substring(9)).as("line %d", i).isNotEqualTo(lines.get(i - 1).substring(9));
    }
    assertThat(run.out()).doesNotContain("\033[");
  }

  @Test
  void jsonOutputIsTheRolloutObject() {
    rollout(CanaryStep.weight(20));

    Run json = vigie("status", "web", "-o", "json");

    Rollout parsed = k8s.client().getKubernetesSerialization().unmarshal(json.out(), Rollout.class);
    assertThat(parsed.getStatus().getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(vigie("status", "web", "-o", "yaml").out()).contains("kind: \"Rollout\"").contains("phase: \"Healthy\"");
  }

  @Test
  void theKubectlPluginRunsTheLauncherNextToItsRealLocationWithTheArguments(@TempDir Path dir) throws Exception {
    // As installed: the plugin symlinked from a directory on PATH, the launcher beside the real file.
    Path repo = Files.createDirectories(dir.resolve("vigie"));
    Path plugin = Files.copy(Routes.EXAMPLES.resolveSibling("kubectl-vigie"), repo.resolve("kubectl-vigie"));
    Path launcher = Files.writeString(repo.resolve("vigie"), "#!/usr/bin/env bash\necho \"vigie $*\"\n");
    launcher.toFile().setExecutable(true);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("kubectl-vigie"), plugin);

    Process process = new ProcessBuilder(bin.resolve("kubectl-vigie").toString(), "status", "web", "-n", "shop")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).as(output).isZero();
    assertThat(output).isEqualTo("vigie status web -n shop\n");
  }

  /** The launcher's first run builds with Maven, whose colour resets must not reach the person's terminal. */
  @Test
  void theLaunchersFirstBuildPrintsNoRawEscapeCodes(@TempDir Path dir) throws Exception {
    Path repo = Files.createDirectories(dir.resolve("vigie"));
    Path launcher = Files.copy(Routes.EXAMPLES.resolveSibling("vigie"), repo.resolve("vigie"));
    launcher.toFile().setExecutable(true);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    // A Maven that prints as Maven 3.8 does in batch mode, and builds the jar; a java that says how it was called.
    Path mvn = Files.writeString(bin.resolve("mvn"), """
        #!/usr/bin/env bash
        printf '\\033[0m\\033[0m[INFO] built\\033[0m\\n'
        mkdir -p operator/target && touch operator/target/vigie.jar
        """);
    Path fakeJava = Files.writeString(bin.resolve("java"), "#!/usr/bin/env bash\necho \"java $*\"\n");
    mvn.toFile().setExecutable(true);
    fakeJava.toFile().setExecutable(true);
    ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true);
    builder.environment().put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).as(output).isZero();
    assertThat(output).contains("vigie: building operator").contains("[INFO] built").doesNotContain("\033")
        .endsWith("-jar " + repo.resolve("operator/target/vigie.jar") + " --version\n");
  }

  @Test
  void theCiExamplesRunCommandsTheCliAccepts() throws IOException {
    int commands = 0;
    for (String file : List.of("github-actions.yaml", "gitlab-ci.yaml")) {
      for (String line : Files.readAllLines(Routes.EXAMPLES.resolve("ci").resolve(file))) {
        int at = line.indexOf("./vigie ");
        String command = at < 0 ? "" : line.substring(at);
        if (at >= 0) {
          String[] args = command.substring("./vigie ".length()).replaceAll("\\$\\{\\{[^}]*}}|\\$\\w+", "x").split("\\s+");
          CommandLine.ParseResult parsed = VigieCommand.commandLine().parseArgs(args);
          assertThat(parsed.subcommand()).as(command).isNotNull();
          commands++;
        }
      }
    }
    assertThat(commands).as("vigie commands in examples/ci").isEqualTo(6);
  }

  @Test
  void aContextThatIsNotInTheKubeconfigIsRefusedRatherThanFallingBackToTheCurrentOne() {
    rollout(CanaryStep.weight(20));

    Run run = vigie("list", "--context", "prod-eu1");

    assertThat(run.code()).isEqualTo(3);
    assertThat(run.err()).isEqualTo("vigie list: no context 'prod-eu1' in the kubeconfig: its contexts are [mock]\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void setImageChangesAnInitContainerAsKubectlDoes() {
    // A merge patch, as `kubectl patch` sends: the simulated controller writes the Deployment's status meanwhile.
    k8s.client().apps().deployments().inNamespace(NS).withName("web").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"initContainers\":[{\"name\":\"migrate\",\"image\":\"shop/migrate:v1\"}]}}}}");
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());

    Run set = vigie("set-image", "web", "migrate=shop/migrate:v2");

    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("container migrate: shop/migrate:v1 -> shop/migrate:v2");
    assertThat(k8s.deployment("web").getSpec().getTemplate().getSpec().getInitContainers().get(0).getImage())
        .isEqualTo("shop/migrate:v2");
    assertThat(k8s.deployment("web").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop/web:v1");
  }

  /** docs/dashboard.md: a port in use or out of range is one line and exit 3, before anything listens. */
  @Test
  void theDashboardSaysWhyItCannotListen() throws IOException {
    Run outOfRange = vigie("dashboard", "--port", "70000");
    assertThat(outOfRange.code()).isEqualTo(3);
    assertThat(outOfRange.err()).isEqualTo("vigie dashboard: --port 70000 is not a port (0 to 65535)\n");
    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Run taken = vigie("dashboard", "--port", String.valueOf(busy.getLocalPort()));
      assertThat(taken.code()).isEqualTo(3);
      assertThat(taken.err()).isEqualTo("vigie dashboard: cannot serve the dashboard on 127.0.0.1:" + busy.getLocalPort()
          + ": Address already in use (another --port?)\n");
    }
  }
}
