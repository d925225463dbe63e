package io.vigie.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Multi-document YAML in and out; what is written carries its notes as comments above it. */
public final class Manifest {
  static final String VIGIE = "vigie.io/v1alpha1";
  private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .stringQuotingChecker(new QuoteNumberLikeStrings())
      .build()).build();

  /**
   * Jackson leaves "1.0e300" or ".inf" unquoted, which YAML 1.2 readers (the API server's among them)
   * take for numbers: a string arg would then fail the schema.
   */
  private static final class QuoteNumberLikeStrings extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile(
        "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || NUMBER.matcher(value).matches();
    }
  }

  private Manifest() {}

  /** The objects of a YAML stream; empty documents are skipped, anything but a mapping is refused. */
  public static List<ObjectNode> read(String yaml, String source) throws IOException {
    List<ObjectNode> documents = new ArrayList<>();
    try {
      readInto(documents, yaml, source);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var at = e.getLocation();
      throw new IOException(source + (at == null ? "" : " line " + at.getLineNr()) + ": " + e.getOriginalMessage(), e);
    }
    return documents;
  }

  private static void readInto(List<ObjectNode> documents, String yaml, String source) throws IOException {
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      int n = 0;
      while (it.hasNextValue()) {
        JsonNode document = it.nextValue();
        n++;
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        if (!document.isObject() || !document.has("kind")) {
          throw new IOException(source + ": document " + n + " is not a Kubernetes object (no kind)");
        }
        documents.add((ObjectNode) document);
      }
    }
  }

  /** The objects as one YAML stream, each after its notes. */
  public static String write(List<Converted> converted) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Converted c : converted) {
      if (out.length() > 0) {
        out.append("---\n");
      }
      if (!"unchanged".equals(c.from())) {
        out.append("# vigie convert: ").append(c.from()).append('\n');
      }
      for (String note : c.notes()) {
        out.append("# ").append(note.replace("\n", " ")).append('\n');
      }
      if (!c.object().isEmpty()) {
        out.append(YAML.writeValueAsString(c.object()));
      }
    }
    return out.toString();
  }

  /** A Vigie object's head: apiVersion, kind, metadata. */
  static ObjectNode object(String kind, ObjectNode metadata) {
    ObjectNode object = ArgoAnalysis.NODES.objectNode().put("apiVersion", VIGIE).put("kind", kind);
    object.set("metadata", metadata);
    return object;
  }
}
