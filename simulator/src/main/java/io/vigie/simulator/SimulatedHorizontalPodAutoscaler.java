package io.vigie.simulator;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.Optional;

/**
 * Plays the HorizontalPodAutoscaler controller (autoscaling/v2, a CPU utilization target) against
 * the mock API server, which has none: one call is one sync period, with the target's pods at the
 * given average utilization. It scales the Deployment as the real controller does, by its replicas
 * (desired = ceil(current x utilization / target), within minReplicas and maxReplicas, no change
 * within the 10% tolerance), and writes the HPA's status. Stabilization windows are left out: a test
 * says when the load changes.
 */
public final class SimulatedHorizontalPodAutoscaler {
  private static final double TOLERANCE = 0.1;

  private final KubernetesClient client;
  private final Clock clock;

  /** {@code client} acts in the controller's name, so that its writes are not the operator's. */
  public SimulatedHorizontalPodAutoscaler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** One sync of HPA {@code namespace/name}; the replicas it set, if it scaled. */
  public Optional<Integer> sync(String namespace, String name, int averageUtilization) {
    HorizontalPodAutoscaler hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName(name).get();
    if (hpa == null) {
      throw new IllegalArgumentException("no HorizontalPodAutoscaler " + namespace + "/" + name);
    }
    var ref = hpa.getSpec().getScaleTargetRef();
    if (!"Deployment".equals(ref.getKind())) {
      throw new IllegalArgumentException("HPA " + name + " scales a " + ref.getKind() + "; this simulation scales Deployments");
    }
    Deployment target = client.apps().deployments().inNamespace(namespace).withName(ref.getName()).get();
    int current = target == null || target.getSpec().getReplicas() == null ? 0 : target.getSpec().getReplicas();
    if (current == 0) {
      return Optional.empty();   // the real controller leaves a Deployment scaled to zero alone
    }
    int utilizationTarget = cpuTarget(hpa);
    double ratio = (double) averageUtilization / utilizationTarget;
    int min = hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
    int desired = Math.abs(ratio - 1) <= TOLERANCE ? current : (int) Math.ceil(current * ratio);
    desired = Math.max(min, Math.min(hpa.getSpec().getMaxReplicas(), desired));
    if (desired != current) {
      client.apps().deployments().inNamespace(namespace).withName(ref.getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + desired + "}}");
    }
    hpa.setStatus(new HorizontalPodAutoscalerStatusBuilder().withCurrentReplicas(current).withDesiredReplicas(desired)
        .addNewCurrentMetric().withType("Resource").withNewResource().withName("cpu").withNewCurrent()
        .withAverageUtilization(averageUtilization).endCurrent().endResource().endCurrentMetric()
        .withLastScaleTime(desired != current ? clock.instant().toString() : hpa.getStatus() == null ? null
            : hpa.getStatus().getLastScaleTime())
        .build());
    client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).resource(hpa).updateStatus();
    return desired != current ? Optional.of(desired) : Optional.empty();
  }

  private static int cpuTarget(HorizontalPodAutoscaler hpa) {
    for (MetricSpec metric : hpa.getSpec().getMetrics()) {
      if ("Resource".equals(metric.getType()) && "cpu".equals(metric.getResource().getName())
          && metric.getResource().getTarget().getAverageUtilization() != null) {
        return metric.getResource().getTarget().getAverageUtilization();
      }
    }
    throw new IllegalArgumentException("HPA " + hpa.getMetadata().getName() + " has no CPU utilization target");
  }
}
