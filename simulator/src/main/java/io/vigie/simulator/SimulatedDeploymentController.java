package io.vigie.simulator;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Plays the Kubernetes Deployment controller and the kubelet against the mock API server, which
 * has neither: it creates and scales ReplicaSets for each Deployment's template (none for a new
 * template while the Deployment is paused), marks pods ready, and writes the status fields the
 * real controllers write. Pods of an image matching {@code neverReady} never become ready, and a
 * test can hold the readiness of one Deployment's pods.
 */
public final class SimulatedDeploymentController implements AutoCloseable {
  private final KubernetesClient client;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulated-deployment-controller");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private volatile Predicate<String> neverReady = image -> image.contains("crash");
  private volatile RuntimeException lastError;

  // Pods become ready this long after they start, on this clock (none by default: ready at once).
  private volatile java.time.Clock clock = java.time.Clock.systemUTC();
  private volatile java.time.Duration readinessDelay = java.time.Duration.ZERO;
  /** When each ReplicaSet's pods started, oldest first: the newest go first on a scale-down. */
  private final Map<String, java.util.Deque<java.time.Instant>> podStarts = new ConcurrentHashMap<>();

  public SimulatedDeploymentController(KubernetesClient client) {
    this.client = client;
  }

  /** Pods pass their readiness probe {@code delay} after they start, as read on {@code clock}. */
  public SimulatedDeploymentController withReadinessDelay(java.time.Clock clock, java.time.Duration delay) {
    this.clock = clock;
    this.readinessDelay = delay;
    return this;
  }

  public SimulatedDeploymentController start() {
    loop.scheduleWithFixedDelay(this::syncQuietly, 0, 20, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Pods of this Deployment stay unready until {@link #release}. */
  public void hold(String namespace, String deployment) {
    held.add(namespace + "/" + deployment);
  }

  public void release(String namespace, String deployment) {
    held.remove(namespace + "/" + deployment);
  }

  public void neverReadyWhen(Predicate<String> image) {
    this.neverReady = image;
  }

  public RuntimeException lastError() {
    return lastError;
  }

  private void syncQuietly() {
    try {
      // One read of each kind per tick, however many Deployments: the playground runs thousands.
      Map<String, List<ReplicaSet>> byOwner = new HashMap<>();
      for (ReplicaSet rs : client.apps().replicaSets().inAnyNamespace().list().getItems()) {
        if (rs.getMetadata().getOwnerReferences() != null) {
          rs.getMetadata().getOwnerReferences().forEach(o -> byOwner.computeIfAbsent(o.getUid(), k -> new java.util.ArrayList<>()).add(rs));
        }
      }
      for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
        sync(d, byOwner.getOrDefault(d.getMetadata().getUid(), List.of()));
      }
    } catch (KubernetesClientException e) {
      // A conflict with a concurrent writer: the next tick reads fresh objects and tries again.
      lastError = e;
    } catch (RuntimeException e) {
      lastError = e;
    }
  }

  private void sync(Deployment d, List<ReplicaSet> owned) {
    String namespace = d.getMetadata().getNamespace();
    int replicas = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
    String hash = podTemplateHash(d.getSpec().getTemplate());
    ReplicaSet current = owned.stream().filter(rs -> hash.equals(rs.getMetadata().getLabels().get("pod-template-hash")))
        .findFirst().orElse(null);
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    if (current == null && !paused) {
      current = client.apps().replicaSets().inNamespace(namespace).resource(newReplicaSet(d, hash, replicas)).create();
      owned = append(owned, current);
    }
    boolean ready = !held.contains(namespace + "/" + d.getMetadata().getName());
    int updatedReady = 0;
    int total = 0;
    int totalReady = 0;
    for (ReplicaSet rs : owned) {
      boolean isCurrent = current != null && rs.getMetadata().getName().equals(current.getMetadata().getName());
      int want = rs.getSpec().getReplicas();
      if (!paused) {
        if (isCurrent) {
          want = replicas;
        } else {
          // Old pods go only once the new ones serve: capacity never drops during a rollout.
          want = currentReady(current, d, ready, replicas) >= replicas ? 0 : want;
        }
      }
      if (want != rs.getSpec().getReplicas()) {
        int target = want;
        rs = client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName())
            .edit(r -> { r.getSpec().setReplicas(target); return r; });
      }
      String image = rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
      int readyPods = ready && !neverReady.test(image) ? startedLongEnough(rs, want) : 0;
      if (rs.getStatus() == null || !Objects.equals(rs.getStatus().getReplicas(), want)
          || !Objects.equals(rs.getStatus().getReadyReplicas(), readyPods)) {
        rs.setStatus(new ReplicaSetStatusBuilder().withReplicas(want).withReadyReplicas(readyPods)
            .withAvailableReplicas(readyPods).withObservedGeneration(rs.getMetadata().getGeneration()).build());
        client.apps().replicaSets().inNamespace(namespace).resource(rs).updateStatus();
      }
      total += want;
      totalReady += readyPods;
      if (isCurrent) {
        updatedReady = want;
      }
    }
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(total)
        .withUpdatedReplicas(updatedReady)
        .withReadyReplicas(totalReady)
        .withAvailableReplicas(totalReady)
        .withUnavailableReplicas(Math.max(0, replicas - totalReady))
        .build();
    if (!sameStatus(d.getStatus(), status)) {
      d.setStatus(status);
      client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
    }
  }

  private int currentReady(ReplicaSet current, Deployment d, boolean ready, int replicas) {
    if (current == null || !ready) {
      return 0;
    }
    String image = current.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    return neverReady.test(image) ? 0 : startedLongEnough(current, replicas);
  }

  /** How many of the ReplicaSet's {@code want} pods started at least the readiness delay ago. */
  private int startedLongEnough(ReplicaSet rs, int want) {
    if (readinessDelay.isZero()) {
      return want;
    }
    java.time.Instant now = clock.instant();
    java.util.Deque<java.time.Instant> starts = podStarts.computeIfAbsent(
        rs.getMetadata().getNamespace() + "/" + rs.getMetadata().getName(), k -> new java.util.ArrayDeque<>());
    synchronized (starts) {
      while (starts.size() < want) {
        starts.addLast(now);
      }
      while (starts.size() > want) {
        starts.removeLast();
      }
      return (int) starts.stream().filter(t -> !t.plus(readinessDelay).isAfter(now)).count();
    }
  }

  private static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
    return a != null && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getReplicas(), b.getReplicas()) && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
        && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas()) && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas());
  }

  private static List<ReplicaSet> append(List<ReplicaSet> list, ReplicaSet rs) {
    List<ReplicaSet> copy = new java.util.ArrayList<>(list);
    copy.add(rs);
    return copy;
  }

  private static ReplicaSet newReplicaSet(Deployment d, String hash, int replicas) {
    PodTemplateSpec template = Serialization.clone(d.getSpec().getTemplate());
    Map<String, String> labels = new HashMap<>(Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of()));
    labels.put("pod-template-hash", hash);
    template.getMetadata().setLabels(labels);
    LabelSelector selector = Serialization.clone(d.getSpec().getSelector());
    Map<String, String> match = new HashMap<>(Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()));
    match.put("pod-template-hash", hash);
    selector.setMatchLabels(match);
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(d.getMetadata().getName() + "-" + hash)
        .withNamespace(d.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
            .withName(d.getMetadata().getName()).withUid(d.getMetadata().getUid()).withController(true).build())
        .endMetadata()
        .withNewSpec().withReplicas(0).withSelector(selector).withTemplate(template).endSpec()
        .build();
  }

  /** Stands in for Kubernetes' own hash of a template: stable for equal templates. */
  static String podTemplateHash(PodTemplateSpec template) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(Serialization.asJson(template).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
