package io.vigie.api.v1alpha1;

/**
 * What a metric's numbers measure, so that people read them as such: {@code ratio} values (0.173) are
 * shown as percentages (17.3%), {@code seconds} as milliseconds or seconds (740ms, 1.2s). The values
 * stored and compared stay the raw numbers.
 */
public enum MetricUnit {
  ratio,
  seconds
}
