package io.vigie.api.schema;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.vigie.api.v1alpha1.Rollout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts a generated CRD's printer columns in the order the resource class declares them: the CRD
 * generator sorts them by JSON path, and kubectl shows them in the CRD's order (NAME, PHASE, STEP,
 * WEIGHT, STABLE, CANARY, AGE reads; AGE, CANARY, WEIGHT... does not). Run by the build
 * (process-test-classes, before the jar and the tests) on target/classes/META-INF/fabric8.
 */
public final class PrinterColumnOrder {
  private static final Map<String, Class<?>> KINDS = Map.of("rollouts.vigie.io-v1.yml", Rollout.class);
  private static final Pattern ITEM = Pattern.compile("(?m)^( *)- jsonPath:");
  private static final Pattern NAME = Pattern.compile("(?m)^ *name: \"?([^\"\\n]+)\"?$");

  private PrinterColumnOrder() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    for (Map.Entry<String, Class<?>> kind : KINDS.entrySet()) {
      Path file = dir.resolve(kind.getKey());
      List<String> order = Arrays.stream(kind.getValue().getAnnotationsByType(AdditionalPrinterColumn.class))
          .map(AdditionalPrinterColumn::name).toList();
      Files.writeString(file, reorder(Files.readString(file, StandardCharsets.UTF_8), order), StandardCharsets.UTF_8);
    }
  }

  /** The YAML with each additionalPrinterColumns list sorted by {@code order}; the rest byte for byte. */
  static String reorder(String yaml, List<String> order) {
    String key = "additionalPrinterColumns:\n";
    StringBuilder out = new StringBuilder();
    int from = 0;
    int at;
    while ((at = yaml.indexOf(key, from)) >= 0) {
      int start = at + key.length();
      Matcher first = ITEM.matcher(yaml).region(start, yaml.length());
      if (!first.find() || first.start() != start) {
        break;
      }
      String indent = first.group(1);
      // The list ends at the first line indented no deeper than its dashes that is not another item.
      int end = start;
      List<String> items = new ArrayList<>();
      int itemStart = start;
      int line = yaml.indexOf('\n', start) + 1;
      while (line > 0 && line < yaml.length()) {
        String rest = yaml.substring(line, Math.min(yaml.length(), line + indent.length() + 2));
        boolean nextItem = rest.equals(indent + "- ");
        boolean inside = rest.startsWith(indent + " ") && !nextItem;
        if (nextItem) {
          items.add(yaml.substring(itemStart, line));
          itemStart = line;
        } else if (!inside) {
          break;
        }
        line = yaml.indexOf('\n', line) + 1;
      }
      end = line <= 0 ? yaml.length() : line;
      items.add(yaml.substring(itemStart, end));
      items.sort(Comparator.comparingInt(item -> position(item, order)));
      out.append(yaml, from, start).append(String.join("", items));
      from = end;
    }
    return out.append(yaml.substring(from)).toString();
  }

  private static int position(String item, List<String> order) {
    Matcher name = NAME.matcher(item);
    int index = name.find() ? order.indexOf(name.group(1)) : -1;
    return index < 0 ? Integer.MAX_VALUE : index;
  }
}
