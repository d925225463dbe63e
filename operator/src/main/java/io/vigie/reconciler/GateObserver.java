package io.vigie.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.api.v1alpha1.Gate;
import io.vigie.api.v1alpha1.GateStatus;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.core.Observation;
import io.vigie.domain.Timestamps;
import io.vigie.gate.GateAnswer;
import io.vigie.gate.GateCalls;
import io.vigie.gate.GatePayload;
import io.vigie.gate.GateRunner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gate part of an observation: whether every gate's request can be built (its Secrets, its CA,
 * an allowed address), and the answers of the gates status says are due, called off the reconcile
 * thread ({@link GateRunner}).
 */
final class GateObserver {
  private final KubernetesClient client;
  private final GateCalls calls;
  private final GateRunner runner;

  GateObserver(KubernetesClient client, GateCalls calls, GateRunner runner) {
    this.client = client;
    this.calls = calls;
    this.runner = runner;
  }

  Observation.Gates observe(Rollout rollout, Instant now) {
    RolloutSpec spec = rollout.getSpec();
    List<Gate> gates = spec == null || spec.getGates() == null ? List.of() : spec.getGates();
    if (gates.isEmpty()) {
      return Observation.Gates.none();
    }
    String namespace = rollout.getMetadata().getNamespace();
    AnalysisSecrets secrets = AnalysisSecrets.of(client, namespace);
    List<String> problems = new ArrayList<>();
    for (Gate gate : gates) {
      if (gate != null && gate.getName() != null && gate.getUrl() != null) {
        calls.problem(gate, secrets).ifPresent(p -> problems.add("spec.gates " + gate.getName() + ": " + p));
      }
    }
    if (!problems.isEmpty()) {
      return new Observation.Gates(List.copyOf(problems), List.of());
    }
    List<GateStatus> statuses = rollout.getStatus() == null || rollout.getStatus().getGates() == null ? List.of()
        : rollout.getStatus().getGates();
    int stepCount = spec.getStrategy() == null || spec.getStrategy().getCanary() == null
        || spec.getStrategy().getCanary().getSteps() == null ? 0 : spec.getStrategy().getCanary().getSteps().size();
    List<GateRunner.Due> due = new ArrayList<>();
    for (GateStatus status : statuses) {
      Optional<Gate> gate = gates.stream().filter(g -> g != null && status.getName() != null && status.getName().equals(g.getName())
          && g.getType() == status.getType()).findFirst();
      boolean itsTime = status.getPhase() == GateStatus.Phase.Waiting && status.getNextCallAt() != null
          && !Timestamps.parse(status.getNextCallAt()).isAfter(now);
      if (gate.isPresent() && itsTime) {
        due.add(new GateRunner.Due(gate.get(), status.getStep(), status.getOpenedAt(),
            GatePayload.of(rollout, gate.get(), status.getStep(), stepCount), secrets));
      }
    }
    List<GateAnswer> answers = runner.exchange(rollout.getMetadata().getNamespace() + "/" + rollout.getMetadata().getName(), due, now);
    return new Observation.Gates(List.of(), answers);
  }
}
