package io.vigie.playground;

import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One release on the playground, watched by the real operator: the scenario's image replaces v1,
 * the timeline is printed, and the last line says where the Rollout ended.
 */
final class Demo {
  /** How long, in real time, the operator has to adopt the Deployment before the demo gives up. */
  static final Duration ADOPTION = Duration.ofMinutes(2);
  static final String STEPS = """
      - setWeight: 20
      - pause: {duration: 1m}
      - setWeight: 50
      - pause: {duration: 1m}
      """;

  private Demo() {}

  /** Runs the scenario; returns the phase the Rollout ended in. */
  static RolloutPhase run(Scenario scenario, double speed, PrintStream out, Optional<Path> kubeconfig) throws Exception {
    return run(scenario, speed, out, kubeconfig, false, MetricsBackend.Choice.AUTO);
  }

  /**
   * With {@code gatewayApi}, the users reach the app through an HTTPRoute whose weights Vigie sets;
   * {@code metrics} says where the analysis reads the app's metrics.
   */
  static RolloutPhase run(Scenario scenario, double speed, PrintStream out, Optional<Path> kubeconfig, boolean gatewayApi,
      MetricsBackend.Choice metrics) throws Exception {
    try (Playground playground = new Playground(new Playground.Settings(speed, 4, 20, 15, 42).withMetrics(metrics))) {
      out.println("Vigie playground: scenario " + scenario.word + " (" + scenario.story + ")");
      out.println("  cluster: mock API server at " + playground.client().getConfiguration().getMasterUrl()
          + ", time sped up " + speed + "x; app: Deployment web (4 pods of v1) behind Service web, 20 requests/s");
      out.println("  data plane: " + playground.dataPlane().address() + "  (curl it; /metrics is what an instrumented app exports)");
      out.println("  metrics: " + playground.metrics().describe());
      kubeconfig.ifPresent(path -> out.println("  kubeconfig: " + playground.writeKubeconfig(path)
          + "  (e.g. ./vigie status web --watch --kubeconfig " + path + ")"));
      if (gatewayApi) {
        out.println("  routing: Gateway API HTTPRoute web (backendRefs web-stable and web-canary; Vigie sets their weights)");
        playground.routeThroughGatewayApi();
      }
      playground.deployApp("ghcr.io/example/web:v1");
      playground.startOperator();
      playground.apply(Release.objects(STEPS, "30s", gatewayApi, playground.metrics()));
      Timeline timeline = new Timeline(playground, out, playground.clock().instant());
      Optional<String> adopted = awaitAdoption(playground, timeline);
      if (adopted.isEmpty()) {
        RolloutStatus s = timeline.poll().getStatus();
        out.println("  the operator did not adopt Deployment web within " + ADOPTION.toSeconds() + "s: "
            + (s == null ? "no status" : s.getMessage()));
        out.println("RESULT phase=" + (s == null || s.getPhase() == null ? "Unknown" : s.getPhase()) + " revision=none");
        return s == null ? null : s.getPhase();
      }
      String v1 = adopted.get();
      out.println("  release: kubectl set image deployment/web web=" + scenario.image);
      playground.release(scenario.image);
      Instant released = playground.clock().instant();
      Instant deadline = released.plus(Duration.ofMinutes(30));
      boolean outage = false;
      while (playground.clock().instant().isBefore(deadline)) {
        Rollout rollout = timeline.poll();
        RolloutStatus s = rollout.getStatus();
        if (scenario == Scenario.METRICS_OUTAGE && !outage
            && Duration.between(released, playground.clock().instant()).compareTo(Duration.ofSeconds(45)) >= 0) {
          out.println("  ! the metrics backend goes down");
          playground.metrics().goDown();
          outage = true;
        }
        Optional<String> end = end(s, v1);
        if (end.isPresent()) {
          // The operator records Events after the status: wait for the one that tells this end.
          String last = lastEvent(s);
          long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (!timeline.saw(last) && System.nanoTime() < until) {
            Thread.sleep(20);
            timeline.poll();
          }
          timeline.report(s.getRollbackReport());
          out.println();
          out.println("RESULT phase=" + s.getPhase() + " revision=" + end.get());
          return s.getPhase();
        }
        Thread.sleep(50);
      }
      out.println("RESULT phase=Timeout revision=none");
      return null;
    }
  }

  /** The stable revision once the operator has adopted the Deployment; empty if it has not within {@link #ADOPTION}. */
  private static Optional<String> awaitAdoption(Playground playground, Timeline timeline) throws InterruptedException {
    long until = System.nanoTime() + ADOPTION.toNanos();
    while (System.nanoTime() < until) {
      Rollout rollout = timeline.poll();
      if (rollout != null && rollout.getStatus() != null && rollout.getStatus().getPhase() == RolloutPhase.Healthy) {
        return Optional.of(rollout.getStatus().getStableRevision());
      }
      Thread.sleep(50);
    }
    return Optional.empty();
  }

  /** The reason of the Event the operator records last for this end of a release. */
  private static String lastEvent(RolloutStatus s) {
    return switch (s.getPhase()) {
      case Healthy -> "Promoted";
      case RolledBack -> "RolloutAborted";
      case Invalid -> "Invalid";
      default -> "Paused";
    };
  }

  /** The revision the release ended on, once it has ended. */
  static Optional<String> end(RolloutStatus s, String v1) {
    if (s == null || s.getPhase() == null) {
      return Optional.empty();
    }
    return switch (s.getPhase()) {
      case Healthy -> v1.equals(s.getStableRevision()) ? Optional.empty() : Optional.of(s.getStableRevision());
      case RolledBack -> Optional.of(s.getAbort() == null ? s.getCanaryRevision() : s.getAbort().getRevision());
      case Invalid -> Optional.of(String.valueOf(s.getCanaryRevision()));
      case Paused -> s.getConditions().stream().anyMatch(c -> "Paused".equals(c.getType()) && "True".equals(c.getStatus())
          && c.getReason() != null && c.getReason().startsWith("Analysis")) ? Optional.of(s.getCanaryRevision()) : Optional.empty();
      default -> Optional.empty();
    };
  }
}
