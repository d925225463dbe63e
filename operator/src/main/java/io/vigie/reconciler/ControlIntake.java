package io.vigie.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.core.PendingControl;
import io.vigie.core.PendingControl.Control;
import java.util.List;
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

  /** The Rollout after accepting at most one requested control; the write goes into JOSDK's cache. */
  Rollout accept(Rollout rollout, Context<Rollout> context) {
    Map<String, String> annotations = Optional.ofNullable(rollout.getMetadata().getAnnotations()).orElse(Map.of());
    if (annotations.get(ACCEPTED) != null) {
      return rollout;
    }
    // An abort or a pause must not lose to a promote given at the same time.
    for (Control control : List.of(Control.ABORT, Control.PAUSE, Control.RESUME, Control.PROMOTE, Control.RETRY)) {
      String value = annotations.get(control.annotation());
      if (value != null) {
        ArrayNode patch = JSON.createArrayNode();
        // The test makes the swap fail if the Rollout changed since we read it.
        patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
            .put("value", rollout.getMetadata().getResourceVersion());
        patch.addObject().put("op", "remove").put("path", pointer(control.annotation()));
        patch.addObject().put("op", "add").put("path", pointer(ACCEPTED))
            .put("value", control.word() + "=" + value + "#" + UUID.randomUUID());
        // On the object as read: with a name only, fabric8 would GET it first.
        Rollout accepted = client.resources(Rollout.class).inNamespace(rollout.getMetadata().getNamespace())
            .resource(rollout)
            .patch(PatchContext.of(PatchType.JSON), patch.toString());
        remember(context, rollout, accepted);
        return accepted;
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

  static boolean hasAccepted(Rollout rollout) {
    Map<String, String> annotations = rollout.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(ACCEPTED);
  }

  void clear(Rollout rollout, Context<Rollout> context) {
    ArrayNode patch = JSON.createArrayNode();
    patch.addObject().put("op", "remove").put("path", pointer(ACCEPTED));
    try {
      remember(context, rollout, client.resources(Rollout.class).inNamespace(rollout.getMetadata().getNamespace())
          .resource(rollout)
          .patch(PatchContext.of(PatchType.JSON), patch.toString()));
    } catch (KubernetesClientException e) {
      // Already gone (HTTP 422 from a remove of a missing path): nothing left to clear.
      if (e.getCode() != 422 && e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Read-after-write: the next reconcile reads this write even before the watch brings it. */
  private static void remember(Context<Rollout> context, Rollout before, Rollout after) {
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(after), after, before);
  }

  /** JSON pointer (RFC 6901) to an annotation. */
  private static String pointer(String annotation) {
    return "/metadata/annotations/" + annotation.replace("~", "~0").replace("/", "~1");
  }
}
