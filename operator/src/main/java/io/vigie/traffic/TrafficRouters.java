package io.vigie.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.api.v1alpha1.Limits;
import io.vigie.api.v1alpha1.TrafficRouting;
import io.vigie.domain.Names;
import java.util.List;
import java.util.Optional;

/** Picks the router that {@code spec.trafficRouting} names. */
public final class TrafficRouters {
  private final RouteObjects objects;

  public TrafficRouters(KubernetesClient client) {
    this(RouteObjects.uncached(client));
  }

  /** Routers that read the route objects from these caches (and the API server for kinds not cached). */
  public TrafficRouters(RouteObjects objects) {
    this.objects = objects;
  }

  /** What is wrong with the routing spec itself (the schema rejects it; a spec stored before may not be). */
  public static Optional<String> problem(TrafficRouting routing) {
    int routers = (routing.getGatewayAPI() != null ? 1 : 0) + (routing.getIstio() != null ? 1 : 0)
        + (routing.getNginx() != null ? 1 : 0);
    if (routers != 1) {
      return Optional.of("spec.trafficRouting has " + routers + " routers: give exactly one of gatewayAPI, istio or nginx");
    }
    if (routing.getGatewayAPI() != null && routing.getGatewayAPI().routeNames().isEmpty()) {
      return Optional.of("spec.trafficRouting.gatewayAPI names no HTTPRoute: set httpRoute (or httpRoutes)");
    }
    if (routing.getIstio() != null && (routing.getIstio().getVirtualService() == null
        || routing.getIstio().getVirtualService().getName() == null)) {
      return Optional.of("spec.trafficRouting.istio.virtualService.name is missing: name the VirtualService to weigh");
    }
    if (routing.getNginx() != null && routing.getNginx().getStableIngress() == null) {
      return Optional.of("spec.trafficRouting.nginx.stableIngress is missing: name the Ingress that serves <service>-stable");
    }
    // Names are checked before any lookup: the API server would refuse them, or another namespace's.
    List<String> names = routing.getGatewayAPI() != null ? routing.getGatewayAPI().routeNames()
        : routing.getIstio() != null ? List.of(routing.getIstio().getVirtualService().getName())
        : List.of(routing.getNginx().getStableIngress());
    int max = routing.getNginx() != null ? Limits.DNS_SUBDOMAIN - Limits.CANARY_SUFFIX.length() : Limits.DNS_SUBDOMAIN;
    for (String name : names) {
      if (!Names.isObjectName(name, max)) {
        return Optional.of(routing.fieldPath() + " names " + (name == null ? "nothing" : Names.quote(name))
            + ", not an object of the Rollout's namespace: use its name (lowercase letters, digits, '-' and '.', at most "
            + max + ")");
      }
    }
    return Optional.empty();
  }

  /** The router for a routing spec that {@link #problem} accepts. */
  public TrafficRouter of(TrafficRouting routing) {
    if (routing.getGatewayAPI() != null) {
      return new GatewayApiRouter(objects, routing.getGatewayAPI().routeNames(),
          routing.getGatewayAPI().getHttpRoutes() != null ? "spec.trafficRouting.gatewayAPI.httpRoutes"
              : "spec.trafficRouting.gatewayAPI.httpRoute");
    }
    if (routing.getIstio() != null) {
      return new IstioRouter(objects, routing.getIstio().getVirtualService().getName(),
          Optional.ofNullable(routing.getIstio().getVirtualService().getRoutes()).orElse(java.util.List.of()));
    }
    return new NginxRouter(objects, routing.getNginx().getStableIngress());
  }
}
