package io.vigie.health;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code /healthz} and {@code /readyz} answer.
 *
 * <ul>
 *   <li>Live: the process answers, and once this instance reconciles, every informer (Rollouts,
 *       Deployments, Services) runs, has synced and watches. A standby has no informers and is live.
 *   <li>Ready: the operator has started, and either it reconciles with every informer healthy, or
 *       it is a standby under leader election. A standby is ready on purpose: it is healthy and
 *       takes over within a Lease duration, and a rolling update of the operator's Deployment waits
 *       for new pods to be ready, which a standby that never leads would block forever.
 * </ul>
 */
public final class OperatorHealth {
  /** One answer: whether it is good, and a line saying why. */
  public record Check(boolean ok, String message) {}

  private final boolean leaderElection;
  private final AtomicBoolean leading = new AtomicBoolean();
  private volatile Operator operator;

  public OperatorHealth(boolean leaderElection) {
    this.leaderElection = leaderElection;
    this.leading.set(!leaderElection);
  }

  /** The operator these checks look at, once built. */
  public void watch(Operator operator) {
    this.operator = operator;
  }

  /** Leader election made this instance the leader, or it lost the lease. */
  public void leading(boolean leading) {
    this.leading.set(leading);
  }

  /** True when this instance reconciles: it leads, or leader election is off. */
  public boolean isLeading() {
    return leading.get();
  }

  private String role() {
    return leaderElection ? (leading.get() ? "leader" : "standby") : "single instance";
  }

  public Check liveness() {
    Operator current = operator;
    if (current == null || !current.getRuntimeInfo().isStarted()) {
      return new Check(true, "starting");
    }
    return informers(current.getRuntimeInfo());
  }

  public Check readiness() {
    Operator current = operator;
    if (current == null || !current.getRuntimeInfo().isStarted()) {
      return new Check(false, "starting: the informers have not synced yet");
    }
    return informers(current.getRuntimeInfo());
  }

  private Check informers(RuntimeInfo info) {
    if (!leading.get()) {
      return new Check(true, role() + ": waiting for the lease");
    }
    if (info.allEventSourcesAreHealthy()) {
      return new Check(true, role() + ": informers synced and watching");
    }
    Map<String, Object> unhealthy = new TreeMap<>();
    info.unhealthyEventSources().forEach((controller, sources) ->
        sources.forEach((name, indicator) -> unhealthy.put(controller + "/" + name, indicator.getStatus())));
    return new Check(false, role() + ": unhealthy event sources " + unhealthy);
  }
}
