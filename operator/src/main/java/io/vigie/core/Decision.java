package io.vigie.core;

import io.vigie.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What to do for one Rollout. The reconciler writes the new status first (the intent: after a
 * crash the cluster is never ahead of status, only behind, and every action is an idempotent
 * "ensure" that the next decision repeats), then the cluster writes in order (traffic first,
 * then scale), then the Events, then clears the accepted control.
 *
 * @param requeueAfter when to look again even if nothing changes (a pause ends, a deadline falls)
 */
public record Decision(
    RolloutStatus status,
    List<Action> actions,
    List<RolloutEvent> events,
    boolean clearControl,
    Optional<Duration> requeueAfter) {}
