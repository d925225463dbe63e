package io.vigie.reconciler;

import java.util.Optional;
import java.util.Set;

/**
 * How an operator instance runs.
 *
 * @param namespaces the namespaces to watch; empty for all
 * @param instance this operator's identity in Events and logs
 * @param prometheusAddress the Prometheus API used by metrics that name no address
 */
public record OperatorSettings(Set<String> namespaces, String instance, Optional<String> prometheusAddress) {

  public static OperatorSettings defaults(String instance) {
    return new OperatorSettings(Set.of(), instance, Optional.empty());
  }

  public OperatorSettings withPrometheus(String address) {
    return new OperatorSettings(namespaces, instance, Optional.ofNullable(address));
  }
}
