package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.SilentServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input that once stopped the operator, froze a Rollout or left a Deployment unguarded (issue 13's
 * attack pass), each through the real operator on the mock cluster: the Rollout is Invalid or held
 * with a message naming the fix, the others go on, and an adopted Deployment stays paused.
 */
class HardeningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private OperatorHarness k8s;

  @BeforeEach
  void start() {
    k8s = OperatorHarness.start();
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  private Resource<GenericKubernetesResource> generic(String name) {
    return k8s.client().genericKubernetesResources("vigie.io/v1alpha1", "Rollout").inNamespace(NS).withName(name);
  }

  private void createJson(String json) {
    k8s.client().genericKubernetesResources("vigie.io/v1alpha1", "Rollout").inNamespace(NS)
        .load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))).create();
  }

  /** What `kubectl edit vro NAME` does to the spec, with any JSON (an API server without the schema stores it). */
  @SuppressWarnings("unchecked")
  private void replaceSpec(String name, String specJson) throws Exception {
    Map<String, Object> spec = JSON.readValue(specJson, Map.class);
    for (int attempt = 0; ; attempt++) {
      try {
        GenericKubernetesResource r = generic(name).get();
        r.setAdditionalProperty("spec", spec);
        k8s.client().genericKubernetesResources("vigie.io/v1alpha1", "Rollout").inNamespace(NS).resource(r).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  private static String spec(String steps, String extra) {
    return """
        {"targetRef": {"kind": "Deployment", "name": "web"}, "service": {"name": "web", "port": 80},
         "strategy": {"canary": {"steps": %s}}%s}""".formatted(steps, extra);
  }

  private String adoptWeb(String steps) throws Exception {
    createJson("{\"apiVersion\": \"vigie.io/v1alpha1\", \"kind\": \"Rollout\", \"metadata\": {\"name\": \"web\"}, \"spec\": "
        + spec(steps, "") + "}");
    return k8s.awaitPhase("web", RolloutPhase.Healthy).getStableRevision();
  }

  private void assertGuarded() {
    k8s.eventually(() -> {
      assertThat(k8s.deployment("web").getSpec().getPaused()).as("the adopted Deployment stays paused").isTrue();
      assertThat(k8s.deployment("web").getMetadata().getAnnotations()).containsEntry("vigie.io/rollout", "web");
    });
  }

  @Test
  void aStatusThatCannotBeReadIsRebuiltFromTheClusterAndStopsNoOne() throws Exception {
    String v1 = adoptWeb("[{\"setWeight\": 25}, {\"pause\": {}}, {\"setWeight\": 50}, {\"pause\": {}}]");
    k8s.setImage("web", "shop/web:v2");
    RolloutStatus paused = k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.createDeployment("api", "shop/api:v1", 2);
    k8s.createService("api", "api");
    // An unknown top-level field, as an API server without Vigie's schema keeps it.
    createJson("""
        {"apiVersion": "vigie.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "api"}, "someTool": {"x": 1},
         "spec": {"targetRef": {"kind": "Deployment", "name": "api"}, "service": {"name": "api"},
                  "strategy": {"canary": {"steps": [{"setWeight": 50}, {"pause": {}}]}}}}""");
    k8s.awaitPhase("api", RolloutPhase.Healthy);

    // A status no Vigie wrote, through the status subresource: canaryWeight beyond an int.
    GenericKubernetesResource broken = generic("web").get();
    broken.setAdditionalProperty("status", Map.of("phase", "Progressing", "canaryWeight", 3_000_000_000L));
    k8s.client().genericKubernetesResources("vigie.io/v1alpha1", "Rollout").inNamespace(NS).resource(broken).updateStatus();
    k8s.nudge("web");

    RolloutStatus rebuilt = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && s.getStableRevision() != null
        && s.getCanaryWeight() != null && s.getCanaryWeight() < 100);
    assertThat(rebuilt.getStableRevision()).isEqualTo(v1);
    assertThat(rebuilt.getCanaryRevision()).isEqualTo(paused.getCanaryRevision());
    assertThat(rebuilt.getStep()).isEqualTo("2/4");
    await().atMost(OperatorHarness.WAIT).untilAsserted(() -> assertThat(k8s.events("web")).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("StatusRebuilt");
      assertThat(e.getMessage()).contains("could not be read").contains("stable revision " + v1);
    }));
    assertGuarded();

    // Another operator starts with both objects stored: it reads them and goes on.
    k8s.stopOperator();
    k8s.startOperator();
    k8s.setImage("api", "shop/api:v2");
    assertThat(k8s.awaitPhase("api", RolloutPhase.Paused).getStep()).isEqualTo("2/2");
  }

  @Test
  void schemaValidButAbsurdValuesAreInvalidAndTheAdoptedDeploymentStaysPaused() throws Exception {
    String stepsOk = "[{\"setWeight\": 20}, {\"pause\": {}}]";
    adoptWeb(stepsOk);
    String[][] cases = {
        {spec("[{\"setWeight\": 20}, {\"pause\": {\"duration\": \"2562047788015216h\"}}]", ""),
            "spec.strategy.canary.steps[1].pause.duration: '2562047788015216h' is longer than any duration Vigie accepts"},
        {spec("[{\"setWeight\": 20}, {\"pause\": {\"duration\": \"721h\"}}]", ""),
            "spec.strategy.canary.steps[1].pause.duration: '721h' is above the maximum 720h"},
        {spec("[{\"analysis\": {\"templates\": [{\"name\": \"\"}]}}]", ""),
            "spec.strategy.canary.steps[0].analysis.templates[0]: name a template"},
        {spec("null", ""), "spec.strategy.canary.steps is empty"},
        {spec("[{\"setWeight\": 20}, null]", ""), "spec.strategy.canary.steps[1] is null"},
        {spec(stepsOk, ", \"analysis\": {\"metrics\": [null]}"), "spec.analysis.metrics[0] is null"},
        {spec(stepsOk, ", \"analysis\": {\"args\": [null], \"templates\": [{\"name\": \"t\"}]}"), "spec.analysis.args[0] is null"},
        {spec(stepsOk, ", \"progressDeadlineSeconds\": \"600\""),
            "spec.progressDeadlineSeconds: expected an integer, found the string \"600\""},
        {spec(stepsOk, ", \"progressDeadlineSeconds\": 2147483648"), "spec.progressDeadlineSeconds: 2147483648 is out of range"},
        {spec(stepsOk, ", \"analysis\": {\"metrics\": [{\"name\": \"m\", \"failureLimit\": 2147483648, "
            + "\"thresholdRange\": {\"max\": 1}, \"provider\": {\"web\": {\"url\": \"http://x\"}}}]}"),
            "spec.analysis.metrics[0].failureLimit: 2147483648 is out of range"},
    };
    for (String[] c : cases) {
      replaceSpec("web", c[0]);
      RolloutStatus invalid = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Invalid && s.getMessage().contains(c[1]));
      assertThat(invalid.getMessage()).as(c[0]).doesNotContain("Vigie cannot decide");
      assertGuarded();
    }
    // Meanwhile a new image does not roll out: the Deployment is paused, and Vigie waits for a valid spec.
    k8s.setImage("web", "shop/web:v2");
    replaceSpec("web", spec(stepsOk, ""));
    assertThat(k8s.awaitPhase("web", RolloutPhase.Paused).getStep()).isEqualTo("2/2");
  }

  @Test
  void aHugePauseMidCanaryIsInvalidNotFrozenAndAbortStillTakesTheTrafficBack() throws Exception {
    adoptWeb("[{\"setWeight\": 25}, {\"pause\": {\"duration\": \"1m\"}}, {\"setWeight\": 50}]");
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitStatus("web", s -> "2/3".equals(s.getStep()));
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isEqualTo(1));

    replaceSpec("web", spec("[{\"setWeight\": 25}, {\"pause\": {\"duration\": \"9999999999999h\"}}, {\"setWeight\": 50}]", ""));
    assertThat(k8s.awaitPhase("web", RolloutPhase.Invalid).getMessage())
        .contains("steps[1].pause.duration: '9999999999999h' is longer than any duration Vigie accepts");
    k8s.annotate("web", "vigie.io/abort", "true");

    k8s.awaitStatus("web", s -> s.getAbort() != null);
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero());
    assertGuarded();
  }

  @Test
  void abortAndDeleteNeverWaitBehindAMeasurementThatHangs() throws Exception {
    try (SilentServer silent = SilentServer.start()) {
      adoptWeb("[{\"setWeight\": 25}, {\"pause\": {}}]");
      replaceSpec("web", spec("[{\"setWeight\": 25}, {\"pause\": {}}]", """
          , "analysis": {"metrics": [{"name": "hangs", "interval": "10s", "thresholdRange": {"max": 1},
             "provider": {"web": {"url": "%s", "timeout": "60s"}}}]}""".formatted(silent.url())));
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitPhase("web", RolloutPhase.Paused);
      await().atMost(OperatorHarness.WAIT).until(() -> silent.connections() >= 1);

      k8s.annotate("web", "vigie.io/abort", "true");
      // The measurement in flight would answer in 60 s at the earliest: the abort must not wait for it.
      await().atMost(Duration.ofSeconds(10)).until(() -> k8s.status("web").getPhase() == RolloutPhase.RolledBack);
      k8s.client().resources(Rollout.class).inNamespace(NS).withName("web").delete();
      await().atMost(Duration.ofSeconds(10)).until(() -> k8s.rollout("web") == null);
      assertThat(k8s.deployment("web").getSpec().getPaused()).isFalse();
    }
  }

  @Test
  void aSecondRolloutOnTheSameDeploymentIsInvalidAndDeletingItLeavesTheDeploymentGuarded() throws Exception {
    adoptWeb("[{\"setWeight\": 20}, {\"pause\": {}}]");
    k8s.createRollout("dup", "web", "web", CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());

    assertThat(k8s.awaitPhase("dup", RolloutPhase.Invalid).getMessage()).isEqualTo("Deployment web is already managed by "
        + "Rollout web: a Deployment has one Rollout; delete this one or point its spec.targetRef at another Deployment");
    k8s.client().resources(Rollout.class).inNamespace(NS).withName("dup").delete();
    await().atMost(OperatorHarness.WAIT).until(() -> k8s.rollout("dup") == null);
    assertGuarded();

    k8s.setImage("web", "shop/web:v2");
    RolloutStatus canary = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(canary.getStep()).isEqualTo("2/2");
    assertThat(canary.getCanaryWeight()).isEqualTo(20);
    assertGuarded();

    // The Rollout that adopted it gives it back: then another may adopt it.
    k8s.createRollout("next", "web", "web", CanaryStep.weight(50));
    k8s.awaitPhase("next", RolloutPhase.Invalid);
    k8s.client().resources(Rollout.class).inNamespace(NS).withName("web").delete();
    await().atMost(OperatorHarness.WAIT).until(() -> k8s.rollout("web") == null);
    k8s.setImage("web", "shop/web:v1");
    k8s.eventually(() -> assertThat(k8s.deployment("web").getMetadata().getAnnotations())
        .as("Deployment web adopted by Rollout next, which is %s: %s (conditions %s)", k8s.status("next").getPhase(),
            k8s.status("next").getMessage(), k8s.status("next").getConditions())
        .containsEntry("vigie.io/rollout", "next"));
    k8s.awaitPhase("next", RolloutPhase.Healthy);
  }

  @Test
  void analysisThatCannotWorkIsInvalidBeforeAnyTrafficMoves() throws Exception {
    String metric = """
        {"name": "errors", "thresholdRange": {"max": 1}, "successCondition": "result < {{args.max}}",
         "provider": {"web": {"url": "%s"}}}""";
    String[][] cases = {
        {"[{\"name\": \"max\", \"value\": \"{{args.max}}\"}]", metric.formatted("http://127.0.0.1:9/{{args.max}}"),
            "arg max is '{{args.max}}', which holds a placeholder"},
        {"[{\"name\": \"max\", \"value\": \"0.05\"}, {\"name\": \"base\", \"value\": \"not a url\"}]",
            metric.formatted("{{args.base}}/stats"), "provider.web.url 'not a url/stats' is not a URL"},
        {"[{\"name\": \"max\", \"value\": \"0.05 || true\"}]", metric.formatted("http://127.0.0.1:9/"),
            "with max = '0.05 || true' (a string)"},
    };
    adoptWeb("[{\"setWeight\": 20}, {\"pause\": {}}]");
    for (String[] c : cases) {
      replaceSpec("web", spec("[{\"setWeight\": 20}, {\"pause\": {}}]", ", \"analysis\": {\"args\": " + c[0]
          + ", \"metrics\": [" + c[1] + "]}"));
      // The operator must have seen the spec before the new template: Invalid at once, no canary yet.
      assertThat(k8s.awaitPhase("web", RolloutPhase.Invalid).getMessage()).contains(c[2]);
      k8s.afterReconciles("web", () -> k8s.setImage("web", "shop/web:v2"));
      assertThat(k8s.awaitPhase("web", RolloutPhase.Invalid).getMessage()).contains(c[2]);
      assertThat(k8s.deployment("web-canary")).as("nothing written: no canary").isNull();
      k8s.setImage("web", "shop/web:v1");
      replaceSpec("web", spec("[{\"setWeight\": 20}, {\"pause\": {}}]", ""));
      k8s.awaitPhase("web", RolloutPhase.Healthy);
    }
  }

  @Test
  void aHandEditOfTheStableServiceIsPutBackMidCanary() throws Exception {
    String v1 = adoptWeb("[{\"setWeight\": 25}, {\"pause\": {}}]");
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    String hash = k8s.status("web").getStablePodTemplateHash();
    assertThat(v1).isNotNull();

    k8s.client().services().inNamespace(NS).withName("web-stable").edit(s -> {
      s.getSpec().getSelector().remove("pod-template-hash");
      return s;
    });
    k8s.nudge("web");

    k8s.eventually(() -> assertThat(k8s.service("web-stable").getSpec().getSelector()).containsEntry("pod-template-hash", hash));
  }

  @Test
  void aTargetScaledToZeroMidCanaryHoldsTheCanaryWithNoPodUntilItIsScaledUp() throws Exception {
    adoptWeb("[{\"setWeight\": 20}, {\"pause\": {\"duration\": \"1m\"}}, {\"setWeight\": 50}]");
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitStatus("web", s -> "2/3".equals(s.getStep()));

    k8s.client().apps().deployments().inNamespace(NS).withName("web").scale(0);
    RolloutStatus held = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(held.getMessage()).startsWith("Deployment web is scaled to 0 replicas: the canary holds at step 2/3");
    assertThat(held.getCanaryWeight()).isZero();
    assertThat(held.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Paused");
      assertThat(c.getReason()).isEqualTo("TargetScaledToZero");
    });
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero());
    k8s.advance("web", Duration.ofMinutes(30));
    assertThat(k8s.awaitPhase("web", RolloutPhase.Paused).getStep()).as("no step passes while held").isEqualTo("2/3");

    k8s.client().apps().deployments().inNamespace(NS).withName("web").scale(4);
    k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Progressing && "2/3".equals(s.getStep())
        && s.getCanaryWeight() == 20);
    k8s.advance("web", Duration.ofMinutes(1));
    assertThat(k8s.awaitPhase("web", RolloutPhase.Healthy).getHistory()).singleElement()
        .satisfies(h -> assertThat(h.getVerdict()).isEqualTo(Verdict.Promoted));
  }

  @Test
  void aNameTheApiServerWouldRefuseIsNeverSentAndTheRolloutCanBeDeleted() {
    String longName = "a".repeat(10_000);
    k8s.createRollout("long", longName, "web", CanaryStep.weight(20));

    assertThat(k8s.awaitPhase("long", RolloutPhase.Invalid).getMessage()).startsWith("spec.targetRef.name 'aaaa")
        .contains("(10000 characters) is longer than 54 characters");
    assertThat(k8s.dispatcher().operatorPaths()).noneSatisfy(path -> assertThat(path).contains(longName));
    k8s.client().resources(Rollout.class).inNamespace(NS).withName("long").delete();
    await().atMost(OperatorHarness.WAIT).until(() -> k8s.rollout("long") == null);
  }
}
