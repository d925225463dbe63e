package io.vigie.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A spec read back from the API server keeps every field: the lenient reader copies them one by one. */
class RolloutSpecRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyFieldOfAFullSpecSurvivesTheLenientReader() throws Exception {
    String full = """
        {"targetRef": {"kind": "Deployment", "name": "web"},
         "service": {"name": "web", "port": 80},
         "trafficRouting": {"gatewayAPI": {"httpRoutes": ["web", "web-internal"]}},
         "strategy": {"canary": {"steps": [{"setWeight": 10}, {"setHeaderRoute": {"header": "x-canary", "value": "true"}},
           {"pause": {"duration": "1m"}}, {"analysis": {"templates": [{"name": "t"}]}}, {"gate": "smoke"}]}},
         "analysis": {"templates": [{"name": "t"}], "args": [{"name": "a", "value": "b"}]},
         "guards": {"surge": {"provider": {"prometheus": {"query": "sum(rate(x[1m]))"}}, "factor": 3.0},
           "stable": {"templates": [{"name": "stable-health"}]}},
         "gates": [{"name": "smoke", "type": "step", "url": "http://tests.ci/run", "timeout": "30s", "interval": "1m",
           "onFailure": "Abort", "metadata": {"suite": "checkout"},
           "headers": [{"name": "Authorization", "valueFrom": {"secretKeyRef": {"name": "t", "key": "token"}}}],
           "tls": {"ca": {"name": "ca", "key": "ca.crt"}}}],
         "notifications": [{"channel": "chat", "on": ["Started", "RolledBack"]}],
         "progressDeadlineSeconds": 120}""";
    JsonNode expected = JSON.readTree(full);

    RolloutSpec spec = JSON.readValue(full, RolloutSpec.class);

    assertThat(spec.getSchemaProblem()).isNull();
    JsonNode actual = JSON.valueToTree(spec);
    assertThat(actual).isEqualTo(expected);
    // A field added to the spec must be added above too, or the reader could drop it unseen.
    java.util.Set<String> properties = new java.util.TreeSet<>();
    JSON.getSerializationConfig().introspect(JSON.constructType(RolloutSpec.class)).findProperties()
        .forEach(p -> properties.add(p.getName()));
    java.util.Set<String> written = new java.util.TreeSet<>();
    expected.fieldNames().forEachRemaining(written::add);
    assertThat(written).isEqualTo(properties);
  }

  @Test
  void aSpecThatDoesNotFitKeepsWhatDeletionNeedsAndSaysWhere() throws Exception {
    RolloutSpec spec = JSON.readValue("""
        {"targetRef": {"kind": "Deployment", "name": "web"}, "service": {"name": "web"},
         "trafficRouting": {"nginx": {"stableIngress": "web"}}, "progressDeadlineSeconds": "soon"}""", RolloutSpec.class);

    assertThat(spec.getSchemaProblem()).startsWith("spec.progressDeadlineSeconds");
    assertThat(spec.getTargetRef().getName()).isEqualTo("web");
    assertThat(spec.getTrafficRouting().getNginx().getStableIngress()).isEqualTo("web");
  }
}
