package io.vigie.simulator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Plays the Kubernetes Deployment controller, the ReplicaSet garbage collector and the kubelet
 * against the mock API server, which has none of them. Like the real controller it watches
 * Deployments and ReplicaSets and works from its caches: it creates a ReplicaSet per template
 * (none for a new template while the Deployment is paused), rolls from the old ReplicaSets to the
 * new one within {@code maxSurge} and {@code maxUnavailable} (or all at once for {@code Recreate}),
 * scales a paused Deployment without rolling it, marks pods ready a readiness delay after they
 * start, deletes the ReplicaSets of a deleted Deployment, and writes the status fields the real
 * controllers write. Pods of an image matching {@code neverReady} never become ready, and a test
 * can hold the readiness of one Deployment's pods.
 */
public final class SimulatedDeploymentController implements AutoCloseable {
  private static final String BY_OWNER = "owner";
  private static final int WORKERS = 2;

  private final KubernetesClient client;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("simulated-kubelet"));
  private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, daemon("simulated-deployment-controller"));
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private volatile Predicate<String> neverReady = image -> image.contains("crash");
  private volatile RuntimeException lastError;
  /** Pod objects too, for people who look at them; off by default (the scale bench does without). */
  private volatile SimulatedPods pods;

  private SharedIndexInformer<Deployment> deployments;
  private SharedIndexInformer<ReplicaSet> replicaSets;
  private final WorkQueue queue = new WorkQueue();
  /** Deployments with pods still starting: the ticker looks at them again until they are ready. */
  private final Set<String> starting = ConcurrentHashMap.newKeySet();
  /** Our own writes, until the informers catch up with them, so that no decision reads a stale cache. */
  private final Map<String, HasMetadata> written = new ConcurrentHashMap<>();

  // Pods become ready this long after they start, on this clock (none by default: ready at once).
  private volatile Clock clock = Clock.systemUTC();
  private volatile Duration readinessDelay = Duration.ZERO;
  /** When each ReplicaSet's pods started, oldest first: the newest go first on a scale-down. */
  private final Map<String, Deque<Instant>> podStarts = new ConcurrentHashMap<>();

  public SimulatedDeploymentController(KubernetesClient client) {
    this.client = client;
  }

  /** Pods pass their readiness probe {@code delay} after they start, as read on {@code clock}. */
  public SimulatedDeploymentController withReadinessDelay(Clock clock, Duration delay) {
    this.clock = clock;
    this.readinessDelay = delay;
    return this;
  }

  /** Writes the pods of each ReplicaSet as well (created, Ready, crash-looping, deleted), from now on. */
  public SimulatedDeploymentController withPods() {
    this.pods = new SimulatedPods(client);
    if (deployments != null) {
      deployments.getStore().listKeys().forEach(queue::add);
    }
    return this;
  }

  public SimulatedDeploymentController start() {
    replicaSets = client.apps().replicaSets().inAnyNamespace().runnableInformer(0);
    replicaSets.addIndexers(Map.of(BY_OWNER, rs -> Optional.ofNullable(rs.getMetadata().getOwnerReferences()).orElse(List.of())
        .stream().map(OwnerReference::getUid).toList()));
    replicaSets.addEventHandler(handler(this::enqueueOwner));
    deployments = client.apps().deployments().inAnyNamespace().runnableInformer(0);
    deployments.addEventHandler(handler(d -> queue.add(Cache.metaNamespaceKeyFunc(d))));
    replicaSets.run();
    deployments.run();
    for (int i = 0; i < WORKERS; i++) {
      workers.submit(this::work);
    }
    ticker.scheduleWithFixedDelay(() -> starting.forEach(queue::add), 20, 20, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Pods of this Deployment stay unready until {@link #release}. */
  public void hold(String namespace, String deployment) {
    held.add(namespace + "/" + deployment);
    queue.add(namespace + "/" + deployment);
  }

  public void release(String namespace, String deployment) {
    held.remove(namespace + "/" + deployment);
    queue.add(namespace + "/" + deployment);
  }

  public void neverReadyWhen(Predicate<String> image) {
    this.neverReady = image;
    if (deployments != null) {
      deployments.getStore().listKeys().forEach(queue::add);
    }
  }

  public RuntimeException lastError() {
    return lastError;
  }

  private void work() {
    while (!Thread.currentThread().isInterrupted()) {
      String key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        Deployment d = deployments.getStore().getByKey(key);
        if (d != null) {
          sync(d);
        } else {
          starting.remove(key);
          collectReplicaSetsOf(key);
        }
      } catch (KubernetesClientException e) {
        // A concurrent writer or a blip of the API server: the next event or tick tries again.
        lastError = e;
        starting.add(key);
      } catch (RuntimeException e) {
        lastError = e;
      } finally {
        queue.done(key);
      }
    }
  }

  private void sync(Deployment d) {
    String namespace = d.getMetadata().getNamespace();
    String key = namespace + "/" + d.getMetadata().getName();
    int replicas = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
    String hash = podTemplateHash(d.getSpec().getTemplate());
    List<ReplicaSet> owned = new ArrayList<>(replicaSets.getIndexer().byIndex(BY_OWNER, d.getMetadata().getUid()).stream()
        .map(this::freshest).toList());
    ReplicaSet current = owned.stream().filter(rs -> hash.equals(rs.getMetadata().getLabels().get("pod-template-hash")))
        .findFirst().orElse(null);
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    if (current == null && !paused) {
      current = createReplicaSet(d, hash);
      owned.add(current);
    }
    boolean podsMayBeReady = !held.contains(key);

    Map<String, Integer> want = new HashMap<>();
    owned.forEach(rs -> want.put(rs.getMetadata().getName(), rs.getSpec().getReplicas()));
    Map<String, Integer> ready = new HashMap<>();
    owned.forEach(rs -> ready.put(rs.getMetadata().getName(), readyPods(rs, rs.getSpec().getReplicas(), podsMayBeReady)));
    if (paused) {
      ReplicaSetScaling.paused(owned, current, replicas, want);
    } else if (d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType())) {
      ReplicaSetScaling.recreate(owned, current, replicas, want);
    } else {
      ReplicaSetScaling.rollingUpdate(d, owned, current, replicas, want, ready);
    }

    int total = 0;
    int totalReady = 0;
    int updated = 0;
    boolean stillStarting = false;
    for (ReplicaSet rs : owned) {
      int target = want.get(rs.getMetadata().getName());
      if (target != rs.getSpec().getReplicas()) {
        rs = remember(client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + target + "}}"));
      }
      int readyNow = readyPods(rs, target, podsMayBeReady);
      stillStarting |= podsMayBeReady && !neverReady.test(imageOf(rs)) && readyNow < target;
      if (rs.getStatus() == null || !Objects.equals(rs.getStatus().getReplicas(), target)
          || !Objects.equals(rs.getStatus().getReadyReplicas(), readyNow)) {
        remember(client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).subresource("status")
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"replicas\":%d,\"readyReplicas\":%d,\"availableReplicas\":%d,\"observedGeneration\":%d}}"
                .formatted(target, readyNow, readyNow, Optional.ofNullable(rs.getMetadata().getGeneration()).orElse(1L))));
      }
      SimulatedPods podWriter = pods;
      if (podWriter != null) {
        podWriter.sync(rs, target, readyNow, podsMayBeReady && neverReady.test(imageOf(rs)));
      }
      total += target;
      totalReady += readyNow;
      if (current != null && rs.getMetadata().getName().equals(current.getMetadata().getName())) {
        updated = target;
      }
    }
    if (stillStarting) {
      starting.add(key);
    } else {
      starting.remove(key);
    }
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(total)
        .withUpdatedReplicas(updated)
        .withReadyReplicas(totalReady)
        .withAvailableReplicas(totalReady)
        .withUnavailableReplicas(Math.max(0, replicas - totalReady))
        .build();
    Deployment seen = freshest(d);
    if (!sameStatus(seen.getStatus(), status)) {
      remember(client.apps().deployments().inNamespace(namespace).withName(d.getMetadata().getName()).subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(Map.of("status", status))));
    }
  }

  private ReplicaSet createReplicaSet(Deployment d, String hash) {
    ReplicaSet fresh = newReplicaSet(d, hash);
    try {
      return remember(client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(fresh).create());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      ReplicaSet existing = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace())
          .withName(fresh.getMetadata().getName()).require();
      if (existing.getMetadata().getOwnerReferences().stream().noneMatch(o -> d.getMetadata().getUid().equals(o.getUid()))) {
        // Left by an earlier Deployment of the same name: collect it, and create ours on the next pass.
        client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).withName(fresh.getMetadata().getName()).delete();
        throw e;
      }
      // Created by an earlier pass whose write the cache had not shown yet.
      return remember(existing);
    }
  }

  /**
   * The garbage collector's part: the ReplicaSets of a deleted Deployment go with it. Run by a worker
   * once the Deployment has left the cache, so no sync of it can create another meanwhile.
   */
  private void collectReplicaSetsOf(String deploymentKey) {
    String namespace = deploymentKey.substring(0, deploymentKey.indexOf('/'));
    String name = deploymentKey.substring(deploymentKey.indexOf('/') + 1);
    for (ReplicaSet rs : replicaSets.getStore().list()) {
      boolean orphan = namespace.equals(rs.getMetadata().getNamespace()) && Optional.ofNullable(rs.getMetadata().getOwnerReferences())
          .orElse(List.of()).stream().anyMatch(o -> "Deployment".equals(o.getKind()) && name.equals(o.getName()));
      if (orphan) {
        client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).delete();
        podStarts.remove(namespace + "/" + rs.getMetadata().getName());
        SimulatedPods podWriter = pods;
        if (podWriter != null) {
          podWriter.forget(namespace, rs.getMetadata().getName());
        }
        written.remove(writtenKey(rs));
      }
    }
    written.remove("Deployment/" + deploymentKey);
  }

  private int readyPods(ReplicaSet rs, int count, boolean podsMayBeReady) {
    return podsMayBeReady && !neverReady.test(imageOf(rs)) ? startedLongEnough(rs, count) : 0;
  }

  private static String imageOf(ReplicaSet rs) {
    return rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** How many of the ReplicaSet's {@code count} pods started at least the readiness delay ago. */
  private int startedLongEnough(ReplicaSet rs, int count) {
    if (readinessDelay.isZero()) {
      return count;
    }
    Instant now = clock.instant();
    Deque<Instant> starts = podStarts.computeIfAbsent(
        rs.getMetadata().getNamespace() + "/" + rs.getMetadata().getName(), k -> new ArrayDeque<>());
    synchronized (starts) {
      while (starts.size() < count) {
        starts.addLast(now);
      }
      while (starts.size() > count) {
        starts.removeLast();
      }
      return (int) starts.stream().filter(t -> !t.plus(readinessDelay).isAfter(now)).count();
    }
  }

  private <T extends HasMetadata> T remember(T object) {
    written.put(writtenKey(object), object);
    return object;
  }

  /**
   * The cached object, or our own newer write of it. The mock API server's resource versions are
   * one increasing counter, so the larger is the newer.
   */
  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> T freshest(T cached) {
    HasMetadata mine = written.get(writtenKey(cached));
    if (mine == null) {
      return cached;
    }
    if (version(mine) <= version(cached)) {
      written.remove(writtenKey(cached), mine);
      return cached;
    }
    return (T) mine;
  }

  private static long version(HasMetadata object) {
    try {
      return Long.parseLong(object.getMetadata().getResourceVersion());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String writtenKey(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  private void enqueueOwner(ReplicaSet rs) {
    Optional.ofNullable(rs.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
        .filter(o -> "Deployment".equals(o.getKind()))
        .forEach(o -> queue.add(rs.getMetadata().getNamespace() + "/" + o.getName()));
  }

  private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> onAny) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onAny.accept(obj);
      }

      @Override
      public void onUpdate(T before, T after) {
        onAny.accept(after);
      }

      @Override
      public void onDelete(T obj, boolean unknownFinalState) {
        onAny.accept(obj);
      }
    };
  }

  private static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
    return a != null && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getReplicas(), b.getReplicas()) && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
        && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas()) && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas())
        && Objects.equals(a.getUnavailableReplicas(), b.getUnavailableReplicas());
  }

  private static ReplicaSet newReplicaSet(Deployment d, String hash) {
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

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    workers.shutdownNow();
    if (deployments != null) {
      deployments.close();
      replicaSets.close();
    }
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Keys to sync, each once however often it was added, and never by two workers at once: a key
   * added while it is being synced is synced again afterwards.
   */
  private static final class WorkQueue {
    private final LinkedHashSet<String> waiting = new LinkedHashSet<>();
    private final Set<String> busy = new java.util.HashSet<>();
    private final Set<String> again = new java.util.HashSet<>();

    synchronized void add(String key) {
      if (busy.contains(key)) {
        again.add(key);
      } else if (waiting.add(key)) {
        notifyAll();
      }
    }

    synchronized String take() throws InterruptedException {
      while (waiting.isEmpty()) {
        wait();
      }
      var it = waiting.iterator();
      String key = it.next();
      it.remove();
      busy.add(key);
      return key;
    }

    synchronized void done(String key) {
      busy.remove(key);
      if (again.remove(key) && waiting.add(key)) {
        notifyAll();
      }
    }
  }
}
