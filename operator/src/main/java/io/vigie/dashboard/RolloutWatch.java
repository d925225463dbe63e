package io.vigie.dashboard;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vigie.api.v1alpha1.Rollout;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What the dashboard shows, from one watch per kind (Rollouts, their Events, Deployments and
 * ReplicaSets for the images) whatever the number of browser tabs; each change of a Rollout or of
 * its Events is told to the listeners (the open pages) by the Rollout's key, "namespace/name". The
 * canary's weight is kept as it changes, for the traffic chart.
 */
final class RolloutWatch implements AutoCloseable {
  static final int TRAFFIC_POINTS = 500;

  record TrafficPoint(Instant at, int weight) {}

  /** The images of the stable revision and of the canary, for people: "shop/web:v1". */
  record Images(String stable, String canary) {}

  private final Clock clock;
  private final SharedIndexInformer<Rollout> rollouts;
  private final SharedIndexInformer<Event> events;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<TrafficPoint>> traffic = new ConcurrentHashMap<>();

  RolloutWatch(KubernetesClient client, Optional<String> namespace, Clock clock) {
    this.clock = clock;
    this.rollouts = scope(client.resources(Rollout.class), namespace).inform(new Handler<>(r -> {
      record(r);
      tell(key(r));
    }));
    this.events = scope(client.v1().events(), namespace).inform(new Handler<>(e -> {
      if (e.getInvolvedObject() != null && "Rollout".equals(e.getInvolvedObject().getKind())) {
        tell(e.getInvolvedObject().getNamespace() + "/" + e.getInvolvedObject().getName());
      }
    }));
    this.deployments = scope(client.apps().deployments(), namespace).inform();
    this.replicaSets = scope(client.apps().replicaSets(), namespace).inform();
  }

  private static <T extends HasMetadata> Informable<T> scope(MixedOperation<T, ?, ?> operation, Optional<String> namespace) {
    if (namespace.isPresent()) {
      return operation.inNamespace(namespace.get());
    }
    return operation.inAnyNamespace();
  }

  static String key(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  void removeListener(Consumer<String> listener) {
    listeners.remove(listener);
  }

  private void tell(String key) {
    listeners.forEach(l -> l.accept(key));
  }

  private void record(Rollout rollout) {
    if (rollout.getStatus() == null) {
      return;
    }
    int weight = Optional.ofNullable(rollout.getStatus().getCanaryWeight()).orElse(0);
    Deque<TrafficPoint> points = traffic.computeIfAbsent(key(rollout), k -> new ArrayDeque<>());
    synchronized (points) {
      if (points.isEmpty() || points.peekLast().weight() != weight) {
        points.addLast(new TrafficPoint(clock.instant(), weight));
        while (points.size() > TRAFFIC_POINTS) {
          points.removeFirst();
        }
      }
    }
  }

  List<Rollout> rollouts() {
    return List.copyOf(rollouts.getStore().list());
  }

  Optional<Rollout> rollout(String namespace, String name) {
    return Optional.ofNullable(rollouts.getStore().getByKey(namespace + "/" + name));
  }

  /** The weights the canary had since the dashboard started, oldest first. */
  List<TrafficPoint> traffic(String namespace, String name) {
    Deque<TrafficPoint> points = traffic.get(namespace + "/" + name);
    if (points == null) {
      return List.of();
    }
    synchronized (points) {
      return List.copyOf(points);
    }
  }

  /** The Rollout's Events, newest first, at most {@code limit}. */
  List<Event> events(String namespace, String name, int limit) {
    return events.getStore().list().stream()
        .filter(e -> e.getInvolvedObject() != null && "Rollout".equals(e.getInvolvedObject().getKind())
            && namespace.equals(e.getInvolvedObject().getNamespace()) && name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(RolloutWatch::when).reversed())
        .limit(limit).collect(Collectors.toList());
  }

  static String when(Event e) {
    return Objects.requireNonNullElse(e.getLastTimestamp() != null ? e.getLastTimestamp()
        : e.getEventTime() != null ? e.getEventTime().getTime() : e.getMetadata().getCreationTimestamp(), "");
  }

  /** The stable and canary images of the Rollout's Deployment, from its ReplicaSets (unknown: empty text). */
  Images images(Rollout rollout) {
    if (rollout.getSpec() == null || rollout.getSpec().getTargetRef() == null) {
      return new Images("", "");
    }
    String namespace = rollout.getMetadata().getNamespace();
    Deployment target = deployments.getStore().getByKey(namespace + "/" + rollout.getSpec().getTargetRef().getName());
    if (target == null) {
      return new Images("", "");
    }
    String current = images(target.getSpec().getTemplate());
    var status = rollout.getStatus();
    if (status == null || status.getCanaryRevision() == null) {
      return new Images(current, "");
    }
    String stableHash = status.getStablePodTemplateHash();
    String stable = replicaSets.getStore().list().stream()
        .filter(rs -> namespace.equals(rs.getMetadata().getNamespace()) && rs.getMetadata().getLabels() != null
            && stableHash != null && stableHash.equals(rs.getMetadata().getLabels().get("pod-template-hash")))
        .findFirst().map(rs -> images(rs.getSpec().getTemplate())).orElse("");
    return new Images(stable, current);
  }

  private static String images(PodTemplateSpec template) {
    if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) {
      return "";
    }
    return template.getSpec().getContainers().stream().map(c -> c.getImage()).collect(Collectors.joining(", "));
  }

  @Override
  public void close() {
    rollouts.close();
    events.close();
    deployments.close();
    replicaSets.close();
  }

  /** Every add, update and delete as one call. */
  private static final class Handler<T> implements ResourceEventHandler<T> {
    private final Consumer<T> changed;

    Handler(Consumer<T> changed) {
      this.changed = changed;
    }

    @Override
    public void onAdd(T object) {
      changed.accept(object);
    }

    @Override
    public void onUpdate(T before, T after) {
      changed.accept(after);
    }

    @Override
    public void onDelete(T object, boolean unknownFinalState) {
      changed.accept(object);
    }
  }
}
