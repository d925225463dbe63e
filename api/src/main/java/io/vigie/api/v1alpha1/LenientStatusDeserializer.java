package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;

/**
 * Reads a Rollout's status; one that cannot be read (written by hand through the status
 * subresource, by another tool, or by a newer Vigie) becomes an empty status that says why, so
 * that the operator rebuilds it from the cluster instead of stopping the watch of every Rollout.
 */
public final class LenientStatusDeserializer extends JsonDeserializer<RolloutStatus> {
  // Fields of a newer Vigie's status are no reason to lose the rest of it.
  private static final ObjectMapper READER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /** The status as Jackson reads it by default. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  static final class Plain extends RolloutStatus {}

  @Override
  public RolloutStatus deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNode tree = parser.readValueAsTree();
    try {
      return READER.treeToValue(tree, Plain.class);
    } catch (IOException | IllegalArgumentException e) {
      RolloutStatus lost = new RolloutStatus();
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      lost.setReadProblem(message.length() > 300 ? message.substring(0, 300) + "..." : message);
      return lost;
    }
  }
}
