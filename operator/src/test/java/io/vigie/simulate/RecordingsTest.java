package io.vigie.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recordings as Prometheus exports them and as people write them, gaps included. */
class RecordingsTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void aQueryRangeAnswerIsReadAsPrometheusGivesItEachSeriesByItsLabelOrTheNameGiven() throws IOException {
    Path two = file("two.json", """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"series":"error-rate","service":"web-canary"},"values":[[1763632800,"0.01"],[1763632815.5,"NaN"]]},
          {"metric":{"series":"guards.surge"},"values":[[1763632800,"100"],[1763632815,"+Inf"]]}]}}""");
    Path one = file("one.json", """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{},"values":[[1763632800,"42"]]}]}}""");
    Recordings recordings = new Recordings();
    recordings.read(two.toString());
    recordings.read("latency=" + one);

    assertThat(recordings.names()).containsExactly("error-rate", "guards.surge", "latency");
    RecordedSeries errors = recordings.series("error-rate").orElseThrow();
    assertThat(errors.valueAt(Instant.ofEpochSecond(1763632810))).contains(0.01);
    assertThat(errors.valueAt(Instant.ofEpochMilli(1763632815500L))).hasValueSatisfying(v -> assertThat(v).isNaN());
    assertThat(recordings.series("guards.surge").orElseThrow().valueAt(Instant.ofEpochSecond(1763632820))).contains(
        Double.POSITIVE_INFINITY);
    assertThat(recordings.series("latency").orElseThrow().valueAt(Instant.ofEpochSecond(1763632800))).contains(42.0);
  }

  @Test
  void aSampleStandsForTwiceTheSeriesStepThenTheSeriesHasAGap() throws IOException {
    Recordings recordings = new Recordings();
    recordings.read(file("gap.csv", """
        time,series,value
        2026-11-20T10:00:00Z,error-rate,0.01
        2026-11-20T10:00:15Z,error-rate,0.02
        2026-11-20T10:00:30Z,error-rate,
        2026-11-20T10:00:45Z,error-rate,
        2026-11-20T10:01:00Z,error-rate,0.03
        1795168875,error-rate,0.04
        """).toString());
    RecordedSeries series = recordings.series("error-rate").orElseThrow();
    assertThat(series.valueAt(Instant.parse("2026-11-20T10:00:44Z"))).as("15 s step: 29 s after a sample").contains(0.02);
    assertThat(series.valueAt(Instant.parse("2026-11-20T10:00:46Z"))).as("the gap").isEmpty();
    assertThat(series.valueAt(Instant.parse("2026-11-20T09:59:59Z"))).as("before the first sample").isEmpty();
    assertThat(series.between(Instant.parse("2026-11-20T10:00:00Z"), Instant.parse("2026-11-20T10:01:15Z")))
        .containsExactly(0.02, 0.03, 0.04);
  }

  @Test
  void badFilesAreRefusedWithWhereAndWhy() throws IOException {
    Recordings recordings = new Recordings();
    Path badTime = file("bad.csv", "time,series,value\nyesterday,x,1\n");
    assertThatThrownBy(() -> recordings.read(badTime.toString())).hasMessage(badTime + " line 2: time 'yesterday' is neither "
        + "RFC 3339 (2026-11-20T10:00:00Z) nor unix seconds");
    Path unnamed = file("unnamed.json", """
        {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"web"},"values":[[1,"1"]]}]}}""");
    assertThatThrownBy(() -> recordings.read(unnamed.toString())).hasMessageContaining("a series without a series label")
        .hasMessageEndingWith("add it in the query (label_replace) or give the file as NAME=FILE");
    Path vector = file("vector.json", """
        {"status":"success","data":{"resultType":"vector","result":[]}}""");
    assertThatThrownBy(() -> recordings.read(vector.toString())).hasMessageEndingWith("not a Prometheus query_range answer "
        + "(status success, resultType matrix)");
  }
}
