package io.vigie.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricVerdictTest {
  private Instant at = Instant.parse("2026-01-01T00:00:00Z");

  private void measure(MetricStatus status, Metric metric, double value) {
    at = at.plusSeconds(30);
    MetricVerdict.record(status, metric, RawMeasurement.value("step-1", metric.getName(), at, value, null));
  }

  private void fail(MetricStatus status, Metric metric) {
    at = at.plusSeconds(30);
    MetricVerdict.record(status, metric, RawMeasurement.error("step-1", metric.getName(), at, "connection refused"));
  }

  @Test
  void failsOncePastTheFailureLimit() {
    Metric metric = Metrics.withMax("error-rate", 0.05);
    metric.setFailureLimit(1);
    MetricStatus status = MetricVerdict.start(metric);
    measure(status, metric, 0.21);
    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Running);
    measure(status, metric, 0.01);
    measure(status, metric, 0.3);
    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(status.getMessage()).isEqualTo("0.3 > max 0.05 (2 of 3 measurements failed, failureLimit 1)");
    assertThat(status.getMeasurements()).extracting(m -> m.getValue()).containsExactly("0.21", "0.01", "0.3");
  }

  @Test
  void succeedsAfterCountWithEnoughSamplesAndIsInconclusiveWithout() {
    Metric metric = Metrics.withMax("error-rate", 0.05);
    metric.setCount(3);
    metric.setMinSamples(3);
    metric.setInconclusiveLimit(1);
    MetricStatus status = MetricVerdict.start(metric);
    measure(status, metric, 0.0);
    measure(status, metric, Double.NaN);
    measure(status, metric, 0.0);
    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(status.getMessage()).isEqualTo("only 2 of 3 measurements successful, minSamples 3");
  }

  @Test
  void errorsAreRetriedAndNeverRunOutTheCount() {
    Metric metric = Metrics.withMax("error-rate", 0.05);
    metric.setCount(2);
    metric.setConsecutiveErrorLimit(2);
    MetricStatus status = MetricVerdict.start(metric);
    measure(status, metric, 0.0);
    fail(status, metric);
    fail(status, metric);
    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Running);
    fail(status, metric);
    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Error);
    assertThat(status.getMessage()).isEqualTo("connection refused (3 errors in a row, consecutiveErrorLimit 2)");
  }

  @Test
  void aSuccessResetsTheRunOfErrors() {
    Metric metric = Metrics.withMax("error-rate", 0.05);
    metric.setConsecutiveErrorLimit(1);
    MetricStatus status = MetricVerdict.start(metric);
    fail(status, metric);
    measure(status, metric, 0.0);
    fail(status, metric);
    assertThat(status.getPhase()).isEqualTo(AnalysisPhase.Running);
    assertThat(status.getConsecutiveErrors()).isEqualTo(1);
    assertThat(status.getErrors()).isEqualTo(2);
  }

  @Test
  void keepsTheLastTenMeasurements() {
    Metric metric = Metrics.withMax("error-rate", 0.05);
    MetricStatus status = MetricVerdict.start(metric);
    for (int i = 0; i < 25; i++) {
      measure(status, metric, i / 1000.0);
    }
    assertThat(status.getMeasurements()).hasSize(MetricVerdict.MEASUREMENTS_KEPT);
    assertThat(status.getMeasurements().get(9).getValue()).isEqualTo("0.024");
    assertThat(status.getMeasured()).isEqualTo(25);
  }
}
