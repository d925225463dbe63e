package io.vigie.convert;

import java.util.ArrayList;
import java.util.List;

/** What a converted object could not carry over, or carried with a change: said once per field. */
final class Notes {
  private final List<String> lines = new ArrayList<>();

  void dropped(String field, String why) {
    add("not carried over: " + field + ": " + why);
  }

  void changed(String field, String what) {
    add("changed: " + field + ": " + what);
  }

  /** What a person must do before applying the output ("to do: ..." in it). */
  void forAPerson(String what) {
    add("to do: " + what);
  }

  private void add(String line) {
    if (!lines.contains(line)) {
      lines.add(line);
    }
  }

  List<String> lines() {
    return List.copyOf(lines);
  }
}
