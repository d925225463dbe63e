package io.vigie.analysis.provider;

import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.SidePlaceholder;
import io.vigie.api.v1alpha1.Metric;
import java.time.Instant;

/** Takes one measurement of a metric: I/O only, no judgement. */
public interface MetricProvider {
  /**
   * Never throws: whatever goes wrong is a measurement of kind ERROR saying what happened.
   *
   * @param comparison the side the canary is compared with ({{side}} in the queries): the stable
   *     pods, or the baseline's when the Rollout runs one
   */
  RawMeasurement measure(String run, Metric metric, Instant at, SecretReader secrets, SidePlaceholder comparison);

  /** A measurement compared with the stable pods. */
  default RawMeasurement measure(String run, Metric metric, Instant at, SecretReader secrets) {
    return measure(run, metric, at, secrets, SidePlaceholder.STABLE);
  }
}
