package io.vigie.core;

import io.vigie.domain.Names;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.CanaryStrategy;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.HeaderRouteStep;
import io.vigie.api.v1alpha1.Limits;
import io.vigie.api.v1alpha1.RolloutSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a Rollout's spec and the objects it references. The CRD schema rejects most bad specs at
 * apply time; this catches the rest (references, and specs stored by an API server without the
 * schema or without CEL) with messages that name the fix. Every bound of {@link Limits} is checked
 * here or, for analyses, by the analysis resolver, before anything is written.
 */
public final class SpecValidation {
  private static final String HEADER_NAME = "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}";
  private static final String HEADER_VALUE = "[ -~]{1,256}";

  private SpecValidation() {}

  /** The problems found, each a sentence naming the field to fix; empty when the Rollout is valid. */
  public static List<String> problems(String namespace, RolloutSpec spec, Observation observation) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec is missing: a Rollout needs spec.targetRef, spec.service and spec.strategy (canary.steps or blueGreen)");
      return problems;
    }
    if (spec.getSchemaProblem() != null) {
      problems.add("the spec does not fit the Rollout schema at " + spec.getSchemaProblem()
          + ": fix that field (and install the current CRD from crds/, whose schema rejects it at apply time)");
      return problems;
    }
    String targetName = spec.getTargetRef() == null ? null : spec.getTargetRef().getName();
    String serviceName = spec.getService() == null ? null : spec.getService().getName();
    if (!namesProblems(targetName, serviceName, problems)) {
      return problems;
    }
    if (targetName == null || targetName.isEmpty()) {
      problems.add("spec.targetRef.name is missing: name the Deployment to update");
    } else if (spec.getTargetRef().getKind() == null) {
      problems.add("spec.targetRef.kind is missing: set it to Deployment");
    } else if (observation.target().isEmpty()) {
      problems.add("Deployment " + namespace + "/" + targetName + " not found: create it or fix spec.targetRef.name");
    }
    if (serviceName == null || serviceName.isEmpty()) {
      problems.add("spec.service.name is missing: name the Service in front of the Deployment");
    } else {
      serviceProblems(namespace, targetName, serviceName, observation, problems);
    }
    observation.target().filter(Observation.Target::recreate).ifPresent(t -> problems.add("Deployment " + namespace + "/"
        + targetName + " uses strategy Recreate, which stops every pod at once when Vigie promotes: use RollingUpdate"));
    problems.addAll(observation.conflicts());
    Integer deadline = spec.getProgressDeadlineSeconds();
    if (deadline != null && (deadline < 1 || deadline > Limits.PROGRESS_DEADLINE_SECONDS_MAX)) {
      problems.add("spec.progressDeadlineSeconds is " + deadline + ": use 1 to " + Limits.PROGRESS_DEADLINE_SECONDS_MAX
          + " (a day)");
    }
    if (spec.getStrategy() != null && spec.getStrategy().getBlueGreen() != null) {
      blueGreenProblems(namespace, spec, serviceName, observation, problems);
    } else {
      stepProblems(spec, problems);
      baselineProblems(spec, serviceName, problems);
    }
    GateValidation.problems(spec, problems);
    observation.route().ifPresent(r -> problems.addAll(r.problems()));
    problems.addAll(observation.analysis().problems());
    problems.addAll(observation.gates().problems());
    return problems;
  }

  /**
   * The target and Service names, checked before anything else: Vigie looks up no name that the API
   * server would refuse. False when a name is unusable (nothing else is worth checking).
   */
  private static boolean namesProblems(String targetName, String serviceName, List<String> problems) {
    String[][] refs = {{"spec.targetRef.name", targetName}, {"spec.service.name", serviceName}};
    for (String[] ref : refs) {
      if (ref[1] != null && !ref[1].isEmpty() && !ref[1].matches("[a-z0-9][-a-z0-9.]*")) {
        problems.add(ref[0] + " " + Names.quote(ref[1]) + " is not the name of an object: a Rollout refers to objects of its "
            + "own namespace by name (lowercase letters, digits and '-')");
        return false;
      }
    }
    if (targetName != null && targetName.length() > Limits.TARGET_NAME) {
      problems.add("spec.targetRef.name " + Names.quote(targetName) + " is longer than " + Limits.TARGET_NAME
          + " characters: Vigie names the canary Deployment <name>" + Limits.CANARY_SUFFIX + " (and <name>"
          + Limits.BASELINE_SUFFIX + "), at most " + Limits.DNS_LABEL);
    }
    if (serviceName != null && serviceName.length() > Limits.SERVICE_NAME) {
      problems.add("spec.service.name " + Names.quote(serviceName) + " is longer than " + Limits.SERVICE_NAME
          + " characters: Vigie names its Services <name>" + Limits.STABLE_SUFFIX + " and <name>" + Limits.CANARY_SUFFIX
          + ", at most " + Limits.DNS_LABEL);
    }
    if (targetName != null && !targetName.isEmpty() && targetName.length() <= Limits.TARGET_NAME && !Names.isTargetName(targetName)) {
      problems.add("spec.targetRef.name " + Names.quote(targetName) + " is not a Deployment name Vigie can derive names from: "
          + "lowercase letters, digits and '-', starting and ending with a letter or digit");
    }
    if (serviceName != null && !serviceName.isEmpty() && serviceName.length() <= Limits.SERVICE_NAME
        && !Names.isServiceName(serviceName)) {
      problems.add("spec.service.name " + Names.quote(serviceName) + " is not a Service name: lowercase letters, digits and "
          + "'-', starting and ending with a letter or digit");
    }
    return problems.isEmpty();
  }

  private static void serviceProblems(String namespace, String targetName, String serviceName, Observation observation,
      List<String> problems) {
    if (observation.service().isEmpty()) {
      problems.add("Service " + namespace + "/" + serviceName + " not found: create it or fix spec.service.name");
      return;
    }
    if (observation.target().isPresent()) {
      Map<String, String> selector = observation.service().get().userSelector();
      Map<String, String> labels = observation.target().get().podLabels();
      if (selector.isEmpty() || !labels.entrySet().containsAll(selector.entrySet())) {
        problems.add("Service " + namespace + "/" + serviceName + " selects " + selector
            + " but the pods of Deployment " + targetName + " are labelled " + labels
            + ": fix the Service's selector or spec.service.name");
      }
    }
    if (observation.service().get().ports() == 0) {
      problems.add("Service " + namespace + "/" + serviceName + " has no ports: Vigie copies them to its stable and canary "
          + "Services; give it the port the traffic uses");
    }
  }

  private static void blueGreenProblems(String namespace, RolloutSpec spec, String serviceName, Observation observation,
      List<String> problems) {
    if (spec.getStrategy().getCanary() != null) {
      problems.add("spec.strategy has both canary and blueGreen: keep exactly one");
      return;
    }
    if (spec.getAnalysis() != null) {
      problems.add("spec.analysis runs beside canary steps: with blueGreen, judge green with "
          + "spec.strategy.blueGreen.prePromotionAnalysis (on the preview) and postPromotionAnalysis (on live traffic)");
    }
    if (spec.getGuards() != null) {
      problems.add("spec.guards hold canary steps and do not apply to blueGreen yet: remove spec.guards, or use strategy.canary");
    }
    var blueGreen = spec.getStrategy().getBlueGreen();
    bounded("spec.strategy.blueGreen.autoPromotionSeconds", blueGreen.getAutoPromotionSeconds(), 0,
        io.vigie.api.v1alpha1.BlueGreenStrategy.AUTO_PROMOTION_SECONDS_MAX, problems);
    bounded("spec.strategy.blueGreen.scaleDownDelaySeconds", blueGreen.getScaleDownDelaySeconds(), 0,
        io.vigie.api.v1alpha1.BlueGreenStrategy.SCALE_DOWN_DELAY_SECONDS_MAX, problems);
    bounded("spec.strategy.blueGreen.previewReplicaCount", blueGreen.getPreviewReplicaCount(), 1, Integer.MAX_VALUE, problems);
    var preview = blueGreen.getPreviewService();
    if (preview == null || serviceName == null) {
      return;
    }
    String name = preview.getName();
    if (name == null || !Names.isServiceName(name)) {
      problems.add("spec.strategy.blueGreen.previewService.name " + Names.quote(name) + " is not a Service name: lowercase "
          + "letters, digits and '-', at most " + Limits.SERVICE_NAME);
    } else if (name.equals(serviceName) || name.equals(Names.stableService(serviceName)) || name.equals(Names.canaryService(serviceName))) {
      problems.add("spec.strategy.blueGreen.previewService.name " + Names.quote(name) + " is the active Service or one Vigie "
          + "owns: name a Service of its own for the preview, or leave previewService out (Vigie then owns "
          + Names.previewService(serviceName) + ")");
    }
  }

  private static void bounded(String field, Integer value, int min, int max, List<String> problems) {
    if (value != null && (value < min || value > max)) {
      problems.add(field + " is " + value + ": use " + min + (max == Integer.MAX_VALUE ? " or more" : " to " + max));
    }
  }

  private static void baselineProblems(RolloutSpec spec, String serviceName, List<String> problems) {
    if (spec.getStrategy() == null || spec.getStrategy().getCanary() == null || !spec.getStrategy().getCanary().withBaseline()) {
      return;
    }
    if (serviceName != null && serviceName.length() > Limits.SERVICE_NAME_WITH_BASELINE) {
      problems.add("spec.service.name " + Names.quote(serviceName) + " is longer than " + Limits.SERVICE_NAME_WITH_BASELINE
          + " characters: with a baseline Vigie names a Service <name>" + Limits.BASELINE_SUFFIX + ", at most "
          + Limits.DNS_LABEL + "; shorten the name or turn spec.strategy.canary.baseline off");
    }
    if (spec.getTrafficRouting() != null && spec.getTrafficRouting().getNginx() != null) {
      problems.add("spec.strategy.canary.baseline needs a router that splits traffic three ways: an NGINX canary Ingress "
          + "has one canary backend; use gatewayAPI or istio, replica-ratio routing (no spec.trafficRouting), or turn "
          + "the baseline off");
    }
  }

  private static void stepProblems(RolloutSpec spec, List<String> problems) {
    List<CanaryStep> steps = Optional.ofNullable(spec.getStrategy())
        .map(s -> s.getCanary())
        .map(CanaryStrategy::getSteps)
        .orElse(List.of());
    if (spec.getStrategy() == null || spec.getStrategy().getCanary() == null) {
      problems.add("spec.strategy has neither canary nor blueGreen: give exactly one, e.g. canary: {steps: [{setWeight: 20}]}");
      return;
    }
    if (steps.isEmpty()) {
      problems.add("spec.strategy.canary.steps is empty: give at least one step, e.g. - setWeight: 20");
      return;
    }
    if (steps.size() > Limits.STEPS) {
      problems.add("spec.strategy.canary.steps has " + steps.size() + " steps: at most " + Limits.STEPS + " are allowed");
      return;
    }
    for (int i = 0; i < steps.size(); i++) {
      stepProblems(spec, "spec.strategy.canary.steps[" + i + "]", steps.get(i), problems);
    }
  }

  private static void stepProblems(RolloutSpec spec, String where, CanaryStep step, List<String> problems) {
    if (step == null) {
      problems.add(where + " is empty: give one of setWeight, pause, analysis, setHeaderRoute or gate");
      return;
    }
    int actions = step.actionCount();
    if (actions != 1) {
      problems.add(where + " has " + actions + " actions: a step has exactly one of setWeight, pause, analysis, "
          + "setHeaderRoute or gate");
      return;
    }
    HeaderRouteStep header = step.getSetHeaderRoute();
    if (header != null && spec.getTrafficRouting() == null) {
      problems.add(where + ".setHeaderRoute needs spec.trafficRouting (gatewayAPI, istio or nginx): with replica-ratio "
          + "routing the user's Service cannot send requests by header");
    }
    if (header != null && (header.getHeader() == null || header.getValue() == null)) {
      problems.add(where + ".setHeaderRoute needs a header and a value, e.g. {header: x-canary, value: \"true\"}");
    } else if (header != null && !header.getHeader().matches(HEADER_NAME)) {
      problems.add(where + ".setHeaderRoute.header " + Names.quote(header.getHeader()) + " is not an HTTP header name "
          + "(letters, digits and !#$%&'*+.^_`|~-, at most 256)");
    } else if (header != null && !header.getValue().matches(HEADER_VALUE)) {
      problems.add(where + ".setHeaderRoute.value must be 1 to 256 printable ASCII characters");
    }
    if (step.getSetWeight() != null && (step.getSetWeight() < 0 || step.getSetWeight() > 100)) {
      problems.add(where + ".setWeight is " + step.getSetWeight() + ": use a percentage from 0 to 100");
    }
    if (step.getPause() != null && step.getPause().getDuration() != null) {
      try {
        Durations.parseWithin(step.getPause().getDuration(), Duration.ZERO, Limits.PAUSE_MAX);
      } catch (IllegalArgumentException e) {
        problems.add(where + ".pause.duration: " + e.getMessage());
      }
    }
  }
}
