package io.vigie.core;

import static io.vigie.api.v1alpha1.RolloutPhase.Invalid;

import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.Observation.Target;
import java.util.List;
import java.util.Optional;

/**
 * What Vigie does for a Rollout it cannot act on: it says why in status and writes nothing, except
 * what keeps a Deployment it adopted guarded (invariant 7: an adopted Deployment is unpaused only by
 * a promotion or by the deletion of the Rollout that adopted it).
 */
final class InvalidDecision {
  private static final int MAX_MESSAGE = 600;

  private InvalidDecision() {}

  /** A decision that failed (an input the validation missed): Invalid with what failed, and the target kept paused. */
  static Decision of(RolloutSpec spec, RolloutStatus status, Observation observation, String message) {
    String shown = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
    boolean news = status.getPhase() != Invalid || !shown.equals(status.getMessage());
    status.setPhase(Invalid);
    status.setMessage(shown);
    status.setObservedGeneration(observation.generation());
    Conditions.set(status.getConditions(), Conditions.INVALID, true, "InvalidSpec", shown, observation.now(),
        observation.generation());
    Conditions.set(status.getConditions(), Conditions.PROGRESSING, false, "InvalidSpec", shown, observation.now(),
        observation.generation());
    Conditions.setKstatus(status.getConditions(), false, true, "InvalidSpec", shown, observation.now(), observation.generation());
    List<Action> actions = keepGuarded(status, observation).stream().toList();
    List<RolloutEvent> events = news ? List.of(RolloutEvent.warning(EventReason.Invalid, shown)) : List.of();
    return new Decision(status, actions, events, false, Optional.empty());
  }

  /**
   * The write that keeps an adopted target paused while its Rollout is Invalid, if one is needed. A
   * promotion in flight (the verified template rolling out) finishes; a Deployment another Rollout
   * manages is not touched.
   */
  static Optional<Action> keepGuarded(RolloutStatus s, Observation observation) {
    if (s.getStableRevision() == null || observation.target().isEmpty()) {
      return Optional.empty();
    }
    Target target = observation.target().get();
    if (target.manager() == Target.Manager.OTHER) {
      return Optional.empty();
    }
    boolean promoting = s.getPromotionStartedAt() != null && target.revision().equals(s.getCanaryRevision())
        && !target.rolledOut();
    if (promoting || (target.paused() && target.manager() == Target.Manager.THIS)) {
      return Optional.empty();
    }
    return Optional.of(new Action.PauseTarget(true));
  }
}
