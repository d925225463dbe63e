package io.vigie.traffic;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Where the routers read the route objects: the operator's informer cache of that kind when it
 * watches it (the kind's API was served when the operator started), else the API server. Every
 * object handed out is a copy the router may edit; every write is told to the cache, so that the
 * next reconcile reads it even before the watch brings it (read-after-write).
 */
public final class RouteObjects {
  /**
   * An informer cache of one kind.
   *
   * @param get the object of this namespace and name, as cached (shared: never edited)
   * @param written told of each write: the object as written, and as read before (absent for a create)
   */
  public record Cache<T extends HasMetadata>(BiFunction<String, String, Optional<T>> get, BiConsumer<T, Optional<T>> written) {}

  private final KubernetesClient client;
  private final Optional<Cache<HTTPRoute>> httpRoutes;
  private final Optional<Cache<GenericKubernetesResource>> virtualServices;
  private final Optional<Cache<Ingress>> ingresses;

  public RouteObjects(KubernetesClient client, Optional<Cache<HTTPRoute>> httpRoutes,
      Optional<Cache<GenericKubernetesResource>> virtualServices, Optional<Cache<Ingress>> ingresses) {
    this.client = client;
    this.httpRoutes = httpRoutes;
    this.virtualServices = virtualServices;
    this.ingresses = ingresses;
  }

  /** Every route object read from the API server: no informer. */
  public static RouteObjects uncached(KubernetesClient client) {
    return new RouteObjects(client, Optional.empty(), Optional.empty(), Optional.empty());
  }

  KubernetesClient client() {
    return client;
  }

  Optional<HTTPRoute> httpRoute(String namespace, String name) {
    return read(httpRoutes, namespace, name,
        () -> client.resources(HTTPRoute.class).inNamespace(namespace).withName(name).get());
  }

  Optional<GenericKubernetesResource> virtualService(String namespace, String name) {
    return read(virtualServices, namespace, name,
        () -> client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace(namespace).withName(name).get());
  }

  Optional<Ingress> ingress(String namespace, String name) {
    return read(ingresses, namespace, name, () -> client.network().v1().ingresses().inNamespace(namespace).withName(name).get());
  }

  void writtenHttpRoute(HTTPRoute after, Optional<HTTPRoute> before) {
    httpRoutes.ifPresent(c -> c.written().accept(after, before));
  }

  void writtenVirtualService(GenericKubernetesResource after, Optional<GenericKubernetesResource> before) {
    virtualServices.ifPresent(c -> c.written().accept(after, before));
  }

  void writtenIngress(Ingress after, Optional<Ingress> before) {
    ingresses.ifPresent(c -> c.written().accept(after, before));
  }

  private <T extends HasMetadata> Optional<T> read(Optional<Cache<T>> cache, String namespace, String name,
      java.util.function.Supplier<T> fresh) {
    if (cache.isPresent()) {
      return cache.get().get().apply(namespace, name).map(o -> client.getKubernetesSerialization().clone(o));
    }
    return Optional.ofNullable(fresh.get());
  }
}
