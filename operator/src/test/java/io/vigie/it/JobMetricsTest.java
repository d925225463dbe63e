package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.vigie.api.v1alpha1.AnalysisArg;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.RecordingDispatcher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Job metrics with the real operator and a simulated Job controller: an integration suite run as a
 * Job against the canary passes or fails the step; a Job that cannot be created is an error, one
 * that outlives the analysis is deleted, and an operator restarted mid-Job waits for the same Job.
 */
class JobMetricsTest {
  private static final Duration RUN_TIME = Duration.ofMinutes(2);
  private OperatorHarness k8s;

  @BeforeEach
  void start() {
    k8s = OperatorHarness.start();
    k8s.jobController(RUN_TIME);
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
    template("ClusterAnalysisTemplate");
  }

  /** The integration suite as a job metric, in a template of this kind (cluster-scoped: the admin's). */
  private void template(String kind) {
    k8s.client().load(new ByteArrayInputStream("""
        apiVersion: vigie.io/v1alpha1
        kind: %s
        metadata: {name: integration-tests}
        spec:
          args: [{name: image}]
          metrics:
            - name: integration-tests
              count: 1
              consecutiveErrorLimit: 0
              provider:
                job:
                  timeout: 10m
                  spec:
                    backoffLimit: 0
                    template:
                      spec:
                        restartPolicy: Never
                        containers:
                          - name: tests
                            image: "{{args.image}}"
                            args: ["--target", "http://{{args.canary-service}}.{{args.namespace}}"]
        """.formatted(kind).getBytes(StandardCharsets.UTF_8))).inNamespace(NS).create();
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  private static CanaryStep integrationTests(String image) {
    return integrationTests(image, true);
  }

  private static CanaryStep integrationTests(String image, boolean clusterTemplate) {
    CanaryStep step = new CanaryStep();
    step.setAnalysis(new RolloutAnalysis());
    TemplateRef ref = TemplateRef.named("integration-tests");
    ref.setClusterScope(clusterTemplate ? true : null);
    step.getAnalysis().setTemplates(List.of(ref));
    step.getAnalysis().setArgs(List.of(AnalysisArg.of("image", image)));
    return step;
  }

  private void release(String testImage) {
    k8s.createRollout("web", "web", "web", CanaryStep.weight(25), integrationTests(testImage), CanaryStep.weight(50));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.setImage("web", "shop/web:v2");
  }

  private List<Job> jobs() {
    return k8s.client().batch().v1().jobs().inNamespace(NS).list().getItems();
  }

  private Job theJob() {
    k8s.eventually(() -> assertThat(jobs()).hasSize(1));
    return jobs().get(0);
  }

  private static Optional<MetricStatus> metric(RolloutStatus status) {
    return status.getAnalysis().stream().flatMap(r -> r.getMetrics().stream())
        .filter(m -> m.getName().equals("integration-tests")).findFirst();
  }

  @Test
  void aJobThatSucceedsPassesTheStepAndIsOwnedLabelledAndLeftForItsLogs() {
    release("ci/integration-tests:1.4");
    Job job = theJob();
    String rollout = k8s.rollout("web").getMetadata().getUid();
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo(rollout));
    assertThat(job.getMetadata().getLabels()).containsEntry("vigie.io/rollout", "web").containsEntry("vigie.io/metric",
        "integration-tests").containsEntry("vigie.io/revision", k8s.status("web").getCanaryRevision());
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("--target", "http://web-canary." + NS);
    assertThat(k8s.status("web").getPhase()).as("the step waits for the Job").isEqualTo(RolloutPhase.Progressing);

    k8s.advance("web", RUN_TIME);
    RolloutStatus done = k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(done.getHistory()).last().satisfies(h -> assertThat(h.getVerdict().name()).isEqualTo("Promoted"));
    assertThat(jobs()).as("a finished Job stays until its TTL, for its logs").hasSize(1);
  }

  @Test
  void aJobThatFailsRollsTheCanaryBackWithTheJobNamed() {
    release("ci/integration-tests:fail");
    Job job = theJob();
    k8s.advance("web", RUN_TIME);

    RolloutStatus rolledBack = k8s.awaitPhase("web", RolloutPhase.RolledBack);
    assertThat(rolledBack.getMessage()).contains("integration-tests");
    assertThat(metric(rolledBack)).hasValueSatisfying(m -> {
      assertThat(m.getPhase()).isEqualTo(AnalysisPhase.Failed);
      assertThat(m.getRule()).isEqualTo("the Job succeeds");
      assertThat(m.getMessage()).isEqualTo("Job " + NS + "/" + job.getMetadata().getName()
          + " failed: BackoffLimitExceeded (Job has reached the specified backoff limit) (1 of 1 measurement failed, failureLimit 0)");
    });
  }

  @Test
  void aJobThatCannotBeCreatedIsAnErrorSayingWhy() {
    k8s.dispatcher().before((w, applied) -> w.method().equals("POST") && w.path().contains("/jobs")
        ? Optional.of(RecordingDispatcher.status(403, "Forbidden")) : Optional.empty());
    release("ci/integration-tests:1.4");

    RolloutStatus status = k8s.awaitStatus("web", s -> metric(s).map(m -> m.getErrors() > 0).orElse(false));
    assertThat(metric(status)).hasValueSatisfying(m -> assertThat(m.getMessage()).startsWith("Job " + NS + "/web-integration-tests-")
        .contains("cannot be created: HTTP 403"));
    assertThat(jobs()).isEmpty();
  }

  @Test
  void aJobStillRunningWhenTheCanaryIsAbortedIsDeleted() {
    release("ci/integration-tests:1.4");
    theJob();
    k8s.annotate("web", "vigie.io/abort", "true");
    k8s.awaitPhase("web", RolloutPhase.RolledBack);
    k8s.eventually(() -> assertThat(jobs()).as("the Job goes with the analysis").isEmpty());
  }

  @Test
  void aJobMetricOfANamespacedTemplateRunsOnlyWhereTheAdminAllowsIt() {
    template("AnalysisTemplate");
    k8s.createRollout("web", "web", "web", CanaryStep.weight(25), integrationTests("ci/integration-tests:1.4", false));

    RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);
    assertThat(invalid.getMessage()).isEqualTo("spec.strategy.canary.steps[1].analysis metric integration-tests: a job metric "
        + "runs pods through the Jobs Vigie creates: define it in a ClusterAnalysisTemplate (the cluster admin's), or have the "
        + "operator run with --allow-namespaced-job-metrics (Helm: jobMetrics.fromNamespaces)");

    k8s.stopOperator();
    k8s.settings(io.vigie.reconciler.OperatorSettings.defaults("test-operator").withAllowedProviderHosts(OperatorHarness.LOOPBACK)
        .withNamespacedJobMetrics(true));
    k8s.startOperator();
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.setImage("web", "shop/web:v2");
    theJob();
  }

  @Test
  void anOperatorRestartedMidJobWaitsForTheSameJob() {
    release("ci/integration-tests:1.4");
    String name = theJob().getMetadata().getName();
    k8s.replaceOperator();
    k8s.advance("web", Duration.ofSeconds(30));
    k8s.afterReconciles("web", () -> { });
    assertThat(jobs()).extracting(j -> j.getMetadata().getName()).as("no second Job").containsExactly(name);

    k8s.advance("web", RUN_TIME);
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactly(name);
  }
}
