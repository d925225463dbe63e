package io.vigie.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recorded metric series, by name (docs/cli.md, "vigie simulate"), read from CSV files with the
 * header {@code time,series,value} or from Prometheus {@code query_range} answers as Prometheus gives
 * them (a matrix; each series named by its {@code series} label, or by the name given with the file).
 */
public final class Recordings {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, List<RecordedSeries.Point>> points = new LinkedHashMap<>();
  private final Map<String, RecordedSeries> series = new java.util.HashMap<>();

  /** A file of recordings: {@code FILE}, or {@code NAME=FILE} for a query_range answer of one series. */
  public void read(String argument) throws IOException {
    int eq = argument.indexOf('=');
    String name = eq > 0 && !Files.exists(Path.of(argument)) ? argument.substring(0, eq) : null;
    Path file = Path.of(name == null ? argument : argument.substring(eq + 1));
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + " is not a file");
    }
    String text = Files.readString(file);
    if (text.stripLeading().startsWith("{")) {
      readQueryRange(file, text, Optional.ofNullable(name));
    } else {
      if (name != null) {
        throw new IllegalArgumentException(argument + ": NAME=FILE is for a Prometheus query_range answer; a CSV names its "
            + "series in its series column");
      }
      readCsv(file, text);
    }
  }

  /** The same series under another name (the surge guard's rate given with --traffic). */
  public void read(String argument, String as) throws IOException {
    Recordings one = new Recordings();
    one.read(argument);
    if (one.points.size() != 1) {
      throw new IllegalArgumentException(argument + " holds " + one.points.size() + " series: give one, the Service's request rate");
    }
    one.points.values().iterator().next().forEach(p -> add(as, p));
  }

  private void readCsv(Path file, String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    if (lines.isEmpty() || !lines.get(0).replace(" ", "").equalsIgnoreCase("time,series,value")) {
      throw new IllegalArgumentException(file + ": a CSV of recordings starts with the header time,series,value");
    }
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",", -1);
      String where = file + " line " + (i + 1);
      if (cells.length != 3) {
        throw new IllegalArgumentException(where + ": 3 cells (time,series,value), not " + cells.length);
      }
      if (cells[2].isBlank()) {
        continue;  // an empty value is a sample that was not taken: a gap
      }
      add(cells[1].strip(), new RecordedSeries.Point(time(cells[0].strip(), where), number(cells[2].strip(), where)));
    }
  }

  private void readQueryRange(Path file, String text, Optional<String> name) throws IOException {
    JsonNode root = JSON.readTree(text);
    JsonNode data = root.path("data");
    if (!"success".equals(root.path("status").asText()) || !"matrix".equals(data.path("resultType").asText())) {
      throw new IllegalArgumentException(file + ": not a Prometheus query_range answer (status success, resultType matrix)");
    }
    JsonNode result = data.path("result");
    if (name.isPresent() && result.size() != 1) {
      throw new IllegalArgumentException(file + ": " + result.size() + " series for the one name " + name.get()
          + ": aggregate the query to one series, or label each with series=\"NAME\" and give the file alone");
    }
    for (JsonNode series : result) {
      String seriesName = name.orElseGet(() -> series.path("metric").path("series").asText(""));
      if (seriesName.isEmpty()) {
        throw new IllegalArgumentException(file + ": a series without a series label " + series.path("metric")
            + ": add it in the query (label_replace) or give the file as NAME=FILE");
      }
      for (JsonNode point : series.path("values")) {
        String where = file + " series " + seriesName;
        Instant at = Instant.ofEpochMilli(new BigDecimal(point.get(0).asText()).movePointRight(3).longValue());
        add(seriesName, new RecordedSeries.Point(at, number(point.get(1).asText(), where)));
      }
    }
  }

  private void add(String name, RecordedSeries.Point point) {
    points.computeIfAbsent(name, k -> new ArrayList<>()).add(point);
    series.remove(name);
  }

  private static Instant time(String text, String where) {
    try {
      return text.matches("[0-9]+(\\.[0-9]+)?") ? Instant.ofEpochMilli(new BigDecimal(text).movePointRight(3).longValue())
          : Instant.parse(text);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(where + ": time '" + text + "' is neither RFC 3339 (2026-11-20T10:00:00Z) nor unix "
          + "seconds");
    }
  }

  private static double number(String text, String where) {
    try {
      return switch (text) {
        case "NaN" -> Double.NaN;
        case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(text);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": value '" + text + "' is not a number");
    }
  }

  public Optional<RecordedSeries> series(String name) {
    if (!points.containsKey(name)) {
      return Optional.empty();
    }
    return Optional.of(series.computeIfAbsent(name, n -> new RecordedSeries(n, points.get(n))));
  }

  public List<String> names() {
    return List.copyOf(points.keySet());
  }

  public boolean isEmpty() {
    return points.isEmpty();
  }

  /** The first and last instants recorded, over every series. */
  public Instant first() {
    return points.keySet().stream().map(n -> series(n).orElseThrow().first()).min(Instant::compareTo).orElseThrow();
  }

  public Instant last() {
    return points.keySet().stream().map(n -> series(n).orElseThrow().last()).max(Instant::compareTo).orElseThrow();
  }
}
