package io.vigie.analysis.provider;

import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.SidePlaceholder;
import io.vigie.api.v1alpha1.Metric;
import java.time.Instant;

/** Picks the provider a metric names. */
public final class MetricProviders {
  private final PrometheusMetricProvider prometheus;
  private final WebMetricProvider web;
  private final java.util.Optional<JobMetricProvider> jobs;

  /** Providers that send requests only where the default {@link AddressPolicy} allows. */
  public MetricProviders() {
    this(AddressPolicy.defaults());
  }

  public MetricProviders(AddressPolicy policy) {
    this(policy, java.util.Optional.empty());
  }

  /** With job metrics, whose Jobs are created through this provider. */
  public MetricProviders(AddressPolicy policy, java.util.Optional<JobMetricProvider> jobs) {
    this.prometheus = new PrometheusMetricProvider(policy);
    this.web = new WebMetricProvider(policy);
    this.jobs = jobs;
  }

  /**
   * Why this metric's request cannot be sent (a bad URL, a header the HTTP client refuses, a missing
   * Secret, a CA that is not PEM, a bad JSON pointer), built as a measurement would build it but not
   * sent; empty when it can be.
   */
  public java.util.Optional<String> problem(Metric metric, SecretReader secrets) {
    try {
      if (metric.getProvider().getPrometheus() != null) {
        prometheus.check(metric.getProvider().getPrometheus(), secrets);
      } else if (metric.getProvider().getJob() != null) {
        if (jobs.isEmpty()) {
          return java.util.Optional.of("job metrics run only in the operator, which creates their Jobs");
        }
      } else {
        web.check(metric.getProvider().getWeb(), secrets);
      }
      return java.util.Optional.empty();
    } catch (MeasurementException | IllegalArgumentException e) {
      return java.util.Optional.of(secrets.redact(e.getMessage()));
    }
  }

  /** The operator stops: measurements interrupted now are not cancellations (a Job keeps running). */
  void stop() {
    jobs.ifPresent(JobMetricProvider::stop);
  }

  /** A job metric's measurement: its Job's end (docs/analysis.md#job-metrics). */
  public RawMeasurement measureJob(String run, String runStartedAt, Metric metric, Instant at, JobMetricProvider.Owner owner) {
    if (jobs.isEmpty()) {
      return RawMeasurement.error(run, metric.getName(), at, "job metrics run only in the operator, which creates their Jobs");
    }
    return jobs.get().measure(run, runStartedAt, metric, at, owner);
  }

  /** A measurement of the metric compared with the stable pods. */
  public RawMeasurement measure(String run, Metric metric, Instant at, SecretReader secrets) {
    return measure(run, metric, at, secrets, SidePlaceholder.STABLE);
  }

  /** A measurement of the metric; its note never holds a value read from a Secret (an answer may echo one). */
  public RawMeasurement measure(String run, Metric metric, Instant at, SecretReader secrets, SidePlaceholder comparison) {
    RawMeasurement m;
    try {
      if (metric.getProvider().getJob() != null) {
        return RawMeasurement.error(run, metric.getName(), at, "a job metric is measured by its Job, for a Rollout");
      }
      m = metric.getProvider().getPrometheus() != null
          ? prometheus.measure(run, metric, at, secrets, comparison)
          : web.measure(run, metric, at, secrets, comparison);
    } catch (MeasurementException e) {
      m = RawMeasurement.error(run, metric.getName(), at, e.getMessage());
    } catch (RuntimeException e) {
      // Whatever goes wrong in one measurement (a header the HTTP client refuses, a Secret it may
      // not read) is that measurement's error: it must never keep the Rollout from being decided.
      m = RawMeasurement.error(run, metric.getName(), at, "the measurement failed: " + e);
    }
    return m.note() == null ? m : m.withNote(secrets.redact(m.note()));
  }
}
