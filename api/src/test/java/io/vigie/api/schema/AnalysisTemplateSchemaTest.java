package io.vigie.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnalysisTemplateSchemaTest {
  private static CrdSchemaValidator schema;

  @BeforeAll
  static void load() throws IOException {
    schema = CrdSchemaValidator.forCrd(
        Path.of(System.getProperty("vigie.crds.committed", "../crds"), "analysistemplates.vigie.io-v1.yml"), "v1alpha1");
  }

  private static String template(String metric) {
    return """
        apiVersion: vigie.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: http-health}
        spec:
          args: [{name: service}]
          metrics:
        """ + metric.indent(4);
  }

  @Test
  void acceptsAPrometheusMetricWithAThreshold() throws IOException {
    assertThat(schema.validate(template("""
        - name: error-rate
          interval: 30s
          count: 5
          failureLimit: 1
          thresholdRange: {max: 0.05}
          provider:
            prometheus: {query: 'sum(rate(x[1m]))'}
        """))).isEmpty();
  }

  @Test
  void rejectsAMetricWithTwoProviders() throws IOException {
    assertThat(schema.validate(template("""
        - name: error-rate
          thresholdRange: {max: 1}
          provider:
            prometheus: {query: 'up'}
            web: {url: 'http://x'}
        """))).singleElement().asString().contains("exactly one provider");
  }

  @Test
  void acceptsAJobMetricWhoseRuleIsItsJobAndRejectsOneWithAnotherRule() throws IOException {
    String job = """
        - name: integration-tests
          provider:
            job:
              timeout: 15m
              spec:
                backoffLimit: 1
                template:
                  spec:
                    restartPolicy: Never
                    containers: [{name: tests, image: "ci/tests:1", args: ["--target", "{{args.service}}"]}]
        """;
    assertThat(schema.validate(template(job))).isEmpty();
    assertThat(schema.validate(template(job + "  thresholdRange: {max: 1}\n"))).singleElement().asString()
        .contains("a job metric's rule is its Job");
    assertThat(schema.validate(template(job.replace("timeout: 15m", "timeout: 2s")))).singleElement().asString()
        .contains("timeout is from 10s to 24h");
  }

  @Test
  void rejectsAMetricWithoutARule() throws IOException {
    assertThat(schema.validate(template("""
        - name: error-rate
          provider: {prometheus: {query: 'up'}}
        """))).singleElement().asString().contains("needs a rule");
  }

  @Test
  void rejectsAnEmptyThresholdRange() throws IOException {
    assertThat(schema.validate(template("""
        - name: error-rate
          thresholdRange: {}
          provider: {prometheus: {query: 'up'}}
        """))).singleElement().asString().contains("min, max or both");
  }

  @Test
  void acceptsACompareMetricAndRejectsAnUnknownDirectionOrACompareWithAThreshold() throws IOException {
    assertThat(schema.validate(template("""
        - name: latency
          compare: {direction: increase, tolerance: 0.1, criticality: critical, weight: 2, window: 2m, step: 15s}
          provider: {prometheus: {query: 'x{role="{{side}}"}'}}
        """))).isEmpty();
    assertThat(schema.validate(template("""
        - name: latency
          compare: {direction: sideways}
          provider: {prometheus: {query: 'x{role="{{side}}"}'}}
        """))).singleElement().asString().contains("compare.direction").contains("[\"decrease\", \"either\", \"increase\"]");
    assertThat(schema.validate(template("""
        - name: latency
          compare: {}
          thresholdRange: {max: 1}
          provider: {prometheus: {query: 'x{role="{{side}}"}'}}
        """))).singleElement().asString().contains("compare is a rule of its own");
  }
}
