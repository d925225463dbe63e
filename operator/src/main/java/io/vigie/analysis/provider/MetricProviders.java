package io.vigie.analysis.provider;

import io.vigie.analysis.RawMeasurement;
import io.vigie.api.v1alpha1.Metric;
import java.time.Instant;

/** Picks the provider a metric names. */
public final class MetricProviders {
  private final MetricProvider prometheus = new PrometheusMetricProvider();
  private final MetricProvider web = new WebMetricProvider();

  public RawMeasurement measure(String run, Metric metric, Instant at, SecretReader secrets) {
    try {
      return metric.getProvider().getPrometheus() != null
          ? prometheus.measure(run, metric, at, secrets)
          : web.measure(run, metric, at, secrets);
    } catch (MeasurementException e) {
      return RawMeasurement.error(run, metric.getName(), at, e.getMessage());
    } catch (RuntimeException e) {
      // Whatever goes wrong in one measurement (a header the HTTP client refuses, a Secret it may
      // not read) is that measurement's error: it must never keep the Rollout from being decided.
      return RawMeasurement.error(run, metric.getName(), at, "the measurement failed: " + e);
    }
  }
}
