package io.vigie.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigie.api.v1alpha1.Rollout;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real kubectl binary against the playground, as a newcomer uses it: the examples applied with
 * validation on, `get` with the printer columns, `-w`, `describe` with Events, `annotate`, `set
 * image`, `patch`, `delete`. Every command must end within 5 seconds. The tests share one
 * playground and run in order, as a session at a terminal does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlTest {
  private static final Path EXAMPLES = Path.of(System.getProperty("vigie.examples", "../examples"));
  private static final Duration COMMAND = Duration.ofSeconds(5);
  private static final String NS = "demo";
  private static Playground playground;
  private static Path kubeconfig;

  /** What one kubectl command printed, and how it exited. */
  record Run(int code, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    assertThat(kubectl()).as("kubectl on PATH: ./scripts/test installs it (Debian kubernetes-client)").isPresent();
    playground = new Playground(new Playground.Settings(10, 4, 0, 15, 1));
    playground.startOperator();
    kubeconfig = playground.writeKubeconfig(Files.createTempDirectory("kubectl").resolve("kubeconfig"));
  }

  @AfterAll
  static void stop() {
    if (playground != null) {
      playground.close();
    }
  }

  @Test
  @Order(1)
  void theExamplesApplyWithValidationOnAndABadFieldIsRefusedBeforeAnythingIsStored() throws Exception {
    assertThat(ok("create", "namespace", NS).out()).contains("namespace/" + NS + " created");

    Run applied = ok("apply", "-n", NS, "-f", EXAMPLES.resolve("basic-canary").toString());
    assertThat(applied.out()).contains("deployment.apps/web created", "rollout.vigie.io/web created", "service/web created");

    Path typo = Files.createTempFile("typo", ".yaml");
    Files.writeString(typo, Files.readString(EXAMPLES.resolve("basic-canary/rollout.yaml")).replace("name: web\nspec:",
        "name: typo\nspec:\n  progressDeadlineSecond: 30"));
    Run refused = kubectl("apply", "-n", NS, "-f", typo.toString());
    assertThat(refused.code()).as(refused.toString()).isNotZero();
    assertThat(refused.err()).contains("progressDeadlineSecond").contains("unknown field");
    assertThat(playground.client().resources(Rollout.class).inNamespace(NS).withName("typo").get()).isNull();
  }

  @Test
  @Order(2)
  void getShowsThePrinterColumnsInOrderAndTheBuiltInKindsTheirOwn() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        ok("get", "vro", "web", "-n", NS, "-o", "jsonpath={.status.phase}").out()).isEqualTo("Healthy"));
    // kstatus' Ready condition (docs/integrations.md): what a CI job waits on.
    assertThat(ok("wait", "--for=condition=Ready", "vro/web", "-n", NS, "--timeout=30s").out())
        .contains("rollout.vigie.io/web condition met");
    List<String> rollouts = ok("get", "vro", "-n", NS).out().lines().toList();
    assertThat(rollouts.get(0).split("\\s+")).containsExactly("NAME", "PHASE", "STEP", "WEIGHT", "STABLE", "CANARY", "AGE");
    assertThat(rollouts.get(1)).startsWith("web").contains("Healthy");

    assertThat(ok("get", "deploy", "-n", NS).out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<String> pods = ok("get", "pods", "-n", NS).out().lines().toList();
      assertThat(pods.get(0).split("\\s+")).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
      assertThat(pods).filteredOn(l -> l.startsWith("web-")).hasSize(4).allSatisfy(l -> assertThat(l).contains("1/1", "Running"));
    });
  }

  @Test
  @Order(3)
  void aWatchShowsTheCanaryStartedBySetImage() throws Exception {
    Process watch = new ProcessBuilder(command("get", "vro", "web", "-n", NS, "-w")).redirectErrorStream(true).start();
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (var in = watch.getInputStream()) {
        int b;
        while ((b = in.read()) >= 0) {
          synchronized (seen) {
            seen.append((char) b);
          }
        }
      } catch (IOException e) {
        // The watch was stopped.
      }
    });
    reader.start();
    try {
      await().atMost(COMMAND).until(() -> text(seen).contains("Healthy"));
      assertThat(ok("set", "image", "deployment/web", "web=ghcr.io/example/web:1.1.0", "-n", NS).out())
          .contains("deployment.apps/web image updated");
      await().atMost(Duration.ofSeconds(30)).until(() -> text(seen).contains("Progressing") || text(seen).contains("Paused"));
      assertThat(text(seen).lines().filter(l -> l.startsWith("NAME")).count()).as("one header: %s", text(seen)).isEqualTo(1);
    } finally {
      watch.destroy();
      watch.waitFor(5, TimeUnit.SECONDS);
    }
    String image = ok("get", "deployment", "web", "-n", NS, "-o", "jsonpath={.spec.template.spec.containers[0].image}").out();
    assertThat(image).isEqualTo("ghcr.io/example/web:1.1.0");
    // The strategic merge patch merged the container by name: its port and probe are still there.
    assertThat(ok("get", "deployment", "web", "-n", NS, "-o", "jsonpath={.spec.template.spec.containers[0].ports[0].containerPort}")
        .out()).isEqualTo("8080");
  }

  @Test
  @Order(4)
  void describeShowsTheRolloutsEvents() {
    // The canary of the watch test is in flight: not Ready, Reconciling.
    Run notReady = kubectl("wait", "--for=condition=Ready", "vro/web", "-n", NS, "--timeout=2s");
    assertThat(notReady.code()).as(notReady.toString()).isNotZero();
    assertThat(notReady.err()).contains("timed out");
    assertThat(ok("wait", "--for=condition=Reconciling", "vro/web", "-n", NS, "--timeout=10s").out()).contains("condition met");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String described = ok("describe", "vro", "web", "-n", NS).out();
      assertThat(described).contains("Events:").doesNotContain("Events:  <none>").contains("Adopted").contains("NewRevision");
    });
    assertThat(ok("get", "events", "-n", NS).out().lines().findFirst().orElseThrow().split("\\s{2,}"))
        .containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
  }

  @Test
  @Order(5)
  void annotateAndPatchChangeOnlyWhatTheyName() {
    assertThat(ok("annotate", "vro", "web", "-n", NS, "team=shop").out()).contains("rollout.vigie.io/web annotated");
    assertThat(ok("get", "vro", "web", "-n", NS, "-o", "jsonpath={.metadata.annotations.team}").out()).isEqualTo("shop");
    assertThat(ok("patch", "deployment", "web", "-n", NS, "-p", "{\"metadata\":{\"labels\":{\"tier\":\"front\"}}}").out())
        .contains("deployment.apps/web patched");
    assertThat(ok("get", "deployment", "web", "-n", NS, "-o", "jsonpath={.metadata.labels.tier},{.spec.replicas}").out())
        .isEqualTo("front,4");
    Run ssa = kubectl("apply", "--server-side", "-n", NS, "-f", EXAMPLES.resolve("basic-canary/service.yaml").toString());
    assertThat(ssa.code()).isNotZero();
    assertThat(ssa.err()).contains("server-side apply is not supported by the playground");
  }

  @Test
  @Order(6)
  void explainReadsTheRolloutsSchema() {
    assertThat(ok("explain", "vro.spec.progressDeadlineSeconds").out()).contains("KIND:", "Rollout", "progressDeadlineSeconds");
  }

  @Test
  @Order(7)
  void deletingFourRolloutsAtOnceEndsWithinSecondsAndLeavesNoFinalizer() throws IOException {
    Path more = Files.createTempFile("more", ".yaml");
    StringBuilder yaml = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      for (String file : List.of("deployment.yaml", "service.yaml", "rollout.yaml")) {
        yaml.append(Files.readString(EXAMPLES.resolve("basic-canary").resolve(file)).replace("web", "web" + i)).append("\n---\n");
      }
    }
    Files.writeString(more, yaml.toString());
    ok("apply", "-n", NS, "-f", more.toString());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        ok("get", "vro", "web1", "web2", "web3", "-n", NS, "-o", "jsonpath={.items[*].status.phase}").out().split(" "))
        .containsExactly("Healthy", "Healthy", "Healthy"));
    // web is mid-canary (paused at its last step): its deletion must give the Deployment back too.

    assertThat(ok("delete", "vro", "--all", "-n", NS).out().lines()).hasSize(4);
    assertThat(ok("get", "vro", "-n", NS, "--ignore-not-found").out()).isBlank();
    // Each Deployment was given back, unpaused, before its Rollout's finalizer went.
    assertThat(ok("get", "deploy", "-n", NS, "-o", "jsonpath={.items[*].spec.paused}").out()).doesNotContain("true");
    ok("delete", "-n", NS, "-f", more.toString(), "--ignore-not-found");
    Run deleted = ok("delete", "-n", NS, "-f", EXAMPLES.resolve("basic-canary").toString(), "--ignore-not-found");
    assertThat(deleted.out()).contains("deployment.apps \"web\" deleted", "service \"web\" deleted");
    assertThat(ok("get", "vro,deploy,svc", "-n", NS, "--ignore-not-found").out()).isBlank();
  }

  private static String text(StringBuilder seen) {
    synchronized (seen) {
      return seen.toString();
    }
  }

  /** A command that must succeed within {@link #COMMAND}. */
  private static Run ok(String... args) {
    Run run = kubectl(args);
    assertThat(run.code()).as("kubectl %s: %s", String.join(" ", args), run).isZero();
    return run;
  }

  private static Run kubectl(String... args) {
    try {
      Path out = Files.createTempFile("kubectl", ".out");
      Path err = Files.createTempFile("kubectl", ".err");
      Process p = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not end within " + COMMAND.toSeconds() + "s: "
            + Files.readString(out) + Files.readString(err));
      }
      return new Run(p.exitValue(), Files.readString(out).strip(), Files.readString(err).strip());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(kubectl().orElseThrow().toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return command;
  }

  static Optional<Path> kubectl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
