package io.vigie.traffic;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.core.HeaderMatch;
import io.vigie.core.Observation;
import io.vigie.workload.Ownership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * NGINX Ingress: the user's Ingress sends to {@code <service>-stable}; Vigie owns a second one,
 * {@code <ingress>-canary}, with the same rules towards {@code <service>-canary} and ingress-nginx's
 * canary annotations (weight, and header). It exists only while the canary gets traffic.
 */
final class NginxRouter implements TrafficRouter {
  static final String PREFIX = "nginx.ingress.kubernetes.io/";
  static final String CANARY = PREFIX + "canary";
  static final String WEIGHT = PREFIX + "canary-weight";
  static final String WEIGHT_TOTAL = PREFIX + "canary-weight-total";
  static final String BY_HEADER = PREFIX + "canary-by-header";
  static final String BY_HEADER_VALUE = PREFIX + "canary-by-header-value";
  private static final String FIELD = "spec.trafficRouting.nginx.stableIngress";
  private static final String LEGACY_CLASS = "kubernetes.io/ingress.class";

  private final RouteObjects objects;
  private final KubernetesClient client;
  private final String stableIngress;

  NginxRouter(RouteObjects objects, String stableIngress) {
    this.objects = objects;
    this.client = objects.client();
    this.stableIngress = stableIngress;
  }

  static String canaryName(String stableIngress) {
    return stableIngress + "-canary";
  }

  @Override
  public Observation.Route observe(RouteTarget target) {
    String object = "Ingress " + target.namespace() + "/" + canaryName(stableIngress);
    List<String> problems = new ArrayList<>();
    String stableObject = "Ingress " + target.namespace() + "/" + stableIngress;
    Optional<Ingress> stable = RouteReads.get(() -> objects.ingress(target.namespace(), stableIngress).orElse(null), stableObject,
        "ingresses.networking.k8s.io", problems);
    if (stable.isEmpty()) {
      return Observation.Route.unusable(object, problems.isEmpty()
          ? stableObject + " not found: create it or fix " + FIELD : problems.get(0));
    }
    if (!sendsTo(stable.get().getSpec(), target.stableService())) {
      return Observation.Route.unusable(object, stableObject + " sends no traffic to Service " + target.stableService()
          + ": point its backend at " + target.stableService() + " (Vigie creates that Service) or fix " + FIELD);
    }
    if (canaryName(stableIngress).length() > 253) {
      return Observation.Route.unusable(object, FIELD + " is too long for Vigie's canary Ingress <ingress>-canary");
    }
    Ingress canary = objects.ingress(target.namespace(), canaryName(stableIngress)).orElse(null);
    if (canary == null) {
      return new Observation.Route(object, Optional.of(0), Optional.empty(), List.of());
    }
    if (!Ownership.ownedBy(canary, target.rollout())) {
      return Observation.Route.unusable(object, object + " exists and is not owned by this Rollout: Vigie needs that name "
          + "for its canary Ingress; rename or delete it");
    }
    Map<String, String> annotations = Optional.ofNullable(canary.getMetadata().getAnnotations()).orElse(Map.of());
    Optional<HeaderMatch> header = Optional.ofNullable(annotations.get(BY_HEADER))
        .map(h -> new HeaderMatch(h, annotations.getOrDefault(BY_HEADER_VALUE, "")));
    Optional<Integer> weight = parseWeight(annotations);
    // Rules that drifted from the user's Ingress read as a wrong weight, so that Vigie writes them again.
    IngressSpec expected = canarySpec(stable.get(), target);
    if (expected.getIngressClassName() == null) {
      // The API server may fill in the default class: not a drift.
      expected.setIngressClassName(canary.getSpec().getIngressClassName());
    }
    boolean current = "true".equals(annotations.get(CANARY)) && "100".equals(annotations.get(WEIGHT_TOTAL))
        && Objects.equals(canary.getSpec(), expected);
    return new Observation.Route(object, current ? weight : Optional.empty(), header, List.of());
  }

  @Override
  public void apply(RouteTarget target, int stableWeight, int canaryWeight, int baselineWeight, Optional<HeaderMatch> header) {
    if (baselineWeight != 0) {
      // The validation refuses a baseline with NGINX: its canary Ingress has one backend.
      throw new IllegalStateException("an NGINX canary Ingress cannot send traffic to a baseline: turn "
          + "spec.strategy.canary.baseline off or use gatewayAPI or istio");
    }
    Optional<Ingress> read = objects.ingress(target.namespace(), canaryName(stableIngress));
    Ingress existing = read.orElse(null);
    if (canaryWeight == 0 && header.isEmpty()) {
      if (existing != null && Ownership.ownedBy(existing, target.rollout())) {
        ingresses(target).withName(canaryName(stableIngress)).delete();
      }
      return;
    }
    Ingress stable = objects.ingress(target.namespace(), stableIngress).orElse(null);
    if (stable == null) {
      throw new IllegalStateException("Ingress " + target.namespace() + "/" + stableIngress + " not found: create it or fix "
          + FIELD);
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(CANARY, "true");
    annotations.put(WEIGHT, Integer.toString(canaryWeight));
    // The stable Ingress gets the total less the canary's weight: the total carries the stable side.
    annotations.put(WEIGHT_TOTAL, Integer.toString(stableWeight + canaryWeight));
    header.ifPresent(h -> {
      annotations.put(BY_HEADER, h.name());
      annotations.put(BY_HEADER_VALUE, h.value());
    });
    // ingress-nginx may pick its Ingresses by the older class annotation rather than ingressClassName.
    Optional.ofNullable(stable.getMetadata().getAnnotations()).map(a -> a.get(LEGACY_CLASS))
        .ifPresent(c -> annotations.put(LEGACY_CLASS, c));
    Ingress desired = Ownership.own(new IngressBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withName(canaryName(stableIngress))
            .withNamespace(target.namespace())
            .withLabels(Ownership.labels(target.rollout(), "canary"))
            .withAnnotations(annotations)
            .build())
        .withSpec(canarySpec(stable, target))
        .build(), target.rollout());
    if (existing == null) {
      objects.writtenIngress(ingresses(target).resource(desired).create(), Optional.empty());
      return;
    }
    if (Objects.equals(existing.getMetadata().getAnnotations(), annotations) && Objects.equals(existing.getSpec(), desired.getSpec())) {
      return;
    }
    existing.getMetadata().setAnnotations(annotations);
    existing.setSpec(desired.getSpec());
    objects.writtenIngress(ingresses(target).resource(existing).update(), read);
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Ingress, io.fabric8.kubernetes.api.model.networking.v1.IngressList,
      io.fabric8.kubernetes.client.dsl.Resource<Ingress>> ingresses(RouteTarget target) {
    return client.network().v1().ingresses().inNamespace(target.namespace());
  }

  private static Optional<Integer> parseWeight(Map<String, String> annotations) {
    try {
      return Optional.of(Integer.parseInt(annotations.getOrDefault(WEIGHT, "0")));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The user's rules and TLS, every backend on the stable Service moved to the canary Service. */
  private IngressSpec canarySpec(Ingress stable, RouteTarget target) {
    IngressSpec spec = client.getKubernetesSerialization().clone(stable.getSpec());
    retarget(spec.getDefaultBackend(), target);
    for (IngressRule rule : Optional.ofNullable(spec.getRules()).orElse(List.of())) {
      if (rule.getHttp() != null) {
        for (HTTPIngressPath path : Optional.ofNullable(rule.getHttp().getPaths()).orElse(List.of())) {
          retarget(path.getBackend(), target);
        }
      }
    }
    return spec;
  }

  private static void retarget(IngressBackend backend, RouteTarget target) {
    if (backend != null && backend.getService() != null && target.stableService().equals(backend.getService().getName())) {
      backend.getService().setName(target.canaryService());
    }
  }

  private static boolean sendsTo(IngressSpec spec, String service) {
    if (spec == null) {
      return false;
    }
    if (spec.getDefaultBackend() != null && spec.getDefaultBackend().getService() != null
        && service.equals(spec.getDefaultBackend().getService().getName())) {
      return true;
    }
    return Optional.ofNullable(spec.getRules()).orElse(List.of()).stream()
        .filter(r -> r.getHttp() != null && r.getHttp().getPaths() != null)
        .flatMap(r -> r.getHttp().getPaths().stream())
        .anyMatch(p -> p.getBackend() != null && p.getBackend().getService() != null
            && service.equals(p.getBackend().getService().getName()));
  }
}
