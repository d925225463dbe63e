package io.vigie.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.api.v1alpha1.AbortStatus;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testkit.MockCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status write against the mock API server (status a subresource, as the CRD makes it): a
 * decision's status survives a label written meanwhile, and never overwrites a stored status newer
 * than the one it was decided on.
 */
class StatusWriterTest {
  private MockCluster cluster;
  private KubernetesClient operator;
  private KubernetesClient person;
  private final List<String> cached = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    operator = cluster.newClient("operator-a");
    person = cluster.newClient("kubectl");
  }

  @AfterEach
  void stop() {
    operator.close();
    person.close();
    cluster.close();
  }

  private static RolloutStatus status(RolloutPhase phase, String message) {
    RolloutStatus status = new RolloutStatus();
    status.setPhase(phase);
    status.setMessage(message);
    return status;
  }

  /** The Rollout with this status, as stored, and as the operator's cache would hand it to a decision. */
  private Rollout stored(RolloutStatus status) {
    Rollout rollout = new Rollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());
    rollout.setSpec(new RolloutSpec());
    Rollout created = person.resources(Rollout.class).inNamespace("shop").resource(rollout).create();
    created.setStatus(status);
    return person.resources(Rollout.class).inNamespace("shop").resource(created).updateStatus();
  }

  private Optional<Rollout> write(Rollout read, RolloutStatus decided) {
    return new StatusWriter(operator).write(read, decided, (written, previous) -> cached.add(
        written.getMetadata().getResourceVersion() + " after " + previous.getMetadata().getResourceVersion()));
  }

  /**
   * The operator's next status write is refused with 409 Conflict, as a real API server refuses a
   * write on an older resourceVersion (the mock server does not check it on the status subresource).
   */
  private void conflictOnce() {
    java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean(true);
    cluster.dispatcher().before((w, applied) -> w.byOperator() && w.path().endsWith("/rollouts/web/status") && armed.getAndSet(false)
        ? Optional.of(io.vigie.testkit.RecordingDispatcher.status(409, "Conflict")) : Optional.empty());
  }

  private Rollout now() {
    return person.resources(Rollout.class).inNamespace("shop").withName("web").get();
  }

  @Test
  void aDecisionIsWrittenAndHandedToTheCache() {
    Rollout read = stored(status(RolloutPhase.Progressing, "step 1/2"));
    Optional<Rollout> written = write(read, status(RolloutPhase.Paused, "step 2/2"));
    assertThat(written).hasValueSatisfying(r -> assertThat(r.getStatus().getMessage()).isEqualTo("step 2/2"));
    assertThat(now().getStatus().getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(cached).containsExactly(written.get().getMetadata().getResourceVersion() + " after "
        + read.getMetadata().getResourceVersion());
  }

  @Test
  void aLabelWrittenMeanwhileDoesNotLoseTheDecision() {
    Rollout read = stored(status(RolloutPhase.Progressing, "step 1/2"));
    person.resources(Rollout.class).inNamespace("shop").withName("web").edit(r -> {
      r.getMetadata().setLabels(Map.of("team", "shop"));
      return r;
    });
    conflictOnce();

    assertThat(write(read, status(RolloutPhase.Paused, "step 2/2"))).isPresent();
    Rollout now = now();
    assertThat(now.getStatus().getMessage()).isEqualTo("step 2/2");
    assertThat(now.getMetadata().getLabels()).as("the label stays").containsEntry("team", "shop");
  }

  @Test
  void aDecisionOnAStatusOlderThanTheStoredOneWritesNothing() {
    Rollout read = stored(status(RolloutPhase.Progressing, "step 2/4: 1/1 canary pods ready"));
    // An earlier write of the operator that the decision's cache had not seen yet: the abort.
    Rollout newer = now();
    RolloutStatus aborted = status(RolloutPhase.RolledBack, "rolled back: error-rate 0.2 > 0.05");
    aborted.setAbort(new AbortStatus("AnalysisFailed", "error-rate 0.2 > 0.05", "rev-2", "2026-01-01T00:00:00Z"));
    newer.setStatus(aborted);
    operator.resources(Rollout.class).inNamespace("shop").resource(newer).updateStatus();
    conflictOnce();

    Optional<Rollout> written = write(read, status(RolloutPhase.Paused, "step 3/4: paused"));

    assertThat(written).as("decide again").isEmpty();
    assertThat(now().getStatus().getPhase()).as("the abort is not undone").isEqualTo(RolloutPhase.RolledBack);
    assertThat(now().getStatus().getAbort().getReason()).isEqualTo("AnalysisFailed");
    assertThat(cached).as("the fresh object goes to the cache for the next decision").singleElement()
        .satisfies(c -> assertThat(c).endsWith(" after " + read.getMetadata().getResourceVersion()));
  }
}
