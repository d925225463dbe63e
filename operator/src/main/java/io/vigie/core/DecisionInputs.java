package io.vigie.core;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.domain.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one decision reads and never changes: the spec, what the cluster showed, and what the status
 * said when the decision began (the weight and header route the last decision applied).
 *
 * @param lostStatus why the stored status could not be read, or null
 */
record DecisionInputs(String namespace, RolloutSpec spec, Observation obs, String lostStatus, boolean adopted,
    int startWeight, Optional<HeaderMatch> startHeader, String startStableHash) {

  static DecisionInputs of(String namespace, RolloutSpec spec, Observation obs, RolloutStatus status, String lostStatus) {
    List<CanaryStep> steps = steps(spec);
    return new DecisionInputs(namespace, spec, obs, lostStatus, status.getStableRevision() != null,
        status.getCanaryWeight() == null ? 0 : status.getCanaryWeight(),
        status.getCanaryRevision() == null ? Optional.empty() : earnedHeader(steps, status.getCurrentStepIndex()),
        status.getStablePodTemplateHash());
  }

  Instant now() {
    return obs.now();
  }

  List<CanaryStep> steps() {
    return steps(spec);
  }

  private static List<CanaryStep> steps(RolloutSpec spec) {
    // An Invalid spec may lack any of these; every other path has passed the validation.
    if (spec == null || spec.getStrategy() == null || spec.getStrategy().getCanary() == null
        || spec.getStrategy().getCanary().getSteps() == null) {
      return List.of();
    }
    return spec.getStrategy().getCanary().getSteps();
  }

  /** "2/5": step {@code index} (from 0) of the steps, as people count them. */
  String stepDisplay(int index) {
    return Math.min(index + 1, stepCount()) + "/" + stepCount();
  }

  /** The steps a release passes: the canary's, or a blue-green release's two stages (preview, then live). */
  int stepCount() {
    return blueGreen() ? BlueGreenStrategy.STAGES : steps().size();
  }

  /** The Rollout releases blue-green (spec.strategy.blueGreen). */
  boolean blueGreen() {
    return spec != null && spec.getStrategy() != null && spec.getStrategy().usesBlueGreen();
  }

  io.vigie.api.v1alpha1.BlueGreenStrategy blueGreenSpec() {
    return spec.getStrategy().getBlueGreen();
  }

  /** What the step position refers to: the canary steps, or the blue-green stages. A change restarts the release. */
  String stepsHash() {
    return blueGreen() ? "blue-green" : StepsHash.of(steps());
  }

  /** The canary's traffic goes through a router (else: the share of ready pods behind one Service). */
  boolean routed() {
    return spec != null && spec.getTrafficRouting() != null && obs.route().isPresent();
  }

  /** The Rollout runs a baseline next to its canary (spec.strategy.canary.baseline). */
  boolean withBaseline() {
    return spec != null && spec.getStrategy() != null && spec.getStrategy().getCanary() != null
        && spec.getStrategy().getCanary().withBaseline();
  }

  /** Ready pods of the baseline, when it runs this (the stable) revision. */
  int baselineReady(String revision) {
    return obs.baseline().filter(c -> c.revision().equals(revision)).map(Observation.Canary::readyReplicas).orElse(0);
  }

  int canaryReady(String revision) {
    return obs.canary().filter(c -> c.revision().equals(revision)).map(Observation.Canary::readyReplicas).orElse(0);
  }

  /** The weight of the last setWeight step before {@code index}: what the canary has earned. */
  int earnedWeight(Integer index) {
    List<CanaryStep> steps = steps();
    for (int i = Math.min(index == null ? 0 : index, steps.size()) - 1; i >= 0; i--) {
      if (steps.get(i).getSetWeight() != null) {
        return steps.get(i).getSetWeight();
      }
    }
    return 0;
  }

  /** The header route of the last setHeaderRoute step before {@code index}. */
  Optional<HeaderMatch> earnedHeader(Integer index) {
    return earnedHeader(steps(), index);
  }

  private static Optional<HeaderMatch> earnedHeader(List<CanaryStep> steps, Integer index) {
    for (int i = Math.min(index == null ? 0 : index, steps.size()) - 1; i >= 0; i--) {
      if (steps.get(i).getSetHeaderRoute() != null) {
        return Optional.of(new HeaderMatch(steps.get(i).getSetHeaderRoute().getHeader(), steps.get(i).getSetHeaderRoute().getValue()));
      }
    }
    return Optional.empty();
  }

  /** True when step {@code index} sets a lower weight than the setWeight steps before it left. */
  boolean lowersWeight(int index) {
    Integer weight = steps().get(index).getSetWeight();
    return weight != null && weight < earnedWeight(index);
  }

  Duration progressDeadline() {
    Integer seconds = spec.getProgressDeadlineSeconds();
    return Duration.ofSeconds(seconds == null ? RolloutSpec.DEFAULT_PROGRESS_DEADLINE_SECONDS : seconds);
  }

  String targetName() {
    return spec.getTargetRef().getName();
  }

  String canaryName() {
    return Names.canaryDeployment(targetName());
  }

  String stableServiceName() {
    return Names.stableService(spec.getService().getName());
  }

  static String describe(CanaryStep step) {
    if (step.getSetWeight() != null) {
      return "setWeight " + step.getSetWeight();
    }
    if (step.getPause() != null) {
      return step.getPause().getDuration() == null ? "pause" : "pause " + step.getPause().getDuration();
    }
    return step.getSetHeaderRoute() != null ? "setHeaderRoute " + step.getSetHeaderRoute() : "analysis";
  }
}
