package io.vigie.core;

/**
 * A manual control the operator accepted from an annotation. The id makes it apply once even when
 * the operator restarts between applying it and clearing it.
 */
public record PendingControl(Control control, String value, String id) {

  public enum Control {
    PROMOTE("vigie.io/promote"),
    ABORT("vigie.io/abort"),
    RETRY("vigie.io/retry"),
    PAUSE("vigie.io/pause"),
    RESUME("vigie.io/resume");

    private final String annotation;

    Control(String annotation) {
      this.annotation = annotation;
    }

    public String annotation() {
      return annotation;
    }

    /**
     * The JSON merge patch that asks for this control, as a person's `kubectl annotate` would: what
     * the CLI and the dashboard write.
     */
    public String requestPatch(String value) {
      com.fasterxml.jackson.databind.node.ObjectNode patch = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
          .objectNode();
      patch.putObject("metadata").putObject("annotations").put(annotation, value);
      return patch.toString();
    }

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static java.util.Optional<Control> fromWord(String word) {
      for (Control c : values()) {
        if (c.word().equals(word)) {
          return java.util.Optional.of(c);
        }
      }
      return java.util.Optional.empty();
    }
  }

  public boolean full() {
    return "full".equals(value);
  }
}
