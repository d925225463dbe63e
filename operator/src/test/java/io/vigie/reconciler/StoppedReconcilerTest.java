package io.vigie.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.metrics.OperatorMetrics;
import io.vigie.testkit.MockCluster;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A stopping operator acts no more: a reconcile JOSDK still runs after the stop reads and writes nothing. */
class StoppedReconcilerTest {
  @Test
  void aReconcileAfterTheStopTouchesNothing() throws Exception {
    try (MockCluster cluster = MockCluster.start(); var client = cluster.newClient("operator-stopped")) {
      RolloutReconciler reconciler = new RolloutReconciler(client, Clock.systemUTC(), OperatorSettings.defaults("stopped"),
          new OperatorMetrics().rollouts());
      Rollout rollout = new Rollout();
      rollout.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());

      reconciler.stopReconciling();
      var control = reconciler.reconcile(rollout, null);

      assertThat(control.isNoUpdate()).isTrue();
      // A deletion seen while stopping (a lost lease) is left, finalizer and all, to the next leader.
      rollout.setSpec(new io.vigie.api.v1alpha1.RolloutSpec());
      rollout.getSpec().setTargetRef(new io.vigie.api.v1alpha1.WorkloadRef(io.vigie.api.v1alpha1.TargetKind.Deployment, "web"));
      rollout.getSpec().setService(new io.vigie.api.v1alpha1.ServiceRef("web", 80));
      assertThat(reconciler.cleanup(rollout, null).isRemoveFinalizer()).isFalse();
      assertThat(cluster.dispatcher().operatorPaths()).as("requests of the stopped operator").isEmpty();
      reconciler.close();
    }
  }
}
