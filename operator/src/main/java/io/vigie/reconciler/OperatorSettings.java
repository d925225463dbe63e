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
 */
public record OperatorSettings(Set<String> namespaces, String instance, Optional<String> prometheusAddress,
    java.time.Duration stopTimeout) {
  public static final java.time.Duration DEFAULT_STOP_TIMEOUT = java.time.Duration.ofSeconds(10);

  public OperatorSettings(Set<String> namespaces, String instance, Optional<String> prometheusAddress) {
    this(namespaces, instance, prometheusAddress, DEFAULT_STOP_TIMEOUT);
  }

  public static OperatorSettings defaults(String instance) {
    return new OperatorSettings(Set.of(), instance, Optional.empty());
  }

  public OperatorSettings withPrometheus(String address) {
    return new OperatorSettings(namespaces, instance, Optional.ofNullable(address), stopTimeout);
  }

  public OperatorSettings withStopTimeout(java.time.Duration timeout) {
    return new OperatorSettings(namespaces, instance, prometheusAddress, timeout);
  }
}
