package io.vigie.core;

import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.core.Observation.Configs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * vigie.io/track-configs: a ConfigMap or Secret the pod template references reaches the stable pods
 * as soon as it changes (mounted files at once, environment at the next restart), untested by the
 * canary that started before it. What each was at the canary's start is kept in status; the
 * promotion waits while one differs, until it is put back or a person accepts it (vigie.io/promote).
 */
final class ConfigTracking {
  /** How often a held promotion looks at the configs again (they are read, not watched). */
  static final Duration RECHECK = Duration.ofSeconds(30);

  private final DecisionInputs in;
  private final DecisionDraft d;

  ConfigTracking(DecisionInputs in, DecisionDraft d) {
    this.in = in;
    this.d = d;
  }

  /** At the start of a canary (or when tracking is turned on mid-canary): what the configs are now. */
  void recordAtStart() {
    Configs configs = in.obs().configs();
    d.s.setTrackedConfigs(configs.tracked() ? new TreeMap<>(configs.fingerprints()) : null);
  }

  /** The configs that differ from the canary's start, as people read them; empty when none or untracked. */
  List<String> changed() {
    Configs configs = in.obs().configs();
    if (!configs.tracked()) {
      return List.of();
    }
    Map<String, String> then = d.s.getTrackedConfigs();
    if (then == null) {
      recordAtStart();
      return List.of();
    }
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, String> now : new TreeMap<>(configs.fingerprints()).entrySet()) {
      String before = then.get(now.getKey());
      if (before != null && !before.equals(now.getValue())) {
        String object = now.getKey().replaceFirst(" ", " " + in.namespace() + "/");
        changed.add(object + (now.getValue().equals(Configs.ABSENT) ? " was deleted"
            : before.equals(Configs.ABSENT) ? " was created" : " changed"));
      }
    }
    return changed;
  }

  /**
   * True when the promotion must wait: Paused, reason ConfigChanged, the objects named in the message
   * and, once per hold, in a Warning Event.
   */
  boolean holdsPromotion(String promotion) {
    List<String> changed = changed();
    if (changed.isEmpty()) {
      return false;
    }
    String what = String.join(", ", changed);
    String message = what + " since the canary started: " + promotion + " waits, since the change reaches the stable "
        + "pods untested. Put it back, or accept it with vigie.io/promote (vigie promote <rollout>); a content hash in the pod "
        + "template makes such a change a revision of its own (docs/integrations.md#configmaps-and-secrets)";
    if (d.phase() != RolloutPhase.Paused || d.s.getMessage() == null || !d.s.getMessage().startsWith(what + " since")) {
      d.warning(EventReason.ConfigChanged, message);
    }
    d.conclude(Outcome.paused(Outcome.Reason.ConfigChanged, message));
    d.requeueIn(RECHECK);
    return true;
  }

  /** A person's promote while the promotion waits on changed configs: the configs as they are now are accepted. */
  Optional<String> acceptByHand() {
    List<String> changed = changed();
    if (changed.isEmpty()) {
      return Optional.empty();
    }
    recordAtStart();
    return Optional.of("accepted by hand: " + String.join(", ", changed));
  }
}
