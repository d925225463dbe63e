package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;

/**
 * Reads an analysis template's spec by its schema ({@link SchemaReader}); one that does not fit
 * becomes an empty spec that says what is wrong, so that the Rollouts using it go Invalid naming
 * the field instead of failing at every reconcile.
 */
public final class LenientTemplateSpecDeserializer extends JsonDeserializer<AnalysisTemplateSpec> {

  /** The spec as Jackson reads it by default. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  static final class Plain extends AnalysisTemplateSpec {}

  @Override
  public AnalysisTemplateSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNode tree = parser.readValueAsTree();
    SchemaReader.Reading<Plain> reading = SchemaReader.read(tree, Plain.class, "spec");
    AnalysisTemplateSpec spec = new AnalysisTemplateSpec();
    if (reading.problem() == null) {
      spec.setArgs(reading.value().getArgs());
      spec.setMetrics(reading.value().getMetrics());
    } else {
      spec.setMetrics(new java.util.ArrayList<>());
      spec.setSchemaProblem(reading.problem());
    }
    return spec;
  }
}
