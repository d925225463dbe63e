package io.vigie.analysis;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {{args.NAME}} placeholders of a metric's provider fields. Their values go into the request as
 * text, as they are (a value is never expanded again), and a value placed in a PromQL query must not
 * change the query's structure: inside a quoted string it holds no quote, backslash or line break;
 * outside quotes it is a name, a number or a duration (e.g. 5m). Conditions do not take text: see
 * {@link MeasurementJudge}, which binds args as typed CEL variables.
 */
final class ArgPlaceholders {
  static final Pattern PATTERN = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");
  private static final Pattern TOKEN = Pattern.compile("-?[A-Za-z0-9_:.]+");

  private ArgPlaceholders() {}

  /**
   * The text with each placeholder replaced by its value. A name neither declared nor built in is a
   * problem; a declared one without a value stays as it is (its absence is reported where it is declared).
   */
  static String fill(String text, Map<String, String> values, Set<String> declared, Set<String> secret, String where,
      List<String> problems) {
    Matcher m = PATTERN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      if (value == null) {
        if (!declared.contains(name)) {
          problems.add(where + ": {{args." + name + "}} names no declared or built-in arg");
        }
        value = m.group();
      } else if (PATTERN.matcher(value).find() && !secret.contains(name)) {
        problems.add(where + ": arg " + name + " is '" + shorten(value) + "', which holds a placeholder: an arg's value is "
            + "used as it is, never expanded again; give the value itself");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  /** Checks that each value placed in this PromQL query (as the template writes it) keeps the query's structure. */
  static void checkPromql(String query, Map<String, String> values, String where, List<String> problems) {
    char quote = 0;
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (quote == 0 && c == '#') {
        int end = query.indexOf('\n', i);
        i = end < 0 ? query.length() : end;
        continue;
      }
      Matcher m = PATTERN.matcher(query).region(i, query.length());
      if (m.lookingAt()) {
        String name = m.group(1);
        String value = values.get(name);
        if (value != null) {
          checkPromqlValue(name, value, quote, where, problems);
        }
        i = m.end() - 1;
        continue;
      }
      if (quote != 0 && c == '\\' && quote != '`') {
        i++;
      } else if (quote == 0 && (c == '"' || c == '\'' || c == '`')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      }
    }
  }

  private static void checkPromqlValue(String name, String value, char quote, String where, List<String> problems) {
    if (quote == 0) {
      if (!TOKEN.matcher(value).matches()) {
        problems.add(where + ": arg " + name + " is '" + shorten(value) + "', placed outside quotes in the query, where "
            + "only a name, a number or a duration (e.g. 5m) may go: a value must not change the query");
      }
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\'' || c == '`' || c == '\\' || Character.isISOControl(c)) {
        problems.add(where + ": arg " + name + " is '" + shorten(value) + "', placed in a quoted string of the query, where "
            + "it may hold no quote, backslash or line break: a value must not change the query");
        return;
      }
    }
  }

  private static String shorten(String value) {
    return value.length() > 60 ? value.substring(0, 60) + "..." : value;
  }

  /** Every text of a provider's tree with its args filled in, in objects and in lists (a Job's command and args). */
  static void fillTree(com.fasterxml.jackson.databind.JsonNode node, Map<String, String> values, Set<String> declared,
      Set<String> secret, String where, List<String> problems) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      List<String> names = new java.util.ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        var child = object.get(name);
        if (child.isTextual()) {
          object.set(name, com.fasterxml.jackson.databind.node.TextNode.valueOf(fill(child.asText(), values, declared, secret, where,
              problems)));
        } else {
          fillTree(child, values, declared, secret, where, problems);
        }
      }
    } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        var child = array.get(i);
        if (child.isTextual()) {
          array.set(i, com.fasterxml.jackson.databind.node.TextNode.valueOf(fill(child.asText(), values, declared, secret, where,
              problems)));
        } else {
          fillTree(child, values, declared, secret, where, problems);
        }
      }
    }
  }
}
