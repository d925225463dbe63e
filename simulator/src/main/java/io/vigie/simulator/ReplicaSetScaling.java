package io.vigie.simulator;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many pods each ReplicaSet of a Deployment should have next, as the Deployment controller
 * decides it: a paused Deployment, Recreate, and RollingUpdate paced by maxSurge and maxUnavailable.
 * Each rule fills {@code want} (pods wanted, by ReplicaSet name) from the ReplicaSets' current sizes.
 */
final class ReplicaSetScaling {
  private ReplicaSetScaling() {}

  /** A paused Deployment still follows its replica count, on the ReplicaSet that has the most pods. */
  static void paused(List<ReplicaSet> owned, ReplicaSet current, int replicas, Map<String, Integer> want) {
    int total = want.values().stream().mapToInt(Integer::intValue).sum();
    if (total == replicas || owned.isEmpty()) {
      return;
    }
    ReplicaSet largest = owned.stream().max(Comparator.comparingInt((ReplicaSet rs) -> want.get(rs.getMetadata().getName()))
        .thenComparing(rs -> current != null && rs.getMetadata().getName().equals(current.getMetadata().getName()))).orElseThrow();
    want.compute(largest.getMetadata().getName(), (name, n) -> Math.max(0, n + replicas - total));
  }

  /** Recreate: every old pod goes, then the new ReplicaSet scales up. */
  static void recreate(List<ReplicaSet> owned, ReplicaSet current, int replicas, Map<String, Integer> want) {
    boolean oldLeft = false;
    for (ReplicaSet rs : owned) {
      if (rs != current) {
        oldLeft |= want.get(rs.getMetadata().getName()) > 0;
        want.put(rs.getMetadata().getName(), 0);
      }
    }
    if (!oldLeft) {
      want.put(current.getMetadata().getName(), replicas);
    }
  }

  /**
   * RollingUpdate as Kubernetes paces it: the new ReplicaSet grows while the pods in all stay within
   * {@code replicas + maxSurge}; once it has grown, old pods go while the ready ones stay at least
   * {@code replicas - maxUnavailable}, unready old pods first, as they serve nothing.
   */
  static void rollingUpdate(Deployment d, List<ReplicaSet> owned, ReplicaSet current, int replicas,
      Map<String, Integer> want, Map<String, Integer> ready) {
    var rolling = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    int maxSurge = RollingUpdateBounds.resolve(rolling == null ? null : rolling.getMaxSurge(), replicas, true);
    int maxUnavailable = RollingUpdateBounds.resolve(rolling == null ? null : rolling.getMaxUnavailable(), replicas, false);
    if (maxSurge == 0 && maxUnavailable == 0) {
      maxUnavailable = 1;
    }
    String newName = current.getMetadata().getName();
    int total = want.values().stream().mapToInt(Integer::intValue).sum();
    int newCount = want.get(newName);
    if (newCount > replicas) {
      want.put(newName, replicas);
    } else if (newCount < replicas && replicas + maxSurge - total > 0) {
      want.put(newName, newCount + Math.min(replicas + maxSurge - total, replicas - newCount));
      // As the real controller does: a pass that scales the new ReplicaSet up leaves the old ones to the next.
      return;
    }
    List<ReplicaSet> old = owned.stream().filter(rs -> rs != current)
        .sorted(Comparator.comparing(rs -> Optional.ofNullable(rs.getMetadata().getCreationTimestamp()).orElse(""))).toList();
    int minAvailable = replicas - maxUnavailable;
    int newUnavailable = Math.max(0, want.get(newName) - ready.get(newName));
    int maxScaledDown = want.values().stream().mapToInt(Integer::intValue).sum() - minAvailable - newUnavailable;
    // Unready old pods first, within what may go at all.
    int cleaned = 0;
    for (ReplicaSet rs : old) {
      String name = rs.getMetadata().getName();
      int unready = want.get(name) - Math.min(ready.get(name), want.get(name));
      int cut = Math.max(0, Math.min(unready, maxScaledDown - cleaned));
      want.put(name, want.get(name) - cut);
      cleaned += cut;
    }
    // Then ready old pods, while enough stay ready.
    int available = ready.values().stream().mapToInt(Integer::intValue).sum();
    int removable = available - minAvailable;
    for (ReplicaSet rs : old) {
      String name = rs.getMetadata().getName();
      int down = Math.max(0, Math.min(want.get(name), removable));
      want.put(name, want.get(name) - down);
      removable -= down;
    }
  }
}
