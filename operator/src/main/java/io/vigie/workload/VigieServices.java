package io.vigie.workload;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.domain.ActivePin;
import io.vigie.domain.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Services Vigie owns next to the user's: {@code <service>-stable} selects the stable pods of
 * the target, {@code <service>-canary} the canary pods, {@code <service>-baseline} the baseline's (only
 * with a baseline), {@code <service>-preview} the green pods of a blue-green release (unless it names a
 * preview Service of the user's). Traffic routers and metrics point at them. A blue-green Rollout
 * without a router also pins the user's Service to one side ({@link ActivePin}).
 */
public final class VigieServices {
  /** Names the deleted Rollout that left a Service behind for its route. */
  public static final String RELEASED = "vigie.io/released-by";

  private final KubernetesClient client;

  public VigieServices(KubernetesClient client) {
    this.client = client;
  }

  public static String stableName(String service) {
    return Names.stableService(service);
  }

  public static String canaryName(String service) {
    return Names.canaryService(service);
  }

  public static String baselineName(String service) {
    return Names.baselineService(service);
  }

  /**
   * Points the stable Service at the target pods of this hash, or at all target pods when null.
   *
   * @param existing the stable Service as last read or written in this reconcile
   * @return the stable Service as it now is: {@code existing}'s object itself when nothing needed writing
   */
  public Service pointStable(Rollout rollout, Service user, String podTemplateHash, Optional<Service> existing) {
    Map<String, String> selector = ActivePin.userSelector(user.getSpec().getSelector());
    if (podTemplateHash != null) {
      selector.put(Labels.POD_TEMPLATE_HASH, podTemplateHash);
    }
    return ensure(rollout, user, stableName(user.getMetadata().getName()), Labels.STABLE, selector, existing);
  }

  /**
   * Makes the canary Service select the canary pods.
   *
   * @param existing the canary Service as last read or written in this reconcile
   * @return the canary Service as it now is
   */
  public Service ensureCanary(Rollout rollout, Service user, Optional<Service> existing) {
    Map<String, String> selector = ActivePin.userSelector(user.getSpec().getSelector());
    selector.put(Labels.ROLE, Labels.CANARY);
    return ensure(rollout, user, canaryName(user.getMetadata().getName()), Labels.CANARY, selector, existing);
  }

  /**
   * Makes the baseline Service select the baseline pods.
   *
   * @param existing the baseline Service as last read or written in this reconcile
   * @return the baseline Service as it now is
   */
  public Service ensureBaseline(Rollout rollout, Service user, Optional<Service> existing) {
    Map<String, String> selector = ActivePin.userSelector(user.getSpec().getSelector());
    selector.put(Labels.ROLE, Labels.BASELINE);
    return ensure(rollout, user, baselineName(user.getMetadata().getName()), Labels.BASELINE, selector, existing);
  }

  /**
   * Makes the preview Service select the green pods: the Vigie-owned {@code <service>-preview}, or,
   * when the Rollout names one, the user's (only its selector is Vigie's).
   *
   * @param existing the preview Service as last read or written in this reconcile
   */
  public Service ensurePreview(Rollout rollout, Service user, boolean usersOwn, Optional<Service> existing) {
    Map<String, String> selector = ActivePin.userSelector(user.getSpec().getSelector());
    selector.put(Labels.ROLE, Labels.CANARY);
    if (!usersOwn) {
      return ensure(rollout, user, Names.previewService(user.getMetadata().getName()), Labels.PREVIEW, selector, existing);
    }
    Service preview = existing.orElseThrow();
    if (Objects.equals(preview.getSpec().getSelector(), selector)) {
      return preview;
    }
    Service edited = io.fabric8.kubernetes.client.utils.Serialization.clone(preview);
    edited.getSpec().setSelector(selector);
    // Written on the version read: a concurrent edit of the user's fails this write, not theirs.
    return client.services().inNamespace(preview.getMetadata().getNamespace()).resource(edited).update();
  }

  /**
   * Pins the user's (active) Service to one side of a blue-green release, or unpins it: one write,
   * on the version read, that changes nothing but the selector's pin.
   */
  public Service pinActive(Service user, ActivePin pin) {
    Map<String, String> selector = pin.applyTo(user.getSpec().getSelector());
    if (Objects.equals(user.getSpec().getSelector(), selector)) {
      return user;
    }
    Service edited = io.fabric8.kubernetes.client.utils.Serialization.clone(user);
    edited.getSpec().setSelector(selector);
    return client.services().inNamespace(user.getMetadata().getNamespace()).resource(edited).update();
  }

  private static List<String> names(String service) {
    // A Service name too long for a baseline had none: never looked up.
    return java.util.stream.Stream.of(stableName(service), canaryName(service), baselineName(service),
            Names.previewService(service))
        .filter(n -> n.length() <= io.vigie.api.v1alpha1.Limits.DNS_LABEL).toList();
  }

  /** Deletes the stable, canary and baseline Services this Rollout owns; same-named Services of others stay. */
  public void delete(Rollout rollout, String namespace, String service) {
    for (String name : names(service)) {
      Service existing = client.services().inNamespace(namespace).withName(name).get();
      if (existing != null && Ownership.ownedBy(existing, rollout)) {
        client.services().inNamespace(namespace).withName(name).delete();
      }
    }
  }

  /**
   * The Rollout is deleted but a route of the user's still points at its Services: they stay, no
   * longer owned (so not collected), both selecting all the target's pods as the user's Service
   * does, and marked so that a new Rollout for the same Service takes them over.
   */
  public void release(Rollout rollout, java.util.Optional<Service> user) {
    String namespace = rollout.getMetadata().getNamespace();
    String service = rollout.getSpec().getService().getName();
    for (String name : names(service)) {
      Service existing = client.services().inNamespace(namespace).withName(name).get();
      if (existing == null || !Ownership.ownedBy(existing, rollout)) {
        continue;
      }
      existing.getMetadata().setOwnerReferences(new ArrayList<>());
      Map<String, String> annotations = new HashMap<>(
          existing.getMetadata().getAnnotations() == null ? Map.of() : existing.getMetadata().getAnnotations());
      annotations.put(RELEASED, rollout.getMetadata().getName());
      existing.getMetadata().setAnnotations(annotations);
      user.ifPresent(u -> existing.getSpec().setSelector(ActivePin.userSelector(u.getSpec().getSelector())));
      client.services().inNamespace(namespace).resource(existing).update();
    }
  }

  /** True for a Service a deleted Rollout left to its route (see {@link #release}). */
  public static boolean released(Service service) {
    return service.getMetadata().getAnnotations() != null && service.getMetadata().getAnnotations().containsKey(RELEASED)
        && service.getMetadata().getLabels() != null && "vigie".equals(service.getMetadata().getLabels().get(Labels.MANAGED_BY));
  }

  private Service ensure(Rollout rollout, Service user, String name, String role, Map<String, String> selector,
      Optional<Service> observed) {
    String namespace = user.getMetadata().getNamespace();
    List<ServicePort> ports = ports(user);
    if (observed.isEmpty()) {
      return client.services().inNamespace(namespace).resource(Ownership.own(new ServiceBuilder()
          .withMetadata(new ObjectMetaBuilder()
              .withName(name)
              .withNamespace(namespace)
              .withLabels(Ownership.labels(rollout, role))
              .build())
          .withNewSpec()
          .withType("ClusterIP")
          .withSelector(selector)
          .withPorts(ports)
          .endSpec()
          .build(), rollout)).create();
    }
    // A copy: the observed object is the reconcile's record of what the cluster showed.
    Service existing = io.fabric8.kubernetes.client.utils.Serialization.clone(observed.get());
    boolean takeOver = !Ownership.ownedBy(existing, rollout) && released(existing);
    if (!takeOver && Objects.equals(existing.getSpec().getSelector(), selector) && Objects.equals(existing.getSpec().getPorts(), ports)) {
      return observed.get();
    }
    if (takeOver) {
      existing.getMetadata().setOwnerReferences(new ArrayList<>());
      Ownership.own(existing, rollout);
      existing.getMetadata().getAnnotations().remove(RELEASED);
      existing.getMetadata().setLabels(Ownership.labels(rollout, role));
    }
    existing.getSpec().setSelector(selector);
    existing.getSpec().setPorts(ports);
    return client.services().inNamespace(namespace).resource(existing).update();
  }

  private static List<ServicePort> ports(Service user) {
    return user.getSpec().getPorts().stream()
        .map(p -> new ServicePortBuilder()
            .withName(p.getName())
            .withPort(p.getPort())
            .withTargetPort(p.getTargetPort())
            .withProtocol(p.getProtocol())
            // How a gateway speaks to the pods (h2c, gRPC, WebSocket): lost, a route to -stable would speak HTTP/1.1.
            .withAppProtocol(p.getAppProtocol())
            .build())
        .toList();
  }
}
