package io.vigie.reconciler;

import java.util.Optional;
import java.util.Set;

/**
 * How an operator instance runs.
 *
 * @param namespaces the namespaces to watch; empty for all
 * @param instance this operator's identity in Events and logs
 * @param prometheusAddress the Prometheus API used by metrics that name no address
 * @param stopTimeout how long a stop waits for reconciles in flight
 * @param leaderElection when present, only the holder of this Lease reconciles
 * @param clockSpeed how much faster than real time the operator's Clock runs: 1 in a cluster; the
 *     playground compresses time, so a wait of 30s on its clock is a requeue of 30s / speed
 * @param allowedProviderHosts host names, addresses or CIDR ranges that providers may reach although
 *     the default address policy refuses them (loopback, link-local, metadata services)
 * @param shardSelector when present, a label selector: this operator drives only the Rollouts it
 *     selects, so that several installs split a cluster's Rollouts between them
 * @param namespacedJobMetrics job metrics may come from Rollouts and namespaced AnalysisTemplates too,
 *     not only from ClusterAnalysisTemplates: whoever may write those then runs pods as Vigie creates
 *     Jobs for them (docs/security.md)
 * @param defaultNotifications a ClusterNotificationChannel every Rollout tells about these events,
 *     unless annotated vigie.io/default-notifications: "false" (docs/notifications.md#cluster-channels)
 */
public record OperatorSettings(Set<String> namespaces, String instance, Optional<String> prometheusAddress,
    java.time.Duration stopTimeout, Optional<LeaderElection> leaderElection, double clockSpeed,
    java.util.List<String> allowedProviderHosts, Optional<String> shardSelector, boolean namespacedJobMetrics,
    Optional<io.vigie.api.v1alpha1.NotificationSubscription> defaultNotifications) {
  public static final java.time.Duration DEFAULT_STOP_TIMEOUT = java.time.Duration.ofSeconds(10);

  /**
   * Leader election on a Lease, so that of several replicas exactly one acts.
   *
   * @param exitOnLoss stop the process when leadership is lost (a new pod then waits its turn)
   */
  public record LeaderElection(String leaseName, String leaseNamespace, java.time.Duration leaseDuration,
      java.time.Duration renewDeadline, java.time.Duration retryPeriod, boolean exitOnLoss) {
    public static final String DEFAULT_LEASE = "vigie-operator";

    public static LeaderElection defaults(String leaseName, String leaseNamespace) {
      return new LeaderElection(leaseName, leaseNamespace, java.time.Duration.ofSeconds(15),
          java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(2), true);
    }
  }

  public OperatorSettings(Set<String> namespaces, String instance, Optional<String> prometheusAddress) {
    this(namespaces, instance, prometheusAddress, DEFAULT_STOP_TIMEOUT, Optional.empty(), 1, java.util.List.of(), Optional.empty(),
        false, Optional.empty());
  }

  public static OperatorSettings defaults(String instance) {
    return new OperatorSettings(Set.of(), instance, Optional.empty());
  }

  public OperatorSettings withPrometheus(String address) {
    return new OperatorSettings(namespaces, instance, Optional.ofNullable(address), stopTimeout, leaderElection, clockSpeed,
        allowedProviderHosts, shardSelector, namespacedJobMetrics, defaultNotifications);
  }

  public OperatorSettings withStopTimeout(java.time.Duration timeout) {
    return new OperatorSettings(namespaces, instance, prometheusAddress, timeout, leaderElection, clockSpeed,
        allowedProviderHosts, shardSelector, namespacedJobMetrics, defaultNotifications);
  }

  public OperatorSettings withLeaderElection(LeaderElection election) {
    return new OperatorSettings(namespaces, instance, prometheusAddress, stopTimeout, Optional.of(election), clockSpeed,
        allowedProviderHosts, shardSelector, namespacedJobMetrics, defaultNotifications);
  }

  /** An operator that watches only these namespaces (a namespaced install). */
  public OperatorSettings withNamespaces(Set<String> watched) {
    return new OperatorSettings(Set.copyOf(watched), instance, prometheusAddress, stopTimeout, leaderElection, clockSpeed,
        allowedProviderHosts, shardSelector, namespacedJobMetrics, defaultNotifications);
  }

  /** Providers may also reach these hosts, addresses or CIDR ranges (an admin's allowlist). */
  public OperatorSettings withAllowedProviderHosts(java.util.List<String> hosts) {
    return new OperatorSettings(namespaces, instance, prometheusAddress, stopTimeout, leaderElection, clockSpeed,
        java.util.List.copyOf(hosts), shardSelector, namespacedJobMetrics, defaultNotifications);
  }

  /** An operator whose Clock runs {@code speed} times faster than real time (the playground's). */
  public OperatorSettings withClockSpeed(double speed) {
    return new OperatorSettings(namespaces, instance, prometheusAddress, stopTimeout, leaderElection, speed,
        allowedProviderHosts, shardSelector, namespacedJobMetrics, defaultNotifications);
  }

  /** An operator that drives only the Rollouts this label selector selects (one shard of a cluster's). */
  public OperatorSettings withShardSelector(String selector) {
    return new OperatorSettings(namespaces, instance, prometheusAddress, stopTimeout, leaderElection, clockSpeed,
        allowedProviderHosts, Optional.of(selector), namespacedJobMetrics, defaultNotifications);
  }

  /** Job metrics may come from Rollouts and namespaced AnalysisTemplates, not only the admin's ClusterAnalysisTemplates. */
  public OperatorSettings withNamespacedJobMetrics(boolean allowed) {
    return new OperatorSettings(namespaces, instance, prometheusAddress, stopTimeout, leaderElection, clockSpeed,
        allowedProviderHosts, shardSelector, allowed, defaultNotifications);
  }

  /** Every Rollout tells this cluster channel about these events, unless it opts out. */
  public OperatorSettings withDefaultNotifications(io.vigie.api.v1alpha1.NotificationSubscription subscription) {
    return new OperatorSettings(namespaces, instance, prometheusAddress, stopTimeout, leaderElection, clockSpeed,
        allowedProviderHosts, shardSelector, namespacedJobMetrics, Optional.of(subscription));
  }
}
