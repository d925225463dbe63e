package io.vigie.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Canary scenarios beyond the happy path, each through the real operator. */
class RolloutScenariosTest {
  private OperatorHarness k8s;
  private String v1;

  @BeforeEach
  void start() {
    k8s = OperatorHarness.start();
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  private void rollout(CanaryStep... steps) {
    k8s.createRollout("web", "web", "web", steps);
    v1 = k8s.awaitPhase("web", RolloutPhase.Healthy).getStableRevision();
  }

  @Test
  void aNewRevisionMidCanaryReplacesTheCanaryAndRestartsFromStepOne() {
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted(), CanaryStep.weight(50));
    k8s.setImage("web", "shop/web:v2");
    String v2 = k8s.awaitPhase("web", RolloutPhase.Paused).getCanaryRevision();

    k8s.setImage("web", "shop/web:v3");

    RolloutStatus status = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && !v2.equals(s.getCanaryRevision()));
    assertThat(status.getStep()).isEqualTo("2/3");
    assertThat(status.getStableRevision()).isEqualTo(v1);
    k8s.eventually(() -> {
      assertThat(k8s.deployment("web-canary").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("shop/web:v3");
      assertThat(k8s.deployment("web-canary").getMetadata().getLabels()).containsEntry("vigie.io/revision", status.getCanaryRevision());
    });
    assertThat(status.getHistory()).singleElement().satisfies(h -> {
      assertThat(h.getRevision()).isEqualTo(v2);
      assertThat(h.getVerdict()).isEqualTo(Verdict.Superseded);
    });
  }

  @Test
  void promoteFullSkipsTheRemainingSteps() {
    rollout(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted(), CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2");
    String v2 = k8s.awaitPhase("web", RolloutPhase.Paused).getCanaryRevision();

    k8s.annotate("web", "vigie.io/promote", "full");

    RolloutStatus healthy = k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(healthy.getStableRevision()).isEqualTo(v2);
    assertThat(healthy.getLastControl().getResult()).contains("skipped the remaining steps");
    // The audit trail says a person skipped steps 3 and 4 (the indefinite pause at 2 was released, as it asks).
    assertThat(healthy.getHistory()).last().satisfies(h -> assertThat(h.getReason())
        .isEqualTo("passed 2 of 4 steps; steps 3, 4 skipped by a person (vigie.io/promote)"));
  }

  @Test
  void aCanaryThatNeverBecomesReadyIsRolledBackAtTheProgressDeadline() {
    rollout(CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2-crash");
    k8s.awaitStatus("web", s -> s.getMessage() != null && s.getMessage().contains("0/1 ready"));

    // Seen by a reconcile that started after the clock moved, not by the status of before.
    k8s.afterReconciles("web", () -> k8s.clock().advance(Duration.ofSeconds(599)));
    assertThat(k8s.status("web").getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(k8s.status("web").getMessage()).contains("0/1 ready");
    k8s.advance("web", Duration.ofSeconds(1));

    RolloutStatus rolledBack = k8s.awaitPhase("web", RolloutPhase.RolledBack);
    assertThat(rolledBack.getAbort().getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(rolledBack.getAbort().getMessage()).contains("web-canary has 0/1 ready pods after 600s");
    assertThat(rolledBack.getCanaryWeight()).isZero();
    k8s.eventually(() -> {
      assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero();
      assertThat(k8s.deployment("web").getSpec().getPaused()).isTrue();
    });
    assertThat(rolledBack.getStableRevision()).isEqualTo(v1);
    assertThat(rolledBack.getHistory()).singleElement().satisfies(h -> assertThat(h.getVerdict()).isEqualTo(Verdict.RolledBack));
    assertThat(rolledBack.getRollbackReport().getTrigger()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(rolledBack.getRollbackReport().getChanges()).containsExactly("container app: image shop/web:v1 → shop/web:v2-crash");
    assertThat(rolledBack.getRollbackReport().getRevision()).isEqualTo(rolledBack.getCanaryRevision());
    assertThat(rolledBack.getRollbackReport().getStableRevision()).isEqualTo(v1);
    // The canary never served: there is no first traffic to count from, and nothing to take back.
    assertThat(rolledBack.getRollbackReport().getSecondsToDecision()).isNull();
    assertThat(k8s.awaitStatus("web", s -> s.getRollbackReport().getTrafficBackAt() != null).getRollbackReport()
        .getSecondsToTrafficBack()).isZero();
    await().atMost(OperatorHarness.WAIT).untilAsserted(() -> assertThat(k8s.events("web"))
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("RolloutAborted");
          assertThat(e.getType()).isEqualTo("Warning");
        }));
  }

  @Test
  void abortRetryAndRevertingTheTemplate() {
    rollout(CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2");
    String v2 = k8s.awaitPhase("web", RolloutPhase.Paused).getCanaryRevision();

    k8s.clock().advance(Duration.ofSeconds(42));
    k8s.annotate("web", "vigie.io/abort", "true");
    RolloutStatus aborted = k8s.awaitPhase("web", RolloutPhase.RolledBack);
    assertThat(aborted.getAbort().getReason()).isEqualTo("ManualAbort");
    assertThat(aborted.getRollbackReport().getTrigger()).isEqualTo("ManualAbort");
    assertThat(aborted.getRollbackReport().getSecondsToDecision()).isEqualTo(42);
    assertThat(k8s.awaitStatus("web", s -> s.getRollbackReport().getTrafficBackAt() != null).getRollbackReport()
        .getSecondsToTrafficBack()).isZero();
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero());

    k8s.annotate("web", "vigie.io/retry", "true");
    RolloutStatus retried = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(retried.getCanaryRevision()).isEqualTo(v2);
    assertThat(retried.getStep()).isEqualTo("2/2");
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isEqualTo(1));

    k8s.setImage("web", "shop/web:v1");
    RolloutStatus healthy = k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(healthy.getStableRevision()).isEqualTo(v1);
    assertThat(healthy.getCanaryRevision()).isNull();
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero());
    assertThat(healthy.getHistory()).extracting(h -> h.getVerdict()).containsExactly(Verdict.RolledBack, Verdict.Reverted);
    assertThat(healthy.getRollbackReport().getTrigger()).as("the last report stays for reading").isEqualTo("ManualAbort");
  }

  @Test
  void aNewRevisionAfterARollbackStartsAFreshCanary() {
    rollout(CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2");
    String v2 = k8s.awaitPhase("web", RolloutPhase.Paused).getCanaryRevision();
    k8s.annotate("web", "vigie.io/abort", "true");
    k8s.awaitPhase("web", RolloutPhase.RolledBack);

    k8s.setImage("web", "shop/web:v3");

    RolloutStatus fresh = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && !v2.equals(s.getCanaryRevision()));
    assertThat(fresh.getStep()).isEqualTo("2/2");
    assertThat(fresh.getAbort()).isNull();
    assertThat(fresh.getHistory()).extracting(h -> h.getVerdict()).containsExactly(Verdict.RolledBack);
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage()).isEqualTo("shop/web:v3"));
  }

  @Test
  void aManualPauseHoldsTheTimedPauseAndResumeContinuesIt() {
    rollout(CanaryStep.weight(25), CanaryStep.pauseFor("1m"), CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitStatus("web", s -> "2/4".equals(s.getStep()));

    k8s.annotate("web", "vigie.io/pause", "true");
    RolloutStatus paused = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(paused.getUserPaused()).isTrue();
    assertThat(paused.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Paused");
      assertThat(c.getReason()).isEqualTo("UserPaused");
    });
    k8s.advance("web", Duration.ofMinutes(5));
    assertThat(k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused).getStep()).isEqualTo("2/4");

    k8s.annotate("web", "vigie.io/resume", "true");
    RolloutStatus resumed = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Progressing);
    assertThat(resumed.getStep()).isEqualTo("2/4");
    // The pause starts again from the resume.
    assertThat(resumed.getMessage()).endsWith("pause 1m until " + k8s.clock().instant().plus(Duration.ofMinutes(1)));
    k8s.advance("web", Duration.ofMinutes(1));
    assertThat(k8s.awaitPhase("web", RolloutPhase.Paused).getStep()).isEqualTo("4/4");
  }

  @Test
  void aControlThatMakesNoSenseIsRecordedAsIgnored() {
    rollout(CanaryStep.weight(25));
    k8s.annotate("web", "vigie.io/promote", "true");

    RolloutStatus status = k8s.awaitStatus("web", s -> s.getLastControl() != null);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Healthy);
    // The same words the CLI refuses with before writing (ControlRules): one rule, no mirror.
    assertThat(status.getLastControl().getResult()).isEqualTo("ignored: " + io.vigie.core.ControlRules.refusal(
        io.vigie.core.PendingControl.Control.PROMOTE, status).orElseThrow());
    assertThat(status.getLastControl().getResult()).startsWith("ignored: nothing to promote while the Rollout is Healthy (");
    await().atMost(OperatorHarness.WAIT).untilAsserted(() -> assertThat(k8s.eventReasons("web")).contains("ControlIgnored"));
    await().atMost(OperatorHarness.WAIT).untilAsserted(() -> assertThat(k8s.rollout("web").getMetadata().getAnnotations())
        .doesNotContainKeys("vigie.io/promote", "vigie.io/accepted-control"));
  }

  @Test
  void deletingTheRolloutGivesTheDeploymentBackAsItWas() {
    rollout(CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.eventually(() -> assertThat(k8s.deployment("web-canary")).isNotNull());

    k8s.client().resources(Rollout.class).inNamespace(OperatorHarness.NS).withName("web").delete();

    await().atMost(OperatorHarness.WAIT).until(() -> k8s.rollout("web") == null);
    assertThat(k8s.deployment("web-canary")).isNull();
    assertThat(k8s.service("web-stable")).isNull();
    assertThat(k8s.service("web-canary")).isNull();
    assertThat(k8s.deployment("web").getSpec().getPaused()).isFalse();
    assertThat(k8s.service("web").getSpec().getSelector()).containsExactlyEntriesOf(java.util.Map.of("app", "web"));
    assertThat(k8s.deployment("web").getSpec().getReplicas()).isEqualTo(4);
  }

  @Test
  void anOperatorRestartMidCanaryContinuesFromStatus() {
    rollout(CanaryStep.weight(25), CanaryStep.pauseFor("1m"), CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
    k8s.setImage("web", "shop/web:v2");
    RolloutStatus before = k8s.awaitStatus("web", s -> "2/4".equals(s.getStep()));
    // Events follow the status write: wait for the step's Event before counting.
    await().atMost(OperatorHarness.WAIT).until(() -> k8s.eventReasons("web").contains("StepCompleted"));
    int events = k8s.eventReasons("web").size();

    k8s.stopOperator();
    k8s.clock().advance(Duration.ofSeconds(30));
    k8s.startOperator();
    k8s.nudge("web");

    k8s.afterReconciles("web", () -> { });
    RolloutStatus after = k8s.status("web");
    assertThat(after.getMessage()).endsWith("until " + java.time.Instant.parse(before.getStepStartedAt()).plus(Duration.ofMinutes(1)));
    assertThat(after.getStep()).isEqualTo("2/4");
    assertThat(after.getCanaryRevision()).isEqualTo(before.getCanaryRevision());
    assertThat(after.getStepStartedAt()).isEqualTo(before.getStepStartedAt());
    // Events follow the status write: no Event may come in the reconciles after it either.
    k8s.afterReconciles("web", () -> { });
    assertThat(k8s.eventReasons("web")).hasSize(events);
    k8s.advance("web", Duration.ofSeconds(30));
    assertThat(k8s.awaitPhase("web", RolloutPhase.Paused).getStep()).isEqualTo("4/4");
  }
}
