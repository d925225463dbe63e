package io.vigie.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * What an API server without Vigie's schema may store, read as the operator's informers read it
 * (fabric8's serialization): nothing throws, and what does not fit the schema is named, never
 * coerced into something else.
 */
class LenientReadingTest {
  private static Rollout read(String specAndStatus) {
    return Serialization.unmarshal("""
        {"apiVersion": "vigie.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "web", "namespace": "shop"},
        """ + specAndStatus + "}", Rollout.class);
  }

  private static final String SPEC = """
      "spec": {"targetRef": {"kind": "Deployment", "name": "web"}, "service": {"name": "web"},
               "strategy": {"canary": {"steps": [{"setWeight": 20}]}}}""";

  @Test
  void aStatusThatCannotBeReadIsLostWithTheReason() {
    Rollout rollout = read(SPEC + ", \"status\": {\"phase\": \"Progressing\", \"canaryWeight\": 3000000000}");

    assertThat(rollout.getSpec().getSchemaProblem()).isNull();
    assertThat(rollout.getStatus().getPhase()).isNull();
    assertThat(rollout.getStatus().getReadProblem()).contains("3000000000");
    assertThat(read(SPEC + ", \"status\": \"broken\"").getStatus().getReadProblem()).isNotBlank();
    assertThat(read(SPEC + ", \"status\": {\"phase\": \"Happy\"}").getStatus().getReadProblem()).contains("Happy");
  }

  @Test
  void aStatusThatReadsKeepsEveryField() {
    Rollout rollout = read(SPEC + ", \"status\": {\"phase\": \"Paused\", \"canaryWeight\": 20, \"stableRevision\": \"abc\","
        + " \"someFieldOfANewerVigie\": 1}");

    assertThat(rollout.getStatus().getReadProblem()).isNull();
    assertThat(rollout.getStatus().getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(rollout.getStatus().getCanaryWeight()).isEqualTo(20);
    assertThat(rollout.getStatus().getStableRevision()).isEqualTo("abc");
  }

  @Test
  void anUnknownTopLevelFieldIsIgnored() {
    Rollout rollout = read(SPEC + ", \"extra\": {\"x\": 1}");

    assertThat(rollout.getSpec().getSchemaProblem()).isNull();
    assertThat(rollout.getSpec().getTargetRef().getName()).isEqualTo("web");
  }

  @Test
  void numbersAsStringsAndFractionsAreNotCoerced() {
    assertThat(read(SPEC.replace("\"setWeight\": 20", "\"setWeight\": \"20\"")).getSpec().getSchemaProblem())
        .isEqualTo("spec.strategy.canary.steps[0].setWeight: expected an integer, found the string \"20\"");
    assertThat(read(SPEC.replace("\"setWeight\": 20", "\"setWeight\": 20.5")).getSpec().getSchemaProblem())
        .isEqualTo("spec.strategy.canary.steps[0].setWeight: expected an integer, found the number 20.5");
    assertThat(read(SPEC.replace("\"name\": \"web\"}, \"service\"", "\"name\": 7}, \"service\"")).getSpec().getSchemaProblem())
        .isEqualTo("spec.targetRef.name: expected a string, found the number 7");
    assertThat(read(SPEC.replace("\"setWeight\": 20", "\"setWeight\": 3000000000")).getSpec().getSchemaProblem())
        .isEqualTo("spec.strategy.canary.steps[0].setWeight: 3000000000 is out of range (an integer is at most 2147483647)");
  }

  @Test
  void unknownFieldsAndNullItemsAreNamed() {
    assertThat(read(SPEC.replace("\"name\": \"web\"}, \"service\"", "\"name\": \"web\", \"nmae\": \"x\"}, \"service\""))
        .getSpec().getSchemaProblem()).isEqualTo("spec.targetRef.nmae: unknown field (the schema has kind, name)");
    assertThat(read(SPEC.replace("[{\"setWeight\": 20}]", "[{\"setWeight\": 20}, null]")).getSpec().getSchemaProblem())
        .isEqualTo("spec.strategy.canary.steps[1] is null: remove it or give it a value");
  }

  @Test
  void nullFieldsAreDroppedAsTheApiServerPrunesThem() {
    Rollout rollout = read(SPEC.replace("\"service\": {\"name\": \"web\"}", "\"service\": {\"name\": \"web\", \"port\": null},"
        + " \"analysis\": null"));

    assertThat(rollout.getSpec().getSchemaProblem()).isNull();
    assertThat(rollout.getSpec().getAnalysis()).isNull();
    assertThat(read(SPEC.replace("[{\"setWeight\": 20}]", "null")).getSpec().getStrategy().getCanary().getSteps()).isEmpty();
  }

  @Test
  void aSpecThatIsNotAnObjectIsNamed() {
    Rollout rollout = read("\"spec\": [1, 2]");

    assertThat(rollout.getSpec().getSchemaProblem()).isEqualTo("spec: expected an object, found a list");
  }

  @Test
  void aTemplateThatDoesNotFitSaysWhere() {
    AnalysisTemplate template = Serialization.unmarshal("""
        {"apiVersion": "vigie.io/v1alpha1", "kind": "AnalysisTemplate", "metadata": {"name": "t", "namespace": "shop"},
         "spec": {"metrics": [{"name": "m", "count": "5", "thresholdRange": {"max": 1},
                               "provider": {"prometheus": {"query": "up"}}}]}, "unknownTopLevel": true}""",
        AnalysisTemplate.class);

    assertThat(template.getSpec().getSchemaProblem())
        .isEqualTo("spec.metrics[0].count: expected an integer, found the string \"5\"");
    assertThat(template.getSpec().getMetrics()).isEmpty();
  }
}
