package io.vigie.cli;

import io.vigie.api.v1alpha1.Rollout;
import java.util.Comparator;
import java.util.List;

/** Finds a Rollout by name, or says which names are near when it does not exist. */
final class RolloutLookup {
  private RolloutLookup() {}

  static Rollout get(ClusterOptions.Cluster cluster, String name) {
    Rollout rollout = ApiCalls.call(cluster, "get", "rollouts.vigie.io", cluster.namespace(),
        () -> cluster.client().resources(Rollout.class).inNamespace(cluster.namespace()).withName(name).get());
    if (rollout != null) {
      return rollout;
    }
    List<String> names = ApiCalls.call(cluster, "list", "rollouts.vigie.io", cluster.namespace(),
        () -> cluster.client().resources(Rollout.class).inNamespace(cluster.namespace()).list().getItems()).stream()
        .map(r -> r.getMetadata().getName()).toList();
    List<String> near = names.stream().filter(n -> distance(n, name) <= Math.max(2, name.length() / 3))
        .sorted(Comparator.comparingInt(n -> distance(n, name))).limit(3).toList();
    String hint = !near.isEmpty() ? ": did you mean " + String.join(", ", near) + "?"
        : names.isEmpty() ? ": there is no Rollout in this namespace (another -n NAMESPACE, or -A with vigie list?)"
        : ": the Rollouts here are " + String.join(", ", names.stream().sorted().limit(10).toList());
    throw new CliError(CliError.USAGE, "rollout " + cluster.namespace() + "/" + name + " not found" + hint);
  }

  /** Levenshtein distance: how many single-character edits turn a into b. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
