package io.vigie.simulator;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pods of the simulated ReplicaSets, as the ReplicaSet controller and the kubelet would write
 * them, so that what people look at (`kubectl get pods`, `vigie status`) shows pods: named
 * {@code <replicaset>-<5 characters>}, labelled and owned like real ones, Ready as the simulation
 * decides, and crash-looping (waiting CrashLoopBackOff, restarts counting up) for images that never
 * become ready. The newest go first on a scale-down. Each ReplicaSet is synced by one worker at a time.
 */
final class SimulatedPods {
  /** The characters Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private record Written(String name, boolean ready, int restarts) {}

  private final KubernetesClient client;
  private final Map<String, List<Written>> byReplicaSet = new ConcurrentHashMap<>();
  private final Map<String, Integer> created = new ConcurrentHashMap<>();

  SimulatedPods(KubernetesClient client) {
    this.client = client;
  }

  /** Brings the ReplicaSet's pods to {@code replicas}, the oldest {@code ready} of them Ready. */
  void sync(ReplicaSet rs, int replicas, int ready, boolean crashing) {
    String namespace = rs.getMetadata().getNamespace();
    String key = namespace + "/" + rs.getMetadata().getName();
    List<Written> pods = byReplicaSet.computeIfAbsent(key, k -> new ArrayList<>());
    while (pods.size() > replicas) {
      Written gone = pods.remove(pods.size() - 1);
      client.pods().inNamespace(namespace).withName(gone.name()).delete();
    }
    while (pods.size() < replicas) {
      String name = rs.getMetadata().getName() + "-" + suffix(key, created.merge(key, 1, Integer::sum));
      Pod pod = newPod(rs, name);
      pod.setStatus(status(rs, false, 0, crashing));
      try {
        client.pods().inNamespace(namespace).resource(pod).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
      pods.add(new Written(name, false, 0));
    }
    for (int i = 0; i < pods.size(); i++) {
      Written pod = pods.get(i);
      boolean shouldBeReady = i < ready;
      int restarts = crashing ? pod.restarts() + (shouldBeReady ? 0 : 1) : pod.restarts();
      if (pod.ready() != shouldBeReady || (crashing && pod.restarts() == 0)) {
        client.pods().inNamespace(namespace).withName(pod.name()).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(Map.of("status", status(rs, shouldBeReady, restarts, crashing))));
        pods.set(i, new Written(pod.name(), shouldBeReady, restarts));
      }
    }
  }

  /** The pods of a ReplicaSet that is gone (the garbage collector's part). */
  void forget(String namespace, String replicaSet) {
    List<Written> pods = byReplicaSet.remove(namespace + "/" + replicaSet);
    created.remove(namespace + "/" + replicaSet);
    if (pods != null) {
      pods.forEach(p -> client.pods().inNamespace(namespace).withName(p.name()).delete());
    }
  }

  private static Pod newPod(ReplicaSet rs, String name) {
    var template = Serialization.clone(rs.getSpec().getTemplate());
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(rs.getMetadata().getNamespace())
        .withLabels(template.getMetadata().getLabels())
        .withAnnotations(template.getMetadata().getAnnotations())
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
            .withName(rs.getMetadata().getName()).withUid(rs.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }

  private static PodStatus status(ReplicaSet rs, boolean ready, int restarts, boolean crashing) {
    List<ContainerStatus> containers = new ArrayList<>();
    for (var container : rs.getSpec().getTemplate().getSpec().getContainers()) {
      ContainerStatusBuilder status = new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
          .withReady(ready).withRestartCount(restarts).withStarted(!crashing);
      if (crashing) {
        status.withNewState().withNewWaiting().withReason("CrashLoopBackOff")
            .withMessage("back-off restarting failed container " + container.getName()).endWaiting().endState();
      } else {
        status.withNewState().withNewRunning().endRunning().endState();
      }
      containers.add(status.build());
    }
    return new PodStatusBuilder().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .addNewCondition().withType("ContainersReady").withStatus(ready ? "True" : "False").endCondition()
        .withContainerStatuses(containers)
        .build();
  }

  /** Five characters of Kubernetes' alphabet, the same for the same ReplicaSet and count (stable output in tests). */
  private static String suffix(String replicaSet, int count) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest((replicaSet + "#" + count).getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        out.append(ALPHABET.charAt(Math.floorMod(digest[i], ALPHABET.length())));
      }
      return out.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
