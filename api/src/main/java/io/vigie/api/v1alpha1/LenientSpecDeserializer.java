package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;

/**
 * Reads a Rollout spec by its schema ({@link SchemaReader}); one that does not fit (stored by an API
 * server without Vigie's CRD schema) becomes an empty spec that says what is wrong, instead of
 * failing: one bad object must not stop the watch of every Rollout.
 */
public final class LenientSpecDeserializer extends JsonDeserializer<RolloutSpec> {

  /** The spec as Jackson reads it by default. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  static final class Plain extends RolloutSpec {}

  @Override
  public RolloutSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNode tree = parser.readValueAsTree();
    SchemaReader.Reading<Plain> reading = SchemaReader.read(tree, Plain.class, "spec");
    if (reading.problem() == null) {
      Plain plain = reading.value();
      RolloutSpec spec = new RolloutSpec();
      spec.setTargetRef(plain.getTargetRef());
      spec.setService(plain.getService());
      spec.setTrafficRouting(plain.getTrafficRouting());
      spec.setStrategy(plain.getStrategy());
      spec.setAnalysis(plain.getAnalysis());
      spec.setGuards(plain.getGuards());
      spec.setGates(plain.getGates());
      spec.setNotifications(plain.getNotifications());
      spec.setProgressDeadlineSeconds(plain.getProgressDeadlineSeconds());
      return spec;
    }
    RolloutSpec broken = new RolloutSpec();
    // Keep what still reads, so that deleting the Rollout can give its Deployment back.
    if (tree.isObject()) {
      broken.setTargetRef(part(parser, tree.get("targetRef"), WorkloadRef.class));
      broken.setService(part(parser, tree.get("service"), ServiceRef.class));
      broken.setTrafficRouting(part(parser, tree.get("trafficRouting"), TrafficRouting.class));
    }
    broken.setSchemaProblem(reading.problem());
    return broken;
  }

  private static <T> T part(JsonParser parser, JsonNode node, Class<T> type) {
    if (node == null) {
      return null;
    }
    try {
      return parser.getCodec().treeToValue(node, type);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
