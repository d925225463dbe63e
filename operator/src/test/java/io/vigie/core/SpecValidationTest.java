package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidationTest {
  private final Observation observation = new ModelWorld().observe();

  private static RolloutSpec spec(List<CanaryStep> steps) {
    return Specs.canary(steps);
  }

  @Test
  void aValidSpecHasNoProblem() {
    assertThat(SpecValidation.problems("shop", spec(List.of(CanaryStep.weight(10), CanaryStep.pauseFor("1h30m"))), observation))
        .isEmpty();
  }

  @Test
  void aBaselineNeedsARouterWithThreeBackendsAndRoomForItsServiceName() {
    RolloutSpec spec = spec(List.of(CanaryStep.weight(10)));
    spec.getStrategy().getCanary().setBaseline(new io.vigie.api.v1alpha1.Baseline(true));
    assertThat(SpecValidation.problems("shop", spec, observation)).isEmpty();

    spec.setTrafficRouting(io.vigie.api.v1alpha1.TrafficRouting.nginx("web"));
    assertThat(SpecValidation.problems("shop", spec, observation)).singleElement().asString()
        .startsWith("spec.strategy.canary.baseline needs a router that splits traffic three ways");

    spec.setTrafficRouting(null);
    String longest = "w".repeat(io.vigie.api.v1alpha1.Limits.SERVICE_NAME);
    spec.getService().setName(longest);
    assertThat(SpecValidation.problems("shop", spec, observation)).singleElement().asString()
        .contains("is longer than 54 characters: with a baseline Vigie names a Service <name>-baseline, at most 63");
    spec.getStrategy().getCanary().setBaseline(null);
    assertThat(SpecValidation.problems("shop", spec, observation)).as("the same name without a baseline").isEmpty();
  }

  @Test
  void aBlueGreenSpecIsCheckedForWhatTheSchemaCannotSee() {
    RolloutSpec spec = Specs.blueGreen(Specs.blueGreen(null, null));
    assertThat(SpecValidation.problems("shop", spec, observation)).isEmpty();

    spec.getStrategy().setCanary(Specs.canary(CanaryStep.weight(10)).getStrategy().getCanary());
    assertThat(SpecValidation.problems("shop", spec, observation))
        .containsExactly("spec.strategy has both canary and blueGreen: keep exactly one");
    spec.getStrategy().setCanary(null);
    spec.getStrategy().setBlueGreen(null);
    assertThat(SpecValidation.problems("shop", spec, observation)).singleElement().asString()
        .startsWith("spec.strategy has neither canary nor blueGreen");

    // Stored by an API server without the schema: the numbers are checked again.
    spec = Specs.blueGreen(Specs.blueGreen(-1, 86_401));
    spec.getStrategy().getBlueGreen().setPreviewReplicaCount(0);
    assertThat(SpecValidation.problems("shop", spec, observation)).containsExactly(
        "spec.strategy.blueGreen.autoPromotionSeconds is -1: use 0 to 2592000",
        "spec.strategy.blueGreen.scaleDownDelaySeconds is 86401: use 0 to 86400",
        "spec.strategy.blueGreen.previewReplicaCount is 0: use 1 or more");

    spec = Specs.blueGreen(Specs.blueGreen(null, null));
    spec.setAnalysis(new io.vigie.api.v1alpha1.RolloutAnalysis());
    spec.getStrategy().getBlueGreen().setPreviewService(new io.vigie.api.v1alpha1.ServiceRef("web-stable", null));
    assertThat(SpecValidation.problems("shop", spec, observation)).containsExactly(
        "spec.analysis runs beside canary steps: with blueGreen, judge green with spec.strategy.blueGreen.prePromotionAnalysis "
            + "(on the preview) and postPromotionAnalysis (on live traffic)",
        "spec.strategy.blueGreen.previewService.name 'web-stable' is the active Service or one Vigie owns: name a Service of its "
            + "own for the preview, or leave previewService out (Vigie then owns web-preview)");
  }

  private static io.vigie.api.v1alpha1.Gate gate(String name, io.vigie.api.v1alpha1.Gate.Type type) {
    io.vigie.api.v1alpha1.Gate gate = new io.vigie.api.v1alpha1.Gate();
    gate.setName(name);
    gate.setType(type);
    gate.setUrl("http://gates.example/" + name);
    return gate;
  }

  @Test
  void gatesAreCheckedForWhatTheSchemaCannotSee() {
    var step = io.vigie.api.v1alpha1.Gate.Type.step;
    RolloutSpec spec = spec(List.of(CanaryStep.weight(10), CanaryStep.gate("smoke")));
    spec.setGates(List.of(gate("smoke", step)));
    assertThat(SpecValidation.problems("shop", spec, observation)).isEmpty();

    spec.setGates(List.of(gate("smoke", io.vigie.api.v1alpha1.Gate.Type.preRollout), gate("smoke", step)));
    assertThat(SpecValidation.problems("shop", spec, observation)).containsExactly(
        "spec.gates[1].name smoke is used twice: each gate has its own name",
        "spec.strategy.canary.steps[1].gate names smoke, a preRollout gate: a step holds at a gate of type step");

    spec.setGates(null);
    assertThat(SpecValidation.problems("shop", spec, observation)).containsExactly(
        "spec.strategy.canary.steps[1].gate names 'smoke', which spec.gates does not have: add a gate of type step with that name");

    // Stored by an API server without the schema: what it would refuse is refused here.
    io.vigie.api.v1alpha1.Gate tell = gate("tell", io.vigie.api.v1alpha1.Gate.Type.postRollout);
    tell.setOnFailure(io.vigie.api.v1alpha1.Gate.OnFailure.Abort);
    tell.setInterval("2s");
    spec.setGates(List.of(gate("smoke", step), tell));
    assertThat(SpecValidation.problems("shop", spec, observation)).containsExactly(
        "spec.gates[1].interval: '2s' is below the minimum 5s",
        "spec.gates[1].onFailure: Abort applies to preRollout, step and confirmPromotion gates: a postRollout gate's answer is "
            + "reported, it rolls nothing back");

    RolloutSpec blueGreen = Specs.blueGreen(Specs.blueGreen(null, null));
    blueGreen.setGates(List.of(gate("freeze", io.vigie.api.v1alpha1.Gate.Type.preRollout)));
    assertThat(SpecValidation.problems("shop", blueGreen, observation)).singleElement().asString()
        .startsWith("spec.gates apply to canary releases");
  }

  @Test
  void namesEachBadStepByItsIndex() {
    CanaryStep none = new CanaryStep();
    assertThat(SpecValidation.problems("shop", spec(List.of(CanaryStep.weight(10), none, CanaryStep.pauseFor("5 min"))), observation))
        .containsExactly(
            "spec.strategy.canary.steps[1] has 0 actions: a step has exactly one of setWeight, pause, analysis, setHeaderRoute or gate",
            "spec.strategy.canary.steps[2].pause.duration: '5 min' is not a duration: use a number and a unit s, m or h, e.g. 30s, 5m, 1h30m");
  }

  @Test
  void refusesNoStepsAndTooManySteps() {
    assertThat(SpecValidation.problems("shop", spec(new ArrayList<>()), observation))
        .containsExactly("spec.strategy.canary.steps is empty: give at least one step, e.g. - setWeight: 20");
    assertThat(SpecValidation.problems("shop", spec(Collections.nCopies(1000, CanaryStep.weight(1))), observation))
        .containsExactly("spec.strategy.canary.steps has 1000 steps: at most 100 are allowed");
  }

  @Test
  void refusesAReferenceToAnotherNamespace() {
    RolloutSpec spec = spec(List.of(CanaryStep.weight(10)));
    spec.getTargetRef().setName("payments/web");
    assertThat(SpecValidation.problems("shop", spec, observation)).containsExactly(
        "spec.targetRef.name 'payments/web' is not the name of an object: a Rollout refers to objects of its own namespace "
            + "by name (lowercase letters, digits and '-')");
  }

  @Test
  void refusesAMissingSpec() {
    assertThat(SpecValidation.problems("shop", null, observation)).singleElement().asString().startsWith("spec is missing");
  }

  @Test
  void refusesDurationsNumbersAndNamesPastTheirLimits() {
    assertThat(SpecValidation.problems("shop", spec(List.of(CanaryStep.pauseFor("2562047788015216h"))), observation))
        .containsExactly("spec.strategy.canary.steps[0].pause.duration: '2562047788015216h' is longer than any duration "
            + "Vigie accepts (see the limits in docs/operations.md)");
    assertThat(SpecValidation.problems("shop", spec(List.of(CanaryStep.pauseFor("721h"))), observation))
        .containsExactly("spec.strategy.canary.steps[0].pause.duration: '721h' is above the maximum 720h");
    assertThat(SpecValidation.problems("shop", spec(List.of(CanaryStep.pauseFor("720h"), CanaryStep.pauseFor("0s"))), observation))
        .isEmpty();
    RolloutSpec deadline = spec(List.of(CanaryStep.weight(10)));
    deadline.setProgressDeadlineSeconds(86_401);
    assertThat(SpecValidation.problems("shop", deadline, observation))
        .containsExactly("spec.progressDeadlineSeconds is 86401: use 1 to 86400 (a day)");
    RolloutSpec longName = spec(List.of(CanaryStep.weight(10)));
    longName.getTargetRef().setName("a".repeat(55));
    assertThat(SpecValidation.problems("shop", longName, observation)).singleElement().asString()
        .endsWith("is longer than 54 characters: Vigie names the canary Deployment <name>-canary (and <name>-baseline), at most 63");
    RolloutSpec longService = spec(List.of(CanaryStep.weight(10)));
    longService.getService().setName("s".repeat(10_000));
    assertThat(SpecValidation.problems("shop", longService, observation)).singleElement().asString()
        .startsWith("spec.service.name 'ssss").contains("(10000 characters) is longer than 55 characters");
  }

  @Test
  void aStepListWithHolesIsNamedNotThrown() {
    List<CanaryStep> steps = new ArrayList<>();
    steps.add(CanaryStep.weight(10));
    steps.add(null);
    RolloutSpec spec = spec(steps);
    assertThat(SpecValidation.problems("shop", spec, observation)).containsExactly(
        "spec.strategy.canary.steps[1] is empty: give one of setWeight, pause, analysis, setHeaderRoute or gate");
    spec.getStrategy().getCanary().setSteps(null);
    assertThat(SpecValidation.problems("shop", spec, observation)).containsExactly(
        "spec.strategy.canary.steps is empty: give at least one step, e.g. - setWeight: 20");
  }
}
