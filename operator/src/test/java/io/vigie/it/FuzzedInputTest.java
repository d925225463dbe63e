package io.vigie.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Timer;
import io.vigie.api.schema.CrdSchemaValidator;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testing.InputFuzzer;
import io.vigie.testkit.HttpStub;
import io.vigie.testkit.MockCluster;
import io.vigie.testing.OperatorHarness;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 13's "done means": at least 1,000 generated Rollouts and AnalysisTemplates (a seeded
 * {@link InputFuzzer}), each pushed through the CRD schema as an API server checks it, and then
 * through the real operator on the mock cluster in batches, next to a good Rollout, whatever the
 * schema said: an API server without CEL stores what only the CEL rules refuse, one without Vigie's
 * schema stores everything. Asserted over every batch: the operator never stops, every Rollout gets
 * a status with a phase (and a message when Invalid), no decision falls back on "Vigie cannot decide"
 * (the validation names every problem), nothing is logged with a stack trace, no reconcile takes
 * longer than its bound, the good Rollout completes, and every deletion completes.
 */
class FuzzedInputTest {
  private static final long SEED = Long.getLong("vigie.fuzz.seed", 13L);
  private static final int BATCHES = 6;
  private static final int ROLLOUTS_PER_BATCH = 110;
  private static final int TEMPLATES_PER_BATCH = 60;
  private static final Duration RECONCILE_BOUND = Duration.ofSeconds(10);

  @Test
  void noInputStopsTheOperatorOrLeavesARolloutWithoutAStatus() throws Exception {
    Path crds = MockCluster.CRDS;
    CrdSchemaValidator rolloutSchema = CrdSchemaValidator.forCrd(crds.resolve("rollouts.vigie.io-v1.yml"), "v1alpha1");
    CrdSchemaValidator templateSchema = CrdSchemaValidator.forCrd(crds.resolve("analysistemplates.vigie.io-v1.yml"), "v1alpha1");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    // Warnings and errors are what this test reads; a line per decision of a thousand Rollouts is not.
    Map<Logger, Level> levels = new java.util.HashMap<>();
    for (String name : List.of("io.vigie", "io.javaoperatorsdk", "io.fabric8")) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      levels.put(logger, logger.getLevel());
      logger.setLevel(Level.WARN);
    }
    Map<String, Integer> schema = new TreeMap<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    int rollouts = 0;
    int templates = 0;
    try (HttpStub metrics = HttpStub.serving(() -> "{\"status\": \"success\", \"data\": {\"resultType\": \"scalar\", "
        + "\"result\": [0, \"0.1\"]}, \"value\": 0.1}");
        OperatorHarness k8s = OperatorHarness.start()) {
      InputFuzzer fuzzer = new InputFuzzer(SEED, metrics.url(""));
      KubernetesClient client = k8s.client();
      for (int batch = 0; batch < BATCHES; batch++) {
        long started = System.nanoTime();
        String ns = "fuzz-" + batch;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        for (int i = 0; i < ROLLOUTS_PER_BATCH; i++) {
          app(client, ns, "app-" + i);
        }
        app(client, ns, "good");
        create(client, ns, fuzzer.template("good-t"));
        create(client, ns, goodRollout());
        for (int i = 0; i < TEMPLATES_PER_BATCH; i++) {
          // Half the templates stay valid, so that Rollouts whose own fields pass run their analyses.
          ObjectNode template = i % 2 == 0 ? fuzzer.template("t-" + i) : fuzzer.mutate(fuzzer.template("t-" + i), 1 + i % 3);
          schema.merge("template " + verdict(templateSchema, template), 1, Integer::sum);
          create(client, ns, template);
          templates++;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ROLLOUTS_PER_BATCH; i++) {
          // Even Rollouts run the valid (even) templates, so that their own fields decide how far they get.
          ObjectNode rollout = fuzzer.mutate(fuzzer.rollout("r-" + i, "app-" + i, "t-" + (i % TEMPLATES_PER_BATCH),
              "t-" + ((i + 8) % TEMPLATES_PER_BATCH)), 1 + i % 3);
          schema.merge("rollout " + verdict(rolloutSchema, rollout), 1, Integer::sum);
          create(client, ns, rollout);
          names.add("r-" + i);
          rollouts++;
        }
        names.add("good");

        awaitStatus(client, ns, names, "after creation");
        for (int i = 0; i < ROLLOUTS_PER_BATCH; i++) {
          setImage(client, ns, "app-" + i, "shop/app:v2");
        }
        setImage(client, ns, "good", "shop/good:v2");
        await().atMost(OperatorHarness.WAIT).until(() -> status(client, ns, "good").getCanaryRevision() != null);
        // Steps, pauses and measurements of every Rollout that can run, until the good one is promoted.
        for (int round = 0; round < 60 && phase(client, ns, "good") != RolloutPhase.Healthy; round++) {
          String before = progress(client, ns);
          k8s.clock().advance(Duration.ofSeconds(20));
          // Only the Rollouts that can still move need to see the time pass; an Invalid one waits for a new spec.
          for (Rollout r : client.resources(Rollout.class).inNamespace(ns).list().getItems()) {
            if (r.getStatus() == null || r.getStatus().getPhase() != RolloutPhase.Invalid) {
              nudge(client, ns, r.getMetadata().getName(), round);
            }
          }
          // The next step of time once the good Rollout has seen this one (or has nothing to show for it).
          awaitQuietly(() -> !progress(client, ns).equals(before));
        }
        String v2 = revision(client, ns);
        await().atMost(OperatorHarness.WAIT).untilAsserted(() -> {
          RolloutStatus good = status(client, ns, "good");
          assertThat(good.getPhase()).as("batch %s: the good Rollout completes (%s)", ns, good.getMessage())
              .isEqualTo(RolloutPhase.Healthy);
          assertThat(good.getHistory()).isNotEmpty();
        });
        assertThat(v2).isNotNull();
        for (RolloutStatus s : awaitStatus(client, ns, names, "after the release")) {
          outcomes.merge(s.getPhase().name(), 1, Integer::sum);
          assertThat(s.getMessage()).as("a decision that fell back on the catch-all: the validation missed something")
              .doesNotStartWith("Vigie cannot decide");
        }
        assertThat(k8s.operator().health().liveness().ok()).as("the operator still runs").isTrue();
        assertThat(slowestReconcile(k8s)).as("no reconcile blocks longer than its bound").isLessThan(RECONCILE_BOUND);

        client.resources(Rollout.class).inNamespace(ns).delete();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(
            client.genericKubernetesResources("vigie.io/v1alpha1", "Rollout").inNamespace(ns).list().getItems())
            .as("every deletion completes").isEmpty());
        System.out.printf("fuzz batch %s: %d ms%n", ns, (System.nanoTime() - started) / 1_000_000);
        // What is left would only slow down the mock API server, which scans every object it holds.
        client.apps().deployments().inNamespace(ns).delete();
        client.services().inNamespace(ns).delete();
        client.genericKubernetesResources("vigie.io/v1alpha1", "AnalysisTemplate").inNamespace(ns).delete();
        client.v1().events().inNamespace(ns).delete();
      }
      // What the operator logs while it is stopped at the end is not about bad input.
      root.detachAppender(logs);
    } finally {
      root.detachAppender(logs);
      levels.forEach(Logger::setLevel);
    }
    List<String> stackTraces = logs.list.stream()
        .filter(e -> e.getThrowableProxy() != null && e.getLevel().isGreaterOrEqual(Level.WARN))
        .filter(e -> e.getLoggerName().startsWith("io.vigie") || e.getLoggerName().startsWith("io.javaoperatorsdk"))
        // The logging is global to the test JVM: a line that names a resource of another namespace is
        // not about this test's input (an operator left by another test class logs there too).
        .filter(e -> !OTHER_NAMESPACE.matcher(e.getFormattedMessage()).find())
        .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage() + " / " + e.getThrowableProxy().getMessage())
        .toList();
    System.out.printf("fuzz seed=%d: %d Rollouts and %d AnalysisTemplates generated (%d batches)%n", SEED, rollouts, templates,
        BATCHES);
    System.out.println("fuzz schema verdicts: " + schema);
    System.out.println("fuzz phases of the fuzzed Rollouts (and the good one) after a release: " + outcomes);
    System.out.println("fuzz stack traces logged: " + stackTraces.size());
    assertThat(rollouts + templates).isGreaterThanOrEqualTo(1000);
    assertThat(stackTraces).as("no stack trace is logged for bad input").isEmpty();
  }

  /** Waits up to 1 s for the condition; going on without it is fine (a round with nothing to show). */
  private static void awaitQuietly(java.util.concurrent.Callable<Boolean> condition) {
    try {
      await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // nothing moved this round
    }
  }

  /** The Rollout that must complete in every batch: short steps, one analysis step on a valid template. */
  private static ObjectNode goodRollout() throws Exception {
    return (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
        {"apiVersion": "vigie.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "good"},
         "spec": {"targetRef": {"kind": "Deployment", "name": "good"}, "service": {"name": "good", "port": 80},
          "strategy": {"canary": {"steps": [{"setWeight": 25}, {"pause": {"duration": "20s"}},
             {"analysis": {"templates": [{"name": "good-t"}], "args": [{"name": "max", "value": "0.5"}]}},
             {"setWeight": 50}]}}}}""");
  }

  private static String verdict(CrdSchemaValidator validator, ObjectNode object) throws Exception {
    String json = object.toString();
    if (validator.validate(json).isEmpty()) {
      return "accepted by the schema";
    }
    return validator.validateStructure(json).isEmpty() ? "stored only without CEL" : "stored only without the schema";
  }

  private static void app(KubernetesClient client, String ns, String name) {
    client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(2)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("shop/" + name + ":v1").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    client.services().inNamespace(ns).resource(new ServiceBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addToSelector("app", name).addNewPort().withName("http").withPort(80).endPort().endSpec()
        .build()).create();
  }

  private static void create(KubernetesClient client, String ns, ObjectNode object) {
    client.genericKubernetesResources(object.get("apiVersion").asText(), object.get("kind").asText()).inNamespace(ns)
        .load(new ByteArrayInputStream(object.toString().getBytes(StandardCharsets.UTF_8))).create();
  }

  private static void setImage(KubernetesClient client, String ns, String deployment, String image) {
    client.apps().deployments().inNamespace(ns).withName(deployment).patch(PatchContext.of(PatchType.JSON),
        "[{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/0/image\", \"value\": \"" + image + "\"}]");
  }

  /** Touches the Rollout so that the operator looks at it again (a merge patch: no conflict with its writes). */
  private static void nudge(KubernetesClient client, String ns, String rollout, int round) {
    client.genericKubernetesResources("vigie.io/v1alpha1", "Rollout").inNamespace(ns).withName(rollout)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\": {\"annotations\": {\"test.vigie.io/nudge\": \"" + round
            + "\"}}}");
  }

  private static RolloutStatus status(KubernetesClient client, String ns, String name) {
    Rollout r = client.resources(Rollout.class).inNamespace(ns).withName(name).get();
    return r == null || r.getStatus() == null ? new RolloutStatus() : r.getStatus();
  }

  private static RolloutPhase phase(KubernetesClient client, String ns, String name) {
    return status(client, ns, name).getPhase();
  }

  private static String progress(KubernetesClient client, String ns) {
    RolloutStatus s = status(client, ns, "good");
    return s.getPhase() + " " + s.getStep() + " " + s.getMessage();
  }

  private static String revision(KubernetesClient client, String ns) {
    return status(client, ns, "good").getStableRevision();
  }

  private static List<RolloutStatus> awaitStatus(KubernetesClient client, String ns, List<String> names, String when) {
    List<RolloutStatus> seen = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      seen.clear();
      for (String name : names) {
        RolloutStatus s = status(client, ns, name);
        assertThat(s.getPhase()).as("%s/%s has a phase %s", ns, name, when).isNotNull();
        if (s.getPhase() == RolloutPhase.Invalid) {
          assertThat(s.getMessage()).as("%s/%s is Invalid with a message", ns, name).isNotBlank();
        }
        seen.add(s);
      }
    });
    return seen;
  }

  /** A JOSDK resource id outside the fuzz namespaces. */
  private static final java.util.regex.Pattern OTHER_NAMESPACE =
      java.util.regex.Pattern.compile("ResourceID\\{name='[^']*', namespace='(?!fuzz-)[^']*'\\}");

  private static Duration slowestReconcile(OperatorHarness k8s) {
    double max = k8s.operator().metrics().registry().getMeters().stream()
        .filter(m -> m instanceof Timer && m.getId().getName().contains("execution"))
        .mapToDouble(m -> ((Timer) m).max(TimeUnit.MILLISECONDS))
        .max().orElse(0);
    return Duration.ofMillis((long) max);
  }
}
