package io.vigie.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * `scripts/bench --quick`, as CI runs it: every figure is printed and makes sense (Vigie lets fewer
 * bad requests through than a rolling update; a good release is promoted). No timing is asserted.
 */
class BenchQuickTest {

  @Test
  void theQuickBenchPrintsEveryFigureAndTheyMakeSense() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream before = System.out;
    int code;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      code = new CommandLine(new Bench()).execute("--quick", "--scale", "20");
    } finally {
      System.setOut(before);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    Map<String, String> figures = text.lines().filter(l -> l.contains(": ")).collect(Collectors.toMap(
        l -> l.substring(0, l.indexOf(": ")), l -> l.substring(l.indexOf(": ") + 2), (a, b) -> b));

    assertThat(code).as(text).isZero();
    for (String release : new String[] {"v2-errors", "v2-slow"}) {
      double rolling = Double.parseDouble(figures.get("bad_requests_rolling_update{release=" + release + "}"));
      double vigie = Double.parseDouble(figures.get("bad_requests_vigie{release=" + release + "}"));
      assertThat(vigie).as("%s: Vigie lets some bad requests through (the canary's), fewer than a rolling update", release)
          .isPositive().isLessThan(rolling);
      assertThat(Double.parseDouble(figures.get("blast_radius_ratio{release=" + release + "}"))).isBetween(0.0, 1.0);
      assertThat(Double.parseDouble(figures.get("time_to_rollback_s{release=" + release + "}"))).isPositive();
    }
    assertThat(Double.parseDouble(figures.get("time_to_promote_s"))).isPositive();
    assertThat(figures.get("false_rollbacks")).isEqualTo("0 of 1 good releases");
    assertThat(figures.get("scale_completed{rollouts=20}")).isEqualTo("20 of 20 took their first step");
    assertThat(figures).containsKeys("settings", "scale_reconciles_per_s{rollouts=20}", "scale_step_latency_p50_ms{rollouts=20}",
        "scale_step_latency_p99_ms{rollouts=20}", "scale_heap_after_gc_mb{rollouts=20}", "scale_api_requests_per_step{rollouts=20}");
  }
}
