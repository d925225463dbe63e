package io.vigie.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import io.vigie.health.OperatorHealth;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.runtime.VigieOperator;
import io.vigie.testkit.MockCluster;
import io.vigie.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What /healthz and /readyz say of a leader and of its standby. */
class OperatorHealthTest {
  private static final String NS = "vigie-system";

  @Test
  void theLeaderAndTheStandbyAreBothLiveAndReadyAndOnlyTheLeaderSaysItLeads() {
    try (MockCluster cluster = MockCluster.start()) {
      cluster.dispatcher().before((w, applied) -> w.path().endsWith("/selfsubjectrulesreviews")
          // The mock server has no authorizer: answer JOSDK's check of its Lease permissions as RBAC would.
          ? Optional.of(new MockResponse().setResponseCode(201).setBody("{\"apiVersion\":\"authorization.k8s.io/v1\","
              + "\"kind\":\"SelfSubjectRulesReview\",\"status\":{\"incomplete\":false,\"nonResourceRules\":[],"
              + "\"resourceRules\":[{\"apiGroups\":[\"coordination.k8s.io\"],\"resources\":[\"leases\"],"
              + "\"verbs\":[\"get\",\"create\",\"update\"]}]}}"))
          : Optional.empty());
      MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
      OperatorSettings.LeaderElection election = new OperatorSettings.LeaderElection("vigie-operator", NS,
          Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200), false);
      KubernetesClient clientA = cluster.newClient("operator-a");
      KubernetesClient clientB = cluster.newClient("operator-b");
      VigieOperator a = VigieOperator.start(clientA, clock, settings("operator-a", election));
      VigieOperator b = null;
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> holder(cluster.client()).equals(Optional.of("operator-a")));
        b = VigieOperator.start(clientB, clock, settings("operator-b", election));
        OperatorHealth leader = a.health();
        OperatorHealth standby = b.health();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          assertThat(leader.liveness().ok()).isTrue();
          assertThat(leader.readiness()).satisfies(r -> {
            assertThat(r.ok()).isTrue();
            assertThat(r.message()).startsWith("leader").contains("informers synced");
          });
        });
        assertThat(standby.liveness().ok()).isTrue();
        assertThat(standby.readiness().ok()).isTrue();
        assertThat(standby.readiness().message()).startsWith("standby");
        assertThat(OperatorMetricsTest.value(a.metrics().scrape(), "vigie_operator_leader", Map.of())).hasValue(1);
        assertThat(OperatorMetricsTest.value(b.metrics().scrape(), "vigie_operator_leader", Map.of())).hasValue(0);
      } finally {
        if (b != null) {
          b.close();
        }
        a.close();
        clientA.close();
        clientB.close();
      }
    }
  }

  private static Optional<String> holder(KubernetesClient k8s) {
    Lease lease = k8s.leases().inNamespace(NS).withName("vigie-operator").get();
    return Optional.ofNullable(lease).map(l -> l.getSpec().getHolderIdentity());
  }

  private static OperatorSettings settings(String instance, OperatorSettings.LeaderElection election) {
    return OperatorSettings.defaults(instance).withStopTimeout(Duration.ofMillis(500)).withLeaderElection(election);
  }
}
