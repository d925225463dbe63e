package io.vigie.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vigie.api.v1alpha1.Rollout;
import java.util.Optional;

/**
 * The only writes Vigie makes to the user's Deployment: {@code spec.paused}, and the annotation
 * naming the Rollout that adopted it. Its replicas and template are never written (invariant 5).
 */
public final class TargetDeployments {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;

  public TargetDeployments(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Pauses or unpauses the Deployment as the decision saw it; pausing marks it as this Rollout's.
   * Each patch tests the generation the decision read: if the template changed since, it fails and
   * the next reconcile decides again, rather than unpausing a template never canaried.
   *
   * @return the Deployment as written; empty when it needed no write
   */
  public Optional<Deployment> pause(Rollout rollout, Deployment seen, boolean paused) {
    String name = rollout.getMetadata().getName();
    boolean marked = TargetView.manager(seen).map(name::equals).orElse(false);
    if (Boolean.TRUE.equals(seen.getSpec().getPaused()) == paused && (marked || !paused)) {
      return Optional.empty();
    }
    ArrayNode patch = testGeneration(seen);
    patch.addObject().put("op", "add").put("path", "/spec/paused").put("value", paused);
    if (paused && !marked) {
      mark(patch, seen, name);
    }
    return Optional.of(apply(seen, patch));
  }

  /** Unpauses the Deployment and removes the mark, if this Rollout's is on it (or none is); returns what was written. */
  public Optional<Deployment> release(Rollout rollout, Deployment seen) {
    Optional<String> marked = TargetView.manager(seen);
    if (marked.isPresent() && !marked.get().equals(rollout.getMetadata().getName())) {
      return Optional.empty();
    }
    ArrayNode patch = JSON.createArrayNode();
    if (marked.isPresent()) {
      // Removed only while it still names this Rollout: another may have taken the Deployment over since.
      patch.addObject().put("op", "test").put("path", annotation()).put("value", marked.get());
      patch.addObject().put("op", "remove").put("path", annotation());
    }
    patch.addObject().put("op", "add").put("path", "/spec/paused").put("value", false);
    return Optional.of(apply(seen, patch));
  }

  private static void mark(ArrayNode patch, Deployment seen, String rollout) {
    if (seen.getMetadata().getAnnotations() == null) {
      patch.addObject().put("op", "add").put("path", "/metadata/annotations").putObject("value").put(Labels.ROLLOUT, rollout);
    } else {
      patch.addObject().put("op", "add").put("path", annotation()).put("value", rollout);
    }
  }

  private static ArrayNode testGeneration(Deployment seen) {
    ArrayNode patch = JSON.createArrayNode();
    patch.addObject().put("op", "test").put("path", "/metadata/generation").put("value", seen.getMetadata().getGeneration());
    return patch;
  }

  private Deployment apply(Deployment seen, ArrayNode patch) {
    // On the object as read: with a name only, fabric8 would GET it first.
    return client.apps().deployments().inNamespace(seen.getMetadata().getNamespace()).resource(seen)
        .patch(PatchContext.of(PatchType.JSON), patch.toString());
  }

  private static String annotation() {
    return "/metadata/annotations/" + Labels.ROLLOUT.replace("~", "~0").replace("/", "~1");
  }
}
