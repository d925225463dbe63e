package io.vigie.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard, dry-run and blue-green counters: each hold, verdict and switch once, however many reconciles see it. */
class RolloutMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RolloutMetrics metrics = new RolloutMetrics(registry);

  private static RolloutStatus status(String heldReason, String dryRunVerdict) {
    RolloutStatus s = new RolloutStatus();
    s.setPhase(RolloutPhase.Progressing);
    List<Condition> conditions = new ArrayList<>();
    Condition held = new Condition();
    held.setType("Held");
    held.setStatus(heldReason == null ? "False" : "True");
    held.setReason(heldReason == null ? "NotHeld" : heldReason);
    conditions.add(held);
    s.setConditions(conditions);
    AnalysisRunStatus run = new AnalysisRunStatus();
    run.setName("background");
    run.setStartedAt("2026-01-01T00:00:00Z");
    MetricStatus metric = new MetricStatus();
    metric.setName("strict-errors");
    metric.setDryRunVerdict(dryRunVerdict);
    run.setMetrics(List.of(metric));
    s.setAnalysis(List.of(run));
    return s;
  }

  private void reconciled(RolloutStatus before, RolloutStatus after) {
    Rollout rollout = new Rollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());
    rollout.setStatus(before);
    metrics.reconciled(rollout, after);
  }

  private double count(String name, String tag, String value) {
    return registry.get(name).tag(tag, value).counter().count();
  }

  @Test
  void aHoldAndADryRunVerdictAreCountedOnceWhenTheyStart() {
    assertThat(count("vigie_guard_holds", "reason", "TrafficSurge")).as("exists at 0 from the start").isZero();
    reconciled(status(null, null), status("TrafficSurge", "would have rolled back at step 2/4: 0.01 > max 0.001"));
    reconciled(status("TrafficSurge", "would have rolled back at step 2/4: 0.01 > max 0.001"),
        status("TrafficSurge", "would have rolled back at step 2/4: 0.01 > max 0.001"));
    reconciled(status("TrafficSurge", "x"), status("StableUnhealthy", "x"));

    assertThat(count("vigie_guard_holds", "reason", "TrafficSurge")).isEqualTo(1);
    assertThat(count("vigie_guard_holds", "reason", "StableUnhealthy")).isEqualTo(1);
    assertThat(count("vigie_dry_run_verdicts", "verdict", "RolledBack")).isEqualTo(1);
  }

  private static RolloutStatus blueGreen(RolloutPhase phase, String switchedAt) {
    RolloutStatus s = new RolloutStatus();
    s.setPhase(phase);
    s.setCanaryRevision("v2");
    s.setBlueGreen(new io.vigie.api.v1alpha1.BlueGreenStatus());
    s.getBlueGreen().setSwitchedAt(switchedAt);
    return s;
  }

  @Test
  void aBlueGreenSwitchAndItsSwitchBackAreCountedOnceEach() {
    assertThat(count("vigie_blue_green_switches", "to", "blue")).as("exists at 0 from the start").isZero();
    String at = "2026-01-01T00:01:00Z";
    reconciled(blueGreen(RolloutPhase.Paused, null), blueGreen(RolloutPhase.Progressing, at));
    reconciled(blueGreen(RolloutPhase.Progressing, at), blueGreen(RolloutPhase.Progressing, at));
    reconciled(blueGreen(RolloutPhase.Progressing, at), blueGreen(RolloutPhase.RolledBack, at));
    reconciled(blueGreen(RolloutPhase.RolledBack, at), blueGreen(RolloutPhase.RolledBack, at));

    assertThat(count("vigie_blue_green_switches", "to", "green")).isEqualTo(1);
    assertThat(count("vigie_blue_green_switches", "to", "blue")).isEqualTo(1);
  }
}
