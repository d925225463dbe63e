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
           {"pause": {"duration": "1m"}}, {"analysis": {"templates": [{"name": "t"}]}}]}},
         "analysis": {"templates": [{"name": "t"}], "args": [{"name": "a", "value": "b"}]},
         "progressDeadlineSeconds": 120}""";
    JsonNode expected = JSON.readTree(full);

    RolloutSpec spec = JSON.readValue(full, RolloutSpec.class);

    assertThat(spec.getSchemaProblem()).isNull();
    JsonNode actual = JSON.valueToTree(spec);
    assertThat(actual).isEqualTo(expected);
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
