package io.vigie.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.core.PendingControl;
import io.vigie.core.PendingControl.Control;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Manual controls arrive as annotations (vigie.io/promote, ...). To apply each exactly once across
 * operator restarts, the operator first swaps the request for vigie.io/accepted-control with a
 * fresh id in one write, applies it (recording the id in status), then clears it.
 */
final class ControlIntake {
  static final String ACCEPTED = "vigie.io/accepted-control";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;

  ControlIntake(KubernetesClient client) {
    this.client = client;
  }

  /** The Rollout after accepting at most one requested control. */
  Rollout accept(Rollout rollout) {
    Map<String, String> annotations = Optional.ofNullable(rollout.getMetadata().getAnnotations()).orElse(Map.of());
    if (annotations.containsKey(ACCEPTED)) {
      return rollout;
    }
    for (Control control : Control.values()) {
      String value = annotations.get(control.annotation());
      if (value != null) {
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        // The resourceVersion makes the swap fail if the Rollout changed since we read it.
        metadata.put("resourceVersion", rollout.getMetadata().getResourceVersion());
        ObjectNode changes = metadata.putObject("annotations");
        changes.putNull(control.annotation());
        changes.put(ACCEPTED, control.word() + "=" + value + "#" + UUID.randomUUID());
        return client.resources(Rollout.class).inNamespace(rollout.getMetadata().getNamespace())
            .withName(rollout.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
      }
    }
    return rollout;
  }

  static Optional<PendingControl> pending(Rollout rollout) {
    String accepted = Optional.ofNullable(rollout.getMetadata().getAnnotations()).map(a -> a.get(ACCEPTED)).orElse(null);
    if (accepted == null) {
      return Optional.empty();
    }
    int eq = accepted.indexOf('=');
    int hash = accepted.lastIndexOf('#');
    if (eq < 0 || hash < eq) {
      return Optional.empty();
    }
    return Control.fromWord(accepted.substring(0, eq))
        .map(c -> new PendingControl(c, accepted.substring(eq + 1, hash), accepted.substring(hash + 1)));
  }

  void clear(Rollout rollout) {
    client.resources(Rollout.class).inNamespace(rollout.getMetadata().getNamespace())
        .withName(rollout.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + ACCEPTED + "\":null}}}");
  }
}
