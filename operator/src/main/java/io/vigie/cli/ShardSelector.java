package io.vigie.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The syntax of --shard-selector, a Kubernetes label selector (`vigie.io/shard=a`,
 * `vigie.io/shard notin (a,b)`, `!vigie.io/shard`), checked before the operator starts: a
 * selector the API server refuses would leave the operator running with an informer that never
 * lists, driving nothing.
 */
final class ShardSelector {
  private static final String NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
  private static final String KEY = "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?" + NAME;
  private static final String VALUE = "(" + NAME + ")?";
  private static final Pattern REQUIREMENT = Pattern.compile(
      "!?" + KEY + "|" + KEY + "\\s*(=|==|!=)\\s*" + VALUE + "|" + KEY + "\\s+(in|notin)\\s+\\(\\s*" + VALUE + "(\\s*,\\s*" + VALUE + ")*\\s*\\)");

  private ShardSelector() {}

  /** Why the selector cannot work, or empty when it can. */
  static Optional<String> problem(String selector) {
    if (selector.isBlank()) {
      return Optional.of("--shard-selector is empty: give a label selector, e.g. vigie.io/shard=a");
    }
    for (String requirement : requirements(selector)) {
      if (!REQUIREMENT.matcher(requirement.trim()).matches()) {
        return Optional.of("--shard-selector '" + selector + "': '" + requirement.trim() + "' is not a label selector "
            + "requirement (key=value, key!=value, key in (a,b), key notin (a,b), key or !key)");
      }
    }
    return Optional.empty();
  }

  /** The selector cut at the commas that are not inside a value list. */
  private static List<String> requirements(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selector.substring(start));
    return parts;
  }
}
