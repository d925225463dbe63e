package io.vigie.analysis;

import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricProvider;
import io.vigie.api.v1alpha1.PrometheusProvider;
import io.vigie.api.v1alpha1.ThresholdRange;

/** Metrics for tests. */
final class Metrics {
  private Metrics() {}

  static Metric prometheus(String name, String query) {
    Metric metric = new Metric();
    metric.setName(name);
    PrometheusProvider p = new PrometheusProvider();
    p.setQuery(query);
    p.setAddress("http://prometheus:9090");
    MetricProvider provider = new MetricProvider();
    provider.setPrometheus(p);
    metric.setProvider(provider);
    return metric;
  }

  static Metric withMax(String name, double max) {
    Metric metric = prometheus(name, "q");
    ThresholdRange range = new ThresholdRange();
    range.setMax(max);
    metric.setThresholdRange(range);
    return metric;
  }
}
