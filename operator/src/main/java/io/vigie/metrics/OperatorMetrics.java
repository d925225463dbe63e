package io.vigie.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;

/**
 * The metrics of one operator instance, in a registry of its own: the Rollout metrics, JOSDK's
 * reconcile timings, whether this instance leads, and the JVM's.
 */
public final class OperatorMetrics {
  public static final String LEADER = "vigie_operator_leader";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RolloutMetrics rollouts = new RolloutMetrics(registry);
  // Reconcile timings per controller, without name and namespace tags: one series per controller,
  // however many Rollouts there are.
  private final Metrics reconciles = MicrometerMetrics.withoutPerResourceMetrics(registry);

  public OperatorMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Exports whether this instance is the one that reconciles (1) or a standby (0). */
  public void leader(BooleanSupplier leading) {
    Gauge.builder(LEADER, leading, l -> l.getAsBoolean() ? 1 : 0)
        .description("1 when this operator instance reconciles (the leader, or leader election is off), 0 on a standby")
        .strongReference(true)
        .register(registry);
  }

  public RolloutMetrics rollouts() {
    return rollouts;
  }

  /** What JOSDK reports its reconciles to. */
  public Metrics reconciles() {
    return reconciles;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }
}
