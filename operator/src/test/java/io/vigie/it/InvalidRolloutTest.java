package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.PauseStep;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testing.OperatorHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Rollout whose spec or referenced objects are wrong goes Invalid, says how to fix it, and touches nothing. */
class InvalidRolloutTest {
  private OperatorHarness k8s;

  @BeforeEach
  void start() {
    k8s = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void aMissingDeploymentIsNamedAndTheRolloutRecoversOnceItExists() {
    k8s.createService("web", "web");
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20));

    RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);
    assertThat(invalid.getMessage()).isEqualTo("Deployment shop/web not found: create it or fix spec.targetRef.name");
    assertThat(invalid.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Invalid");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getMessage()).isEqualTo(invalid.getMessage());
    });
    assertNothingTouched();
    await().atMost(OperatorHarness.WAIT).untilAsserted(() -> assertThat(k8s.events("web")).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("Invalid");
      assertThat(e.getMessage()).isEqualTo(invalid.getMessage());
    }));

    k8s.createDeployment("web", "shop/web:v1", 2);

    RolloutStatus healthy = k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(healthy.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Invalid");
      assertThat(c.getStatus()).isEqualTo("False");
    });
  }

  @Test
  void aMissingServiceIsNamedAndTheDeploymentIsNotPaused() {
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.createRollout("web", "web", "frontend", CanaryStep.weight(20));

    RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);

    assertThat(invalid.getMessage()).isEqualTo("Service shop/frontend not found: create it or fix spec.service.name");
    assertNothingTouched();
    assertThat(k8s.deployment("web").getSpec().getPaused()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void aServiceThatDoesNotSelectTheDeploymentsPodsIsRefused() {
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.createService("web", "api");
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20));

    RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);

    assertThat(invalid.getMessage()).isEqualTo(
        "Service shop/web selects {app=api} but the pods of Deployment web are labelled {app=web}: "
            + "fix the Service's selector or spec.service.name");
    assertNothingTouched();
  }

  @Test
  void aStepWithTwoActionsIsNamedByItsIndex() {
    // The mock API server does not enforce the CRD schema, as an API server without Vigie's
    // current CRD would not: the operator must refuse the step itself.
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.createService("web", "web");
    CanaryStep both = CanaryStep.weight(20);
    both.setPause(new PauseStep("1m"));
    k8s.createRollout("web", "web", "web", CanaryStep.weight(10), both, CanaryStep.weight(150));

    RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);

    assertThat(invalid.getMessage()).isEqualTo(
        "spec.strategy.canary.steps[1] has 2 actions: a step has exactly one of setWeight, pause, analysis, "
        + "setHeaderRoute or gate; "
            + "spec.strategy.canary.steps[2].setWeight is 150: use a percentage from 0 to 100");
    assertNothingTouched();
    assertThat(k8s.deployment("web").getSpec().getPaused()).isNotEqualTo(Boolean.TRUE);

    k8s.editRollout("web", r -> {
      r.getSpec().getStrategy().getCanary().getSteps().remove(2);
      r.getSpec().getStrategy().getCanary().getSteps().get(1).setSetWeight(null);
      return r;
    });
    assertThat(k8s.awaitPhase("web", RolloutPhase.Healthy).getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void aDeploymentOfSomeoneElseWithTheCanarysNameIsLeftAlone() {
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.createService("web", "web");
    k8s.createDeployment("web-canary", "team-b/other:v7", 3);
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20));

    RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);

    assertThat(invalid.getMessage()).isEqualTo(
        "Deployment shop/web-canary exists and is not owned by this Rollout: Vigie needs that name; rename or delete it");
    k8s.client().resources(Rollout.class).inNamespace(NS).withName("web").delete();
    await().atMost(OperatorHarness.WAIT).until(() -> k8s.rollout("web") == null);
    assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isEqualTo(3);
    assertThat(k8s.deployment("web-canary").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("team-b/other:v7");
  }

  @Test
  void aMissingAnalysisTemplateIsNamedBeforeAnyTrafficMoves() {
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.createService("web", "web");
    RolloutAnalysis analysis = new RolloutAnalysis();
    TemplateRef ref = new TemplateRef();
    ref.setName("http-health");
    analysis.setTemplates(java.util.List.of(ref));
    CanaryStep judge = new CanaryStep();
    judge.setAnalysis(analysis);
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20), judge);

    RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);

    assertThat(invalid.getMessage()).isEqualTo("spec.strategy.canary.steps[1].analysis.templates[0]: "
        + "AnalysisTemplate shop/http-health not found: create it or fix the name");
    assertNothingTouched();
  }

  @Test
  void aReferenceToAnotherNamespaceAndAThousandStepsAreRefusedWhileOtherRolloutsProgress() {
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.createService("web", "web");
    k8s.createDeployment("api", "shop/api:v1", 2);
    k8s.createService("api", "api");
    k8s.createRollout("elsewhere", "payments/web", "web", CanaryStep.weight(20));
    CanaryStep[] many = new CanaryStep[1000];
    java.util.Arrays.fill(many, CanaryStep.weight(1));
    k8s.createRollout("huge", "web", "web", many);
    k8s.createRollout("api", "api", "api", CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());

    assertThat(k8s.awaitPhase("elsewhere", RolloutPhase.Invalid).getMessage()).startsWith(
        "spec.targetRef.name 'payments/web' is not the name of an object: a Rollout refers to objects of its own namespace");
    assertThat(k8s.awaitPhase("huge", RolloutPhase.Invalid).getMessage())
        .isEqualTo("spec.strategy.canary.steps has 1000 steps: at most 100 are allowed");
    k8s.awaitPhase("api", RolloutPhase.Healthy);
    k8s.setImage("api", "shop/api:v2");
    assertThat(k8s.awaitPhase("api", RolloutPhase.Paused).getStep()).isEqualTo("2/2");
  }

  @Test
  void aRolloutWhoseJsonDoesNotFitTheSchemaIsInvalidAndDoesNotStopTheOthers() {
    k8s.createDeployment("api", "shop/api:v1", 2);
    k8s.createService("api", "api");
    // What an API server without Vigie's CRD schema (or an old one) would store.
    k8s.client().genericKubernetesResources("vigie.io/v1alpha1", "Rollout").inNamespace(NS)
        .load(new java.io.ByteArrayInputStream("""
            {"apiVersion": "vigie.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "broken"},
             "spec": {"targetRef": {"kind": "Deployment", "name": "api"}, "service": {"name": "api"},
                      "progressDeadlineSeconds": "ten minutes",
                      "strategy": {"canary": {"steps": [{"setWeight": "half"}]}}}}
            """.getBytes(java.nio.charset.StandardCharsets.UTF_8))).create();
    k8s.createRollout("api", "api", "api", CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());

    k8s.awaitPhase("api", RolloutPhase.Healthy);
    k8s.setImage("api", "shop/api:v2");
    assertThat(k8s.awaitPhase("api", RolloutPhase.Paused).getStep()).isEqualTo("2/2");
    RolloutStatus broken = k8s.awaitPhase("broken", RolloutPhase.Invalid);
    assertThat(broken.getMessage()).contains("does not fit the Rollout schema").contains("progressDeadlineSeconds");
  }

  @Test
  void aRolloutWithNothingButATargetIsInvalidWithEveryMissingField() {
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.client().genericKubernetesResources("vigie.io/v1alpha1", "Rollout").inNamespace(NS)
        .load(new java.io.ByteArrayInputStream("""
            {"apiVersion": "vigie.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "bare"},
             "spec": {"targetRef": {"name": "web"}}}
            """.getBytes(java.nio.charset.StandardCharsets.UTF_8))).create();

    RolloutStatus invalid = k8s.awaitPhase("bare", RolloutPhase.Invalid);

    assertThat(invalid.getMessage()).isEqualTo("spec.targetRef.kind is missing: set it to Deployment; "
        + "spec.service.name is missing: name the Service in front of the Deployment; "
        + "spec.strategy has neither canary nor blueGreen: give exactly one, e.g. canary: {steps: [{setWeight: 20}]}");
    assertThat(k8s.deployment("web").getSpec().getPaused()).isNotEqualTo(Boolean.TRUE);
  }

  private void assertNothingTouched() {
    assertThat(k8s.deployment("web-canary")).isNull();
    assertThat(k8s.service("web-stable")).isNull();
    assertThat(k8s.service("web-canary")).isNull();
    assertThat(k8s.service("frontend-stable")).isNull();
  }

  @Test
  void aRolloutWhoseTargetIsAnotherRolloutsCanaryIsInvalidAndTheCanaryIsLeftAlone() {
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.createService("web", "web");
    k8s.createRollout("web", "web", "web", CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    int canaryGeneration = k8s.deployment("web-canary").getMetadata().getGeneration().intValue();

    k8s.createService("other", "web");
    k8s.createRollout("other", "web-canary", "other", CanaryStep.weight(20));

    assertThat(k8s.awaitPhase("other", RolloutPhase.Invalid).getMessage())
        .contains("Deployment shop/web-canary is the canary of a Rollout: point spec.targetRef at your own Deployment");
    assertThat(k8s.deployment("web-canary").getMetadata().getGeneration()).isEqualTo(canaryGeneration);
    assertThat(k8s.deployment("web-canary").getMetadata().getAnnotations()).doesNotContainKey("vigie.io/rollout");
    assertThat(k8s.status("web").getPhase()).isEqualTo(RolloutPhase.Paused);
  }
}
