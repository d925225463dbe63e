package io.vigie.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every duration, number, name and text of the API has a bound in the schema (docs/operations.md
 * lists them): the values just inside are accepted, those just past and the absurd ones refused,
 * as the API server would at apply time.
 */
class SchemaLimitsTest {
  private static CrdSchemaValidator rollouts;
  private static CrdSchemaValidator templates;

  @BeforeAll
  static void load() throws IOException {
    Path crds = Path.of(System.getProperty("vigie.crds.committed", "../crds"));
    rollouts = CrdSchemaValidator.forCrd(crds.resolve("rollouts.vigie.io-v1.yml"), "v1alpha1");
    templates = CrdSchemaValidator.forCrd(crds.resolve("analysistemplates.vigie.io-v1.yml"), "v1alpha1");
  }

  private static String rollout(String target, String service, String extraSpec, String steps) {
    return """
        apiVersion: vigie.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          targetRef: {kind: Deployment, name: %s}
          service: {name: %s, port: 80}
        %s  strategy:
            canary:
              steps:
        %s""".formatted(target, service, extraSpec.indent(2), steps.indent(6));
  }

  private static String steps(String steps) {
    return rollout("web", "web", "", steps);
  }

  private static String metric(String fields) {
    return """
        apiVersion: vigie.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          metrics:
          - name: error-rate
            thresholdRange: {max: 0.05}
        """ + fields.indent(4);
  }

  private static String prometheus(String providerFields) {
    return metric("provider: {prometheus: {query: up, " + providerFields + "}}\n");
  }

  @Test
  void aPauseLastsAtMost720Hours() throws IOException {
    assertThat(rollouts.validate(steps("- pause: {duration: 720h}\n"))).isEmpty();
    assertThat(rollouts.validate(steps("- pause: {duration: 0s}\n"))).isEmpty();
    assertThat(rollouts.validate(steps("- pause: {duration: 720h1s}\n")))
        .containsExactly(".spec.strategy.canary.steps[0].pause.duration: a pause lasts at most 720h");
    assertThat(rollouts.validate(steps("- pause: {duration: 2562047788015216h}\n"))).isNotEmpty();
    assertThat(rollouts.validate(steps("- pause: {duration: 9999999999999h}\n"))).isNotEmpty();
  }

  @Test
  void theProgressDeadlineIsFromOneSecondToADay() throws IOException {
    assertThat(rollouts.validate(rollout("web", "web", "progressDeadlineSeconds: 86400\n", "- setWeight: 1\n"))).isEmpty();
    assertThat(rollouts.validate(rollout("web", "web", "progressDeadlineSeconds: 86401\n", "- setWeight: 1\n")))
        .singleElement().asString().contains("progressDeadlineSeconds");
    assertThat(rollouts.validate(rollout("web", "web", "progressDeadlineSeconds: 0\n", "- setWeight: 1\n"))).isNotEmpty();
  }

  @Test
  void namesLeaveRoomForTheNamesVigieDerivesFromThem() throws IOException {
    assertThat(rollouts.validate(rollout("a".repeat(54), "b".repeat(55), "", "- setWeight: 1\n"))).isEmpty();
    assertThat(rollouts.validate(rollout("a".repeat(55), "web", "", "- setWeight: 1\n")))
        .singleElement().asString().contains("targetRef.name");
    assertThat(rollouts.validate(rollout("web", "b".repeat(56), "", "- setWeight: 1\n")))
        .singleElement().asString().contains("service.name");
    assertThat(rollouts.validate(rollout("a".repeat(10_000), "web", "", "- setWeight: 1\n"))).isNotEmpty();
  }

  @Test
  void aTemplateReferenceNeedsAName() throws IOException {
    assertThat(rollouts.validate(steps("- analysis: {templates: [{name: http-health}]}\n"))).isEmpty();
    assertThat(rollouts.validate(steps("- analysis: {templates: [{name: ''}]}\n"))).isNotEmpty();
    assertThat(rollouts.validate(steps("- analysis: {templates: [{name: 'Not A Name'}]}\n"))).isNotEmpty();
  }

  @Test
  void anIntervalIsFromOneSecondToADayAndAnInitialDelayAtMostADay() throws IOException {
    assertThat(templates.validate(prometheusWith("interval: 1s\ninitialDelay: 24h\n"))).isEmpty();
    assertThat(templates.validate(prometheusWith("interval: 0s\n")))
        .containsExactly(".spec.metrics[0].interval: interval is from 1s to 24h");
    assertThat(templates.validate(prometheusWith("interval: 24h1s\n"))).isNotEmpty();
    assertThat(templates.validate(prometheusWith("interval: 9999999999999h\n"))).isNotEmpty();
    assertThat(templates.validate(prometheusWith("initialDelay: 25h\n")))
        .containsExactly(".spec.metrics[0].initialDelay: initialDelay is at most 24h");
  }

  private static String prometheusWith(String fields) {
    return metric(fields + "provider: {prometheus: {query: up}}\n");
  }

  @Test
  void aProviderTimeoutIsFromOneSecondToAMinute() throws IOException {
    assertThat(templates.validate(prometheus("timeout: 60s"))).isEmpty();
    assertThat(templates.validate(prometheus("timeout: 0s")))
        .containsExactly(".spec.metrics[0].provider.prometheus.timeout: timeout is from 1s to 60s");
    assertThat(templates.validate(prometheus("timeout: 99999h"))).isNotEmpty();
    assertThat(templates.validate(metric("provider: {web: {url: 'http://x', timeout: 61s}}\n")))
        .containsExactly(".spec.metrics[0].provider.web.timeout: timeout is from 1s to 60s");
  }

  @Test
  void countsAndLimitsHaveAMaximum() throws IOException {
    assertThat(templates.validate(prometheusWith("count: 10000\nfailureLimit: 10000\ninconclusiveLimit: 10000\n"
        + "consecutiveErrorLimit: 10000\nminSamples: 10000\n"))).isEmpty();
    for (String field : new String[] {"count", "failureLimit", "inconclusiveLimit", "consecutiveErrorLimit", "minSamples"}) {
      assertThat(templates.validate(prometheusWith(field + ": 2147483648\n"))).as(field).singleElement().asString().contains(field);
      assertThat(templates.validate(prometheusWith(field + ": 10001\n"))).as(field).isNotEmpty();
    }
    assertThat(templates.validate(prometheusWith("failureLimit: -1\n"))).isNotEmpty();
    assertThat(templates.validate(prometheusWith("count: 0\n"))).isNotEmpty();
  }

  @Test
  void textsHaveAMaximumLength() throws IOException {
    assertThat(templates.validate(metric("provider: {prometheus: {query: '" + "x".repeat(8193) + "'}}\n"))).isNotEmpty();
    assertThat(templates.validate(metric("provider: {prometheus: {query: ''}}\n"))).isNotEmpty();
    assertThat(templates.validate(metric("provider: {web: {url: 'http://x/" + "a".repeat(2048) + "'}}\n"))).isNotEmpty();
    assertThat(templates.validate(metric("provider: {web: {url: 'http://x', jsonPointer: '/" + "a".repeat(256) + "'}}\n")))
        .isNotEmpty();
  }

  @Test
  void argNamesAreThoseAPlaceholderCanName() throws IOException {
    String withArg = """
        apiVersion: vigie.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          args: [{name: %s}]
          metrics:
          - {name: m, thresholdRange: {max: 1}, provider: {prometheus: {query: up}}}
        """;
    assertThat(templates.validate(withArg.formatted("service_name.v2"))).isEmpty();
    assertThat(templates.validate(withArg.formatted("'a b'"))).isNotEmpty();
    assertThat(templates.validate(withArg.formatted("''"))).isNotEmpty();
  }
}
