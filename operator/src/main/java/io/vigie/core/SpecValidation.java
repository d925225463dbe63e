package io.vigie.core;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.CanaryStrategy;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.RolloutSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a Rollout's spec and the objects it references. The CRD schema rejects most bad specs at
 * apply time; this catches the rest (references, and specs stored before the schema was installed)
 * with messages that name the fix.
 */
public final class SpecValidation {
  /** Kubernetes' limit on a Service name (DNS label) and on a label value. */
  static final int MAX_NAME = 63;
  private static final String DNS_NAME = "[a-z0-9]([-a-z0-9.]*[a-z0-9])?";

  private SpecValidation() {}

  /** The problems found, each a sentence naming the field to fix; empty when the Rollout is valid. */
  public static List<String> problems(String namespace, RolloutSpec spec, Observation observation) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec is missing: a Rollout needs spec.targetRef, spec.service and spec.strategy.canary.steps");
      return problems;
    }
    if (spec.getSchemaProblem() != null) {
      problems.add("the spec does not fit the Rollout schema at " + spec.getSchemaProblem()
          + ": fix that field (and install the current CRD from crds/, whose schema rejects it at apply time)");
      return problems;
    }
    String targetName = spec.getTargetRef() == null ? null : spec.getTargetRef().getName();
    String serviceRefName = spec.getService() == null ? null : spec.getService().getName();
    for (String[] ref : new String[][] {{"spec.targetRef.name", targetName}, {"spec.service.name", serviceRefName}}) {
      if (ref[1] != null && !ref[1].isBlank() && !ref[1].matches(DNS_NAME)) {
        problems.add(ref[0] + " '" + ref[1] + "' is not the name of an object: a Rollout refers to objects of its own "
            + "namespace by name (lowercase letters, digits and '-')");
        return problems;
      }
    }
    if (targetName == null || targetName.isBlank()) {
      problems.add("spec.targetRef.name is missing: name the Deployment to update");
    } else if (spec.getTargetRef().getKind() == null) {
      problems.add("spec.targetRef.kind is missing: set it to Deployment");
    } else if (observation.target().isEmpty()) {
      problems.add("Deployment " + namespace + "/" + targetName
          + " not found: create it or fix spec.targetRef.name");
    }
    String serviceName = spec.getService() == null ? null : spec.getService().getName();
    if (serviceName == null || serviceName.isBlank()) {
      problems.add("spec.service.name is missing: name the Service in front of the Deployment");
    } else if (observation.service().isEmpty()) {
      problems.add("Service " + namespace + "/" + serviceName + " not found: create it or fix spec.service.name");
    } else if (observation.target().isPresent()) {
      Map<String, String> selector = observation.service().get().selector();
      Map<String, String> labels = observation.target().get().podLabels();
      if (selector.isEmpty() || !labels.entrySet().containsAll(selector.entrySet())) {
        problems.add("Service " + namespace + "/" + serviceName + " selects " + selector
            + " but the pods of Deployment " + targetName + " are labelled " + labels
            + ": fix the Service's selector or spec.service.name");
      }
    }
    observation.target().filter(Observation.Target::recreate).ifPresent(t -> problems.add("Deployment " + namespace + "/"
        + targetName + " uses strategy Recreate, which stops every pod at once when Vigie promotes: use RollingUpdate"));
    observation.service().filter(s -> s.ports() == 0).ifPresent(s -> problems.add("Service " + namespace + "/" + serviceName
        + " has no ports: Vigie copies them to its stable and canary Services; give it the port the traffic uses"));
    if (serviceName != null && serviceName.length() > MAX_NAME - "-stable".length()) {
      problems.add("spec.service.name '" + serviceName + "' is longer than " + (MAX_NAME - "-stable".length())
          + " characters: Vigie names its Services <name>-stable and <name>-canary, at most " + MAX_NAME);
    }
    if (targetName != null && targetName.length() > MAX_NAME - "-canary".length()) {
      problems.add("spec.targetRef.name '" + targetName + "' is longer than " + (MAX_NAME - "-canary".length())
          + " characters: Vigie names the canary Deployment <name>-canary, at most " + MAX_NAME);
    }
    for (String conflict : observation.conflicts()) {
      problems.add(conflict + " exists and is not owned by this Rollout: Vigie needs that name; rename or delete it");
    }
    if (spec.getProgressDeadlineSeconds() != null && spec.getProgressDeadlineSeconds() < 1) {
      problems.add("spec.progressDeadlineSeconds is " + spec.getProgressDeadlineSeconds() + ": use 1 or more");
    }
    stepProblems(spec, problems);
    observation.route().ifPresent(r -> problems.addAll(r.problems()));
    problems.addAll(observation.analysis().problems());
    return problems;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static void stepProblems(RolloutSpec spec, List<String> problems) {
    List<CanaryStep> steps = Optional.ofNullable(spec.getStrategy())
        .map(s -> s.getCanary())
        .map(CanaryStrategy::getSteps)
        .orElse(List.of());
    if (steps.isEmpty()) {
      problems.add("spec.strategy.canary.steps is empty: give at least one step, e.g. - setWeight: 20");
      return;
    }
    if (steps.size() > CanaryStrategy.MAX_STEPS) {
      problems.add("spec.strategy.canary.steps has " + steps.size() + " steps: at most "
          + CanaryStrategy.MAX_STEPS + " are allowed");
      return;
    }
    for (int i = 0; i < steps.size(); i++) {
      String where = "spec.strategy.canary.steps[" + i + "]";
      CanaryStep step = steps.get(i);
      if (step == null) {
        problems.add(where + " is empty: give one of setWeight, pause, analysis or setHeaderRoute");
        continue;
      }
      int actions = step.actionCount();
      if (actions != 1) {
        problems.add(where + " has " + actions + " actions: a step has exactly one of setWeight, pause, analysis or "
            + "setHeaderRoute");
        continue;
      }
      if (step.getSetHeaderRoute() != null && spec.getTrafficRouting() == null) {
        problems.add(where + ".setHeaderRoute needs spec.trafficRouting (gatewayAPI, istio or nginx): with replica-ratio "
            + "routing the user's Service cannot send requests by header");
      }
      if (step.getSetHeaderRoute() != null && (blank(step.getSetHeaderRoute().getHeader())
          || blank(step.getSetHeaderRoute().getValue()))) {
        problems.add(where + ".setHeaderRoute needs a header and a value, e.g. {header: x-canary, value: \"true\"}");
      }
      if (step.getSetWeight() != null && (step.getSetWeight() < 0 || step.getSetWeight() > 100)) {
        problems.add(where + ".setWeight is " + step.getSetWeight() + ": use a percentage from 0 to 100");
      }
      if (step.getPause() != null && step.getPause().getDuration() != null) {
        try {
          Durations.parse(step.getPause().getDuration());
        } catch (IllegalArgumentException e) {
          problems.add(where + ".pause.duration: " + e.getMessage());
        }
      }
    }
  }
}
