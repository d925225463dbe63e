package io.vigie.dashboard;

/**
 * Text in HTML. Every value that comes from the cluster (names, messages, annotations, Events) goes
 * through {@link #text}: the pages build markup only from their own constants.
 */
final class Html {
  private Html() {}

  static String text(Object value) {
    String s = value == null ? "" : value.toString();
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A path segment of a link (a namespace or a Rollout name, which the API server keeps to DNS names). */
  static String segment(String value) {
    return java.net.URLEncoder.encode(value == null ? "" : value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
