package io.vigie.analysis.provider;

import io.vigie.analysis.RawMeasurement;
import io.vigie.api.v1alpha1.Metric;
import java.time.Instant;

/** Takes one measurement of a metric: I/O only, no judgement. */
public interface MetricProvider {
  /** Never throws: whatever goes wrong is a measurement of kind ERROR saying what happened. */
  RawMeasurement measure(String run, Metric metric, Instant at, SecretReader secrets);
}
