package io.vigie.core;

import io.vigie.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What to do for one Rollout: the cluster writes in order (traffic first, then scale), then the
 * new status, then the Events, then clearing the accepted control.
 *
 * @param requeueAfter when to look again even if nothing changes (a pause ends, a deadline falls)
 */
public record Decision(
    RolloutStatus status,
    List<Action> actions,
    List<RolloutEvent> events,
    boolean clearControl,
    Optional<Duration> requeueAfter) {}
