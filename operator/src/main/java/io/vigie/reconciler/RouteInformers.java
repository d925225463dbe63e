package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.vigie.api.v1alpha1.Rollout;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The informers on route objects: which Rollouts a route object concerns, and whether its kind is served. */
final class RouteInformers {
  private static final Logger LOG = LoggerFactory.getLogger(RouteInformers.class);

  private RouteInformers() {}

  /** A route object concerns the Rollouts that name it, and the one that owns it (NGINX's canary Ingress). */
  static <R extends HasMetadata> InformerEventSourceConfiguration<R> config(
      InformerEventSourceConfiguration.Builder<R> builder, String resource, IndexerResourceCache<Rollout> rollouts) {
    return builder.withName(resource)
        .withSecondaryToPrimaryMapper(o -> RolloutReconciler.rolloutsOf(o, rollouts, RolloutReconciler.ROUTE_INDEX, resource + ":" + o.getMetadata().getName()))
        .withOnAddFilter(RelevantChanges::createdByOthers)
        .build();
  }

  /** The route objects a Rollout names, as {@code namespace/resource:name}. */
  static List<String> routeKeys(Rollout r) {
    if (r.getSpec() == null || r.getSpec().getTrafficRouting() == null) {
      return List.of();
    }
    io.vigie.api.v1alpha1.TrafficRouting routing = r.getSpec().getTrafficRouting();
    String namespace = r.getMetadata().getNamespace();
    List<String> keys = new java.util.ArrayList<>();
    if (routing.getGatewayAPI() != null) {
      routing.getGatewayAPI().routeNames().forEach(n -> keys.add(RolloutReconciler.key(namespace, "httproutes:" + n)));
    }
    if (routing.getIstio() != null && routing.getIstio().getVirtualService() != null) {
      keys.add(RolloutReconciler.key(namespace, "virtualservices:" + routing.getIstio().getVirtualService().getName()));
    }
    if (routing.getNginx() != null) {
      keys.add(RolloutReconciler.key(namespace, "ingresses:" + routing.getNginx().getStableIngress()));
    }
    return keys;
  }

  /** Whether the API server serves a kind; a discovery that fails reads as no. */
  static boolean served(java.util.function.BooleanSupplier discovery) {
    try {
      return discovery.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn("API discovery failed ({}): that route kind is read from the API server, not watched", e.toString());
      return false;
    }
  }
}
