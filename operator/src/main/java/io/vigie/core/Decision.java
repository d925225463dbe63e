package io.vigie.core;

import io.vigie.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What to do for one Rollout: the cluster writes in order (traffic first, then scale), then the
 * new status, then the Events, then clearing the accepted control. A crash between them leaves
 * the cluster ahead of status; {@link RolloutMachine} decides so that the next decision, from the
 * old status, lands where this one would have.
 *
 * @param requeueAfter when to look again even if nothing changes (a pause ends, a deadline falls)
 */
public record Decision(
    RolloutStatus status,
    List<Action> actions,
    List<RolloutEvent> events,
    boolean clearControl,
    Optional<Duration> requeueAfter) {}
