package io.vigie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.CanaryStrategy;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RollbackReport;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.RolloutStrategy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** `vigie status` read against hand-made states: the clocks count at the time of reading, and each fact is said once. */
class StatusViewTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static Rollout rollout(RolloutStatus status, CanaryStep... steps) {
    Rollout rollout = new Rollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());
    RolloutSpec spec = new RolloutSpec();
    RolloutStrategy strategy = new RolloutStrategy();
    CanaryStrategy canary = new CanaryStrategy();
    canary.setSteps(List.of(steps));
    strategy.setCanary(canary);
    spec.setStrategy(strategy);
    rollout.setSpec(spec);
    rollout.setStatus(status);
    return rollout;
  }

  private static Deployment deployment(String name, int ready, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewTemplate().withNewSpec().addNewContainer().withName("web")
        .withImage("shop/web:v2").endContainer().endSpec().endTemplate().endSpec()
        .withNewStatus().withReadyReplicas(ready).endStatus().build();
  }

  private static RolloutStatus canaryAt(RolloutPhase phase, int index, int of) {
    RolloutStatus s = new RolloutStatus();
    s.setPhase(phase);
    s.setStep((index + 1) + "/" + of);
    s.setCurrentStepIndex(index);
    s.setStepStartedAt(T.toString());
    s.setStableRevision("aaaaaaaaaa");
    s.setCanaryRevision("bbbbbbbbbb");
    return s;
  }

  private static String render(Rollout rollout, Optional<Deployment> canary, Instant now) {
    return StatusView.render(new StatusView.Snapshot(rollout, Optional.of(deployment("web", 4, 4)), canary, Optional.of("shop/web:v1")),
        now, 100);
  }

  @Test
  void aBlueGreenReleaseShowsWhoUsersReachThePreviewTheStagesAndTheirCountdowns() {
    RolloutStatus s = canaryAt(RolloutPhase.Progressing, 0, 2);
    var bg = new io.vigie.api.v1alpha1.BlueGreenStatus();
    bg.setActiveRevision("aaaaaaaaaa");
    bg.setPreviewRevision("bbbbbbbbbb");
    bg.setAutoPromotionAt(T.plusSeconds(300).toString());
    s.setBlueGreen(bg);
    Rollout r = rollout(s);
    r.getSpec().getStrategy().setCanary(null);
    var spec = new io.vigie.api.v1alpha1.BlueGreenStrategy();
    spec.setAutoPromotionSeconds(300);
    spec.setScaleDownDelaySeconds(600);
    r.getSpec().getStrategy().setBlueGreen(spec);
    r.getSpec().setService(new io.vigie.api.v1alpha1.ServiceRef("web", 80));

    String preview = render(r, Optional.of(deployment("web-canary", 4, 4)), T.plusSeconds(60));
    assertThat(preview).contains("step 1/2  (1m in step; switch to green in 4m)")
        .contains("Green      revision bbbbbbbbbb  Deployment web-canary  4/4 ready")
        .contains("Traffic    users on blue (revision aaaaaaaaaa)  via Service shop/web (its selector)")
        .contains("  preview: green (revision bbbbbbbbbb) on Service shop/web-preview")
        .contains("Stages     [----------------------] 0/2 done".replace("----------------------", "-".repeat(20)))
        .contains("  now  1. preview: green at the Deployment's size, switch after 300s")
        .contains("       2. live: users on green, blue warm 600s");

    s.setCurrentStepIndex(1);
    s.setStep("2/2");
    bg.setSwitchedAt(T.plusSeconds(300).toString());
    bg.setActiveRevision("bbbbbbbbbb");
    bg.setScaleDownAt(T.plusSeconds(900).toString());
    String live = render(r, Optional.of(deployment("web-canary", 4, 4)), T.plusSeconds(360));
    assertThat(live).contains("blue kept warm for 9m").doesNotContain("switch to green in")
        .contains("users on green (revision bbbbbbbbbb)").contains("  done 1. preview").contains("  now  2. live");
  }

  @Test
  void aTimedPauseCountsDownFromTheTimeOfReading() {
    RolloutStatus s = canaryAt(RolloutPhase.Progressing, 1, 3);
    s.setMessage("step 2/3: pause 1m until 2026-01-01T00:01:00Z");
    Rollout r = rollout(s, CanaryStep.weight(20), CanaryStep.pauseFor("1m"), CanaryStep.weight(50));

    assertThat(render(r, Optional.of(deployment("web-canary", 1, 1)), T.plusSeconds(48)))
        .contains("Phase      Progressing  step 2/3  (48s in step; pause ends in 12s)");
    assertThat(render(r, Optional.of(deployment("web-canary", 1, 1)), T.plusSeconds(59)))
        .contains("(59s in step; pause ends in 1s)");
  }

  @Test
  void aRoutedCanaryRolledBackCountsDownToItsPodsRemoval() {
    RolloutStatus s = canaryAt(RolloutPhase.RolledBack, 1, 3);
    s.setMessage("rolled back: aborted by vigie.io/abort at step 2/3; stable revision aaaaaaaaaa serves all traffic");
    s.setCanaryScaleDownAt(T.plusSeconds(30).toString());
    Rollout r = rollout(s, CanaryStep.weight(20), CanaryStep.pauseFor("1m"), CanaryStep.weight(50));

    assertThat(render(r, Optional.of(deployment("web-canary", 1, 1)), T.plusSeconds(12)))
        .contains("(old canary pods removed in 18s; 12s in step)");
  }

  @Test
  void whilePodsAreAwaitedTheProgressDeadlineCountsDown() {
    RolloutStatus s = canaryAt(RolloutPhase.Progressing, 0, 2);
    Rollout r = rollout(s, CanaryStep.weight(20), CanaryStep.weight(50));
    r.getSpec().setProgressDeadlineSeconds(300);

    assertThat(render(r, Optional.of(deployment("web-canary", 0, 1)), T.plusSeconds(90)))
        .contains("(1m30s in step; progress deadline in 3m30s)");
    assertThat(render(r, Optional.of(deployment("web-canary", 1, 1)), T.plusSeconds(90)))
        .as("pods ready: no deadline to watch").contains("(1m30s in step)");
  }

  @Test
  void afterARollbackNoAnalysisReadsAsStillMeasuringAndTheFailureIsSaidOnce() {
    RolloutStatus s = canaryAt(RolloutPhase.RolledBack, 1, 3);
    String why = "analysis error-rate failed: 17.3% > max 5% (2 of 2 measurements failed, failureLimit 1)";
    s.setMessage("rolled back: " + why + "; stable revision aaaaaaaaaa serves all traffic");
    AnalysisRunStatus failed = run("background", AnalysisPhase.Failed, why);
    AnalysisRunStatus running = run("step-2", AnalysisPhase.Running, "measuring");
    s.setAnalysis(List.of(failed, running));
    RollbackReport report = new RollbackReport();
    report.setRevision("bbbbbbbbbb");
    report.setTrigger("AnalysisFailed");
    report.setSummary(why);
    report.setDecidedAt(T.plusSeconds(1643).toString());
    report.setSecondsToDecision(1643L);
    s.setRollbackReport(report);
    Rollout r = rollout(s, CanaryStep.weight(20), CanaryStep.pauseFor("1m"), CanaryStep.weight(50));

    String text = render(r, Optional.of(deployment("web-canary", 0, 0)), T.plusSeconds(1700));
    assertThat(text).contains("  background: Failed\n").contains("  step-2: Stopped - the rollback ended it\n")
        .contains("    error-rate  Stopped").doesNotContain("Running")
        .contains("Rollback   revision bbbbbbbbbb (AnalysisFailed)\n")
        .contains("  timings: decided 27m23s after the canary first got traffic, canary pods still serving");
    assertThat(text.split("17\\.3% > max 5%", -1)).as("the failure, said once:%n%s", text).hasSize(2);
  }

  @Test
  void aComparisonShowsBothSidesTheShiftAndTheScore() {
    RolloutStatus s = canaryAt(RolloutPhase.Progressing, 1, 3);
    s.setMessage("step 2/3: analysis");
    AnalysisRunStatus step = run("step-2", AnalysisPhase.Running, "measuring: error-rate 1/1 successful");
    step.setScore(67);
    io.vigie.api.v1alpha1.ComparisonEvidence c = new io.vigie.api.v1alpha1.ComparisonEvidence();
    c.setSide("baseline");
    c.setResult(io.vigie.api.v1alpha1.ComparisonEvidence.Result.High);
    c.setCanaryPoints(9);
    c.setOtherPoints(8);
    c.setCanaryMedian(0.31);
    c.setOtherMedian(0.21);
    c.setShift(0.1);
    c.setLower(0.09);
    c.setUpper(0.11);
    c.setPValue(0.0001);
    step.getMetrics().get(0).setComparison(c);
    s.setAnalysis(List.of(step));

    String text = render(rollout(s, CanaryStep.weight(20), CanaryStep.pauseFor("1m"), CanaryStep.weight(50)), Optional.empty(), T);
    assertThat(text).contains("  step-2: Running (score 67) - measuring: error-rate 1/1 successful\n")
        // At 100 columns the line wraps, indented under its own.
        .contains("      compared: High  canary median 0.31 (9 points), baseline median 0.21 (8 points), shift 0.1\n"
            + "        [0.09, 0.11], p 0.0001\n");
  }

  @Test
  void aRollbackWithoutTrafficSaysSoAndARevisionPromotedSinceShowsNoRollback() {
    RolloutStatus s = canaryAt(RolloutPhase.RolledBack, 0, 2);
    s.setMessage("rolled back: canary web-canary has 0/1 ready pods after 600s");
    RollbackReport report = new RollbackReport();
    report.setRevision("bbbbbbbbbb");
    report.setTrigger("ProgressDeadlineExceeded");
    report.setSummary("canary web-canary has 0/1 ready pods after 600s");
    report.setDecidedAt(T.plusSeconds(600).toString());
    report.setSecondsToTrafficBack(0L);
    s.setRollbackReport(report);
    Rollout r = rollout(s, CanaryStep.weight(20), CanaryStep.weight(50));
    assertThat(StatusView.render(new StatusView.Snapshot(r, Optional.of(deployment("web", 4, 4)), Optional.empty(),
        Optional.of("shop/web:v1")), T.plusSeconds(601), 160)).contains(
        "  timings: decided at 2026-01-01T00:10:00Z, before the canary got traffic, traffic back on stable 0s after the decision");

    RolloutStatus healthy = new RolloutStatus();
    healthy.setPhase(RolloutPhase.Healthy);
    healthy.setStableRevision("bbbbbbbbbb");
    healthy.setRollbackReport(report);
    assertThat(render(rollout(healthy, CanaryStep.weight(20)), Optional.empty(), T.plusSeconds(900))).doesNotContain("Rollback");
  }

  @Test
  void theReplicaSetsAndPodsBehindEachSideAreShownWithTheirHash() {
    RolloutStatus s = canaryAt(RolloutPhase.Paused, 1, 2);
    Rollout r = rollout(s, CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    StatusView.Snapshot snapshot = new StatusView.Snapshot(r, Optional.of(deployment("web", 4, 4)),
        Optional.of(deployment("web-canary", 0, 1)), Optional.of("shop/web:v1"),
        List.of(new StatusView.PodSet("web-5d8f9c7b6a", "5d8f9c7b6a", 4, 4, List.of())),
        List.of(new StatusView.PodSet("web-canary-c55c224206", "c55c224206", 0, 1,
            List.of(new StatusView.Pod("web-canary-c55c224206-x7k2p", false, "CrashLoopBackOff", 3)))));

    assertThat(StatusView.render(snapshot, T.plusSeconds(5), 120))
        .contains("  ReplicaSet web-5d8f9c7b6a  (pod-template-hash 5d8f9c7b6a)  4/4 ready\n")
        .contains("  ReplicaSet web-canary-c55c224206  (pod-template-hash c55c224206)  0/1 ready\n"
            + "    pods: web-canary-c55c224206-x7k2p CrashLoopBackOff (3 restarts)\n");
  }

  @Test
  void aGuardShowsWhetherItHoldsAndADryRunMetricWhatItWouldHaveDone() {
    RolloutStatus s = canaryAt(RolloutPhase.Progressing, 1, 3);
    s.setMessage("held at step 2/3: traffic surge: 310 requests/s is 3.1 times the 100 requests/s before the release (factor 2)");
    AnalysisRunStatus surge = run("guard-surge", AnalysisPhase.Running, "traffic surge: 310 requests/s is 3.1 times the 100 "
        + "requests/s before the release (factor 2)");
    surge.getMetrics().get(0).setName("traffic");
    AnalysisRunStatus background = run("background", AnalysisPhase.Running, "measuring: error-rate 2/2 successful");
    background.getMetrics().get(0).setName("strict-errors");
    background.getMetrics().get(0).setPhase(AnalysisPhase.Failed);
    background.getMetrics().get(0).setDryRunVerdict("would have rolled back at step 2/3: 0.01 > max 0.001");
    s.setAnalysis(List.of(surge, background));

    String text = render(rollout(s, CanaryStep.weight(20), CanaryStep.pauseFor("1m"), CanaryStep.weight(50)), Optional.empty(), T);
    assertThat(text).contains("  guard-surge: traffic surge: 310 requests/s is 3.1 times the 100 requests/s before the release\n")
        .contains("      dry run: would have rolled back at step 2/3: 0.01 > max 0.001\n");
  }

  private static AnalysisRunStatus run(String name, AnalysisPhase phase, String message) {
    AnalysisRunStatus run = new AnalysisRunStatus();
    run.setName(name);
    run.setPhase(phase);
    run.setMessage(message);
    MetricStatus metric = new MetricStatus();
    metric.setName("error-rate");
    metric.setPhase(phase);
    run.setMetrics(List.of(metric));
    return run;
  }
}
