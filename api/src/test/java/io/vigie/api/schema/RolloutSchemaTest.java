package io.vigie.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the generated Rollout CRD lets through and what it rejects, as the API server would. */
class RolloutSchemaTest {
  private static CrdSchemaValidator schema;

  @BeforeAll
  static void load() throws IOException {
    schema = CrdSchemaValidator.forCrd(
        Path.of(System.getProperty("vigie.crds.committed", "../crds"), "rollouts.vigie.io-v1.yml"), "v1alpha1");
  }

  private static String rollout(String steps) {
    return """
        apiVersion: vigie.io/v1alpha1
        kind: Rollout
        metadata: {name: web, namespace: shop}
        spec:
          targetRef: {kind: Deployment, name: web}
          service: {name: web, port: 80}
          strategy:
            canary:
              steps:
        """ + steps.indent(8);
  }

  @Test
  void acceptsAWellFormedRollout() throws IOException {
    assertThat(schema.validate(rollout("""
        - setWeight: 10
        - pause: {duration: 2m}
        - setWeight: 50
        - pause: {}
        - analysis: {templates: [{name: http-health}]}
        - setWeight: 100
        """))).isEmpty();
  }

  @Test
  void rejectsAWeightAbove100() throws IOException {
    assertThat(schema.validate(rollout("- setWeight: 150\n")))
        .singleElement().asString().contains("setWeight").contains("100");
  }

  @Test
  void rejectsANegativeWeight() throws IOException {
    assertThat(schema.validate(rollout("- setWeight: -1\n"))).isNotEmpty();
  }

  @Test
  void rejectsAStepWithTwoActions() throws IOException {
    assertThat(schema.validate(rollout("- {setWeight: 10, pause: {duration: 1m}}\n")))
        .containsExactly(".spec.strategy.canary.steps[0]: a step has exactly one of setWeight, pause, analysis, setHeaderRoute or gate");
  }

  private static String gated(String gates, String steps) {
    return rollout(steps).replace("  strategy:\n", "  gates:\n" + gates.indent(4) + "  strategy:\n");
  }

  @Test
  void acceptsGatesOfEveryKindAndAStepThatHoldsAtOne() throws IOException {
    assertThat(schema.validate(gated("""
        - {name: freeze, type: preRollout, url: "https://freeze.example/check", timeout: 5s, interval: 1m}
        - {name: smoke, type: step, url: "http://smoke.tests/run", onFailure: Abort,
           headers: [{name: Authorization, valueFrom: {secretKeyRef: {name: smoke-token, key: token}}}]}
        - {name: approve, type: confirmPromotion, url: "https://approvals.example/web"}
        - {name: tell, type: postRollout, url: "https://ci.example/hook"}
        - {name: load, type: loadTest, url: "http://flagger-loadtester.test/", metadata: {cmd: "hey -z 1m http://web-canary/"}}
        """, "- setWeight: 10\n- gate: smoke\n"))).isEmpty();
  }

  @Test
  void rejectsAGateThatCannotBeCalledOrAbortsWhereNothingCanBeRolledBack() throws IOException {
    assertThat(schema.validate(gated("- {name: load, type: loadTest, url: \"http://lt/\", onFailure: Abort}\n", "- setWeight: 10\n")))
        .containsExactly(".spec.gates[0]: onFailure: Abort applies to preRollout, step and confirmPromotion gates only");
    assertThat(schema.validate(gated("- {name: freeze, type: preRollout, url: \"ftp://x/\"}\n", "- setWeight: 10\n")))
        .singleElement().asString().contains("url");
    assertThat(schema.validate(gated("- {name: freeze, type: preRollout, url: \"http://x/\", interval: 1s}\n", "- setWeight: 10\n")))
        .containsExactly(".spec.gates[0].interval: interval is from 5s to 1h");
    assertThat(schema.validate(gated("- {name: freeze, type: sometimes, url: \"http://x/\"}\n", "- setWeight: 10\n")))
        .singleElement().asString().contains("type");
    assertThat(schema.validate(rollout("- {setWeight: 10, gate: smoke}\n")))
        .containsExactly(".spec.strategy.canary.steps[0]: a step has exactly one of setWeight, pause, analysis, setHeaderRoute or gate");
  }

  private static String routed(String trafficRouting, String steps) {
    return rollout(steps).replace("  strategy:\n", "  trafficRouting: " + trafficRouting + "\n  strategy:\n");
  }

  @Test
  void acceptsEachRouterAndAHeaderRoute() throws IOException {
    String steps = "- setHeaderRoute: {header: x-canary, value: \"true\"}\n- setWeight: 10\n";
    assertThat(schema.validate(routed("{gatewayAPI: {httpRoute: web}}", steps))).isEmpty();
    assertThat(schema.validate(routed("{gatewayAPI: {httpRoutes: [web, web-internal]}}", steps))).isEmpty();
    assertThat(schema.validate(routed("{istio: {virtualService: {name: web, routes: [primary]}}}", steps))).isEmpty();
    assertThat(schema.validate(routed("{nginx: {stableIngress: web}}", steps))).isEmpty();
  }

  @Test
  void rejectsTwoRoutersOrNone() throws IOException {
    assertThat(schema.validate(routed("{gatewayAPI: {httpRoute: web}, nginx: {stableIngress: web}}", "- setWeight: 10\n")))
        .containsExactly(".spec.trafficRouting: trafficRouting has exactly one of gatewayAPI, istio or nginx");
    assertThat(schema.validate(routed("{}", "- setWeight: 10\n")))
        .containsExactly(".spec.trafficRouting: trafficRouting has exactly one of gatewayAPI, istio or nginx");
  }

  @Test
  void rejectsHttpRouteTogetherWithHttpRoutes() throws IOException {
    assertThat(schema.validate(routed("{gatewayAPI: {httpRoute: web, httpRoutes: [web]}}", "- setWeight: 10\n")))
        .containsExactly(".spec.trafficRouting.gatewayAPI: gatewayAPI has httpRoute or httpRoutes, not both");
  }

  @Test
  void rejectsAHeaderRouteWithoutValueOrWithABadHeaderName() throws IOException {
    assertThat(schema.validate(routed("{nginx: {stableIngress: web}}", "- setHeaderRoute: {header: x-canary}\n")))
        .isNotEmpty();
    assertThat(schema.validate(routed("{nginx: {stableIngress: web}}", "- setHeaderRoute: {header: \"x canary\", value: a}\n")))
        .isNotEmpty();
  }

  @Test
  void rejectsAStepWithNoAction() throws IOException {
    assertThat(schema.validate(rollout("- {}\n")))
        .containsExactly(".spec.strategy.canary.steps[0]: a step has exactly one of setWeight, pause, analysis, setHeaderRoute or gate");
  }

  @Test
  void rejectsADurationWithoutUnit() throws IOException {
    assertThat(schema.validate(rollout("- pause: {duration: '5 minutes'}\n")))
        .singleElement().asString().contains("duration");
    assertThat(schema.validate(rollout("- pause: {duration: '90'}\n"))).isNotEmpty();
    assertThat(schema.validate(rollout("- pause: {duration: 1h30m}\n"))).isEmpty();
  }

  @Test
  void rejectsATargetThatIsNotADeployment() throws IOException {
    assertThat(schema.validate(rollout("- setWeight: 10\n").replace("kind: Deployment, name: web", "kind: StatefulSet, name: web")))
        .singleElement().asString().contains("kind");
  }

  @Test
  void requiresTargetServiceAndSteps() throws IOException {
    String noTarget = """
        apiVersion: vigie.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          service: {name: web}
          strategy: {canary: {steps: []}}
        """;
    assertThat(schema.validate(noTarget))
        .anySatisfy(e -> assertThat(e).contains("targetRef"))
        .anySatisfy(e -> assertThat(e).contains("steps"));
  }

  @Test
  void rejectsMoreThanTheMaximumNumberOfSteps() throws IOException {
    assertThat(schema.validate(rollout("- setWeight: 1\n".repeat(101)))).singleElement().asString().contains("steps");
  }

  @Test
  void rejectsUnknownFieldsAndWrongTypes() throws IOException {
    assertThat(schema.validate(rollout("- setWeight: ten\n"))).isNotEmpty();
    assertThat(schema.validate(rollout("- setWeight: 10\n").replace("  service:", "  servic: {name: web}\n  service:"))).singleElement()
        .asString().contains("servic");
  }

  @Test
  void rejectsAnUnknownPhaseInStatus() throws IOException {
    assertThat(schema.validate(rollout("- setWeight: 10\n") + "status: {phase: Happy}\n")).isNotEmpty();
    assertThat(schema.validate(rollout("- setWeight: 10\n") + "status: {phase: Healthy}\n")).isEmpty();
  }

  private static String blueGreen(String strategy) {
    return """
        apiVersion: vigie.io/v1alpha1
        kind: Rollout
        metadata: {name: web, namespace: shop}
        spec:
          targetRef: {kind: Deployment, name: web}
          service: {name: web, port: 80}
          strategy:
        """ + strategy.indent(4);
  }

  @Test
  void acceptsABlueGreenRollout() throws IOException {
    assertThat(schema.validate(blueGreen("""
        blueGreen:
          previewService: {name: web-preview}
          previewReplicaCount: 2
          prePromotionAnalysis: {templates: [{name: smoke}]}
          autoPromotionSeconds: 300
          postPromotionAnalysis: {templates: [{name: errors}]}
          scaleDownDelaySeconds: 600
        """))).isEmpty();
    assertThat(schema.validate(blueGreen("blueGreen: {}\n"))).isEmpty();
  }

  @Test
  void rejectsBothStrategiesOrNone() throws IOException {
    assertThat(schema.validate(blueGreen("canary: {steps: [{setWeight: 10}]}\nblueGreen: {}\n")))
        .containsExactly(".spec.strategy: set exactly one strategy: canary or blueGreen");
    assertThat(schema.validate(blueGreen("{}\n"))).containsExactly(".spec.strategy: set exactly one strategy: canary or blueGreen");
  }

  @Test
  void rejectsBlueGreenFieldsInACanaryAndBadDelays() throws IOException {
    assertThat(schema.validate(rollout("- setWeight: 10\n").replace("    canary:\n", "    canary:\n      autoPromotionSeconds: 30\n")))
        .singleElement().asString().contains("autoPromotionSeconds");
    assertThat(schema.validate(blueGreen("blueGreen: {scaleDownDelaySeconds: -1}\n"))).singleElement().asString()
        .contains("scaleDownDelaySeconds");
    assertThat(schema.validate(blueGreen("blueGreen: {previewReplicaCount: 0}\n"))).singleElement().asString()
        .contains("previewReplicaCount");
  }
}
