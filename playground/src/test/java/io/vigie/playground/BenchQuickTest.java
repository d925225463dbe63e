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
 * `scripts/bench --quick`, as CI runs it: every figure is printed, each tied to the verdict it came
 * from (an obvious bad release RolledBack, a quiet good one Healthy; the bench fails otherwise), and
 * they make sense (Vigie lets fewer bad requests through than a rolling update). No timing is asserted.
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

    // Exit 0: every obvious bad release ended RolledBack and the quiet good one Healthy (else the bench fails).
    assertThat(code).as(text).isZero();
    assertThat(text).doesNotContain("FAILED");
    for (String release : new String[] {"v2-errors", "v2-slow"}) {
      assertThat(figures.get("run{release=" + release + ",seed=1}")).as(release).isEqualTo("RolledBack");
      assertThat(figures.get("caught{release=" + release + "}")).isEqualTo("1 of 1");
      double rolling = Double.parseDouble(figures.get("bad_requests_rolling_update{release=" + release + "}"));
      double vigie = Double.parseDouble(figures.get("bad_requests_vigie{release=" + release + "}"));
      assertThat(vigie).as("%s: Vigie lets some bad requests through (the canary's), fewer than a rolling update", release)
          .isPositive().isLessThan(rolling);
      assertThat(Double.parseDouble(figures.get("blast_radius_ratio{release=" + release + "}"))).isBetween(0.0, 1.0);
      assertThat(Double.parseDouble(figures.get("time_to_rollback_s{release=" + release + "}"))).isPositive();
    }
    // Blue-green on the obvious ones: switched back, its blast radius beside the canary's, the switch-back time.
    for (String release : new String[] {"v2-errors", "v2-slow"}) {
      assertThat(figures.get("run{release=" + release + ",strategy=blue-green,seed=1}")).as(release).isEqualTo("RolledBack");
      assertThat(figures.get("caught{release=" + release + ",strategy=blue-green}")).isEqualTo("1 of 1");
      assertThat(Double.parseDouble(figures.get("blast_radius_ratio{release=" + release + ",strategy=blue-green}")))
          .isBetween(0.0, 1.0);
      assertThat(Double.parseDouble(figures.get("time_to_switch_back_s{release=" + release + "}"))).isNotNegative();
    }
    // The subtle ones are measured, whatever the verdict: the figures the statistical judge must beat.
    for (String release : new String[] {"v2-errors-1pct", "v2-p99-20pct", "v2-endpoint-2pct"}) {
      assertThat(figures).containsKeys("run{release=" + release + ",seed=1}", "bad_requests_rolling_update{release=" + release + "}",
          "bad_requests_vigie{release=" + release + "}", "blast_radius_ratio{release=" + release + "}",
          "time_to_rollback_s{release=" + release + "}", "caught{release=" + release + "}");
    }
    // The sequential judge (Prometheus is installed by the test script): its own lines, the same checks on the obvious ones.
    for (String release : new String[] {"v2-errors", "v2-slow"}) {
      assertThat(figures.get("run{release=" + release + ",judge=sequential,seed=1}")).as(release).isEqualTo("RolledBack");
      assertThat(Double.parseDouble(figures.get("blast_radius_ratio{release=" + release + ",judge=sequential}")))
          .isBetween(0.0, 1.0);
      assertThat(Double.parseDouble(figures.get("time_to_rollback_s{release=" + release + ",judge=sequential}"))).isPositive();
    }
    assertThat(figures.get("run{release=v2,judge=sequential,n=1}")).isEqualTo("Healthy");
    assertThat(figures.get("false_rollbacks{judge=sequential}")).matches("[0-3] of 3 good releases");
    // Against a baseline, new pods that warm up are compared with equally new pods: not a reason to roll back.
    assertThat(figures.get("false_rollbacks{release=v2-warmup,judge=sequential}")).isEqualTo("0 of 1");
    assertThat(figures.get("run{release=v2,n=1}")).isEqualTo("Healthy");
    assertThat(Double.parseDouble(figures.get("time_to_promote_s"))).isPositive();
    assertThat(figures.get("false_rollbacks{release=v2}")).isEqualTo("0 of 1");
    assertThat(figures).containsKeys("run{release=v2-noisy,n=1}", "false_rollbacks{release=v2-noisy}",
        "held_for_a_person{release=v2-noisy}");
    assertThat(figures.get("false_rollbacks")).matches("[0-3] of 3 good releases");
    assertThat(figures).containsKeys("false_rollbacks{release=v2-warmup}");
    assertThat(figures.get("scale_completed{rollouts=20}")).isEqualTo("20 of 20 took their first step");
    assertThat(figures).containsKeys("settings", "scale_reconciles_per_s{rollouts=20}", "scale_step_latency_p50_ms{rollouts=20}",
        "scale_step_latency_p99_ms{rollouts=20}", "scale_heap_after_gc_mb{rollouts=20}", "scale_api_requests_per_step{rollouts=20}");
    double writes = Double.parseDouble(figures.get("scale_api_writes_per_step{rollouts=20}"));
    assertThat(writes).as("writes are some of the requests").isPositive()
        .isLessThanOrEqualTo(Double.parseDouble(figures.get("scale_api_requests_per_step{rollouts=20}")));
    assertThat(Double.parseDouble(figures.get("scale_reconciles_per_step{rollouts=20}"))).isGreaterThanOrEqualTo(1);
    assertThat(Double.parseDouble(figures.get("steady_requests_per_min{rollouts=20}"))).isGreaterThanOrEqualTo(0);
  }
}
