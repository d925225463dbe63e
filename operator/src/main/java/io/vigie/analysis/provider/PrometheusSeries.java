package io.vigie.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * One side's answer to a range query (a subquery {@code (q)[window:step]}, answered as a matrix):
 * the single series it must return, its label names and its points. Several series are an error (the query must
 * aggregate), none is an empty side; NaN and infinities pass through for the judge, which refuses
 * them with a reason.
 */
record PrometheusSeries(Set<String> labels, double[] points) {
  static final PrometheusSeries NONE = new PrometheusSeries(Set.of(), new double[0]);

  boolean empty() {
    return points.length == 0;
  }

  /** The series of a successful range query's {@code data}. */
  static PrometheusSeries of(JsonNode data, String side) {
    String type = data.path("resultType").asText();
    if (!"matrix".equals(type)) {
      throw new MeasurementException("the " + side + " side's range query returned a " + type + ", not a matrix: a compare "
          + "metric's query must be an instant vector expression, e.g. histogram_quantile(0.99, sum by (le) (rate(...[1m]))), "
          + "not a range vector or a string");
    }
    JsonNode result = data.path("result");
    if (result.isEmpty()) {
      return NONE;
    }
    if (result.size() > 1) {
      throw new MeasurementException("the " + side + " side's query returned " + result.size() + " series, not one: aggregate "
          + "it, e.g. with sum(...) or max(...)");
    }
    JsonNode series = result.get(0);
    Set<String> labels = new TreeSet<>();
    series.path("metric").fieldNames().forEachRemaining(labels::add);
    JsonNode values = series.path("values");
    double[] points = new double[values.size()];
    for (int i = 0; i < points.length; i++) {
      points[i] = PrometheusMetricProvider.number(values.get(i).path(1).asText(), "the " + side + " side's query");
    }
    return new PrometheusSeries(labels, points);
  }
}
