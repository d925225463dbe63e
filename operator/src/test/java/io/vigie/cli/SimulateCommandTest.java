package io.vigie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vigie simulate` on hand-made series: its timeline (golden, quoted in docs/cli.md), exit codes and bad input. */
class SimulateCommandTest {
  private static final Path GOLDEN = Path.of("src/test/resources/cli");
  private static final Path DOCS = Path.of(System.getProperty("vigie.docs", "../docs"));
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final String ROLLOUT = """
      apiVersion: vigie.io/v1alpha1
      kind: Rollout
      metadata: {name: web, namespace: shop}
      spec:
        targetRef: {kind: Deployment, name: web}
        service: {name: web, port: 80}
        guards:
          surge:
            provider: {prometheus: {query: 'sum(rate(http_requests_total{service="web"}[1m]))'}}
            factor: 2
            window: 5m
            interval: 30s
        analysis:
          metrics:
            - name: error-rate
              interval: 30s
              inconclusiveLimit: 10
              unit: ratio
              thresholdRange: {max: 0.05}
              provider: {prometheus: {query: 'sum(rate(http_requests_total{service="web-canary",code=~"5.."}[1m]))'}}
        strategy:
          canary:
            steps:
              - setWeight: 20
              - pause: {duration: 1m}
              - setWeight: 50
              - pause: {duration: 1m}
      """;

  @TempDir
  Path dir;
  private final CommandLineRun cli = new CommandLineRun();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private int run(String... args) {
    return cli.execute(args);
  }

  /** 20 minutes every 15 s from T0; the release at +5 min. {@code traffic} and {@code errors} by second from T0. */
  private Path recording(IntToDoubleFunction traffic, IntToDoubleFunction errors) throws IOException {
    StringBuilder csv = new StringBuilder("time,series,value\n");
    for (int s = 0; s <= 1200; s += 15) {
      String at = T0.plusSeconds(s).toString();
      csv.append(at).append(",guards.surge,").append(traffic.applyAsDouble(s)).append('\n');
      double e = errors.applyAsDouble(s);
      csv.append(at).append(",error-rate,").append(Double.isNaN(e) ? "" : String.valueOf(e)).append('\n');
    }
    Path file = dir.resolve("recorded.csv");
    Files.writeString(file, csv);
    return file;
  }

  private String simulate(Path recording, int exit) throws IOException {
    Path rollout = dir.resolve("rollout.yaml");
    Files.writeString(rollout, ROLLOUT);
    assertThat(run("simulate", "-f", rollout.toString(), "--metrics", recording.toString(), "--release-at",
        T0.plusSeconds(300).toString())).as(err.toString()).isEqualTo(exit);
    return out.toString();
  }

  private static void assertGolden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("vigie.golden.update")) {
      Files.writeString(file, actual);
    }
    assertThat(actual).as("golden %s (regenerate with -Dvigie.golden.update=true)", file).isEqualTo(Files.readString(file));
    assertThat(Files.readString(DOCS.resolve("cli.md"))).as("docs/cli.md quotes %s", file).contains(actual);
  }

  @Test
  void aSurgeHoldsAGoodReleaseThenItIsPromoted() throws IOException {
    // Traffic triples from +1 min to +4 min after the release.
    Path recorded = recording(s -> s >= 360 && s < 540 ? 300 : 100, s -> 0.01);
    String timeline = simulate(recorded, 0);
    assertThat(timeline).contains("held (TrafficSurge)").contains("VERDICT  promoted");
    assertGolden("simulate-surge.txt", timeline);
  }

  @Test
  void aBadReleaseDuringASurgeAndAMetricsGapIsRolledBack() throws IOException {
    // Traffic doubles and more from +2 min; no error-rate samples from +3 min to +5 min; 20% errors from +4 min.
    Path recorded = recording(s -> s >= 420 ? 250 : 100, s -> s >= 480 && s < 600 ? Double.NaN : s >= 540 ? 0.2 : 0.01);
    String timeline = simulate(recorded, 1);
    assertThat(timeline).contains("held (TrafficSurge)")
        .contains("MEASURE  background/error-rate: Inconclusive - the recording of error-rate has no sample at "
            + "2026-11-20T10:08:33Z (a gap in the data)")
        .contains("VERDICT  rolled back (AnalysisFailed): analysis error-rate failed: 20% > max 5%");
  }

  @Test
  void aRecordingWithoutTheSeriesAMetricReadsIsRefusedNamingIt() throws IOException {
    Path csv = dir.resolve("partial.csv");
    Files.writeString(csv, "time,series,value\n2026-11-20T10:00:00Z,error-rate,0.01\n");
    Path rollout = dir.resolve("rollout.yaml");
    Files.writeString(rollout, ROLLOUT);
    assertThat(run("simulate", "-f", rollout.toString(), "--metrics", csv.toString())).isEqualTo(3);
    assertThat(err.toString()).startsWith("vigie simulate: the recordings lack the series guards.surge (they hold error-rate)");

    Files.writeString(csv, "when,what\n");
    assertThat(run("simulate", "-f", rollout.toString(), "--metrics", csv.toString())).isEqualTo(3);
    assertThat(err.toString()).contains(csv + ": a CSV of recordings starts with the header time,series,value");
  }
}
