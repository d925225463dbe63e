package io.vigie.traffic;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vigie.core.HeaderMatch;
import io.vigie.core.Observation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Istio (networking.istio.io/v1 VirtualService): in the named http routes, or in every http route
 * whose destinations are {@code <service>-stable} and {@code <service>-canary}, Vigie sets their
 * weights. A header route is an http route of Vigie's ({@code vigie-header-<route>}) placed just
 * before each of those, with the same matches plus the header: Istio takes the first route that matches.
 */
public final class IstioRouter implements TrafficRouter {
  public static final ResourceDefinitionContext VIRTUAL_SERVICE = new ResourceDefinitionContext.Builder()
      .withGroup("networking.istio.io").withVersion("v1").withKind("VirtualService").withPlural("virtualservices")
      .withNamespaced(true).build();
  static final String HEADER_ROUTE_PREFIX = "vigie-header-";
  private static final String FIELD = "spec.trafficRouting.istio.virtualService";

  private final RouteObjects objects;
  private final KubernetesClient client;
  private final String name;
  private final List<String> routeNames;

  IstioRouter(RouteObjects objects, String name, List<String> routeNames) {
    this.objects = objects;
    this.client = objects.client();
    this.name = name;
    this.routeNames = routeNames;
  }

  @Override
  public Observation.Route observe(RouteTarget target) {
    String object = "VirtualService " + target.namespace() + "/" + name;
    List<String> problems = new ArrayList<>();
    Optional<GenericKubernetesResource> vs = RouteReads.get(() -> objects.virtualService(target.namespace(), name).orElse(null),
        object, "virtualservices.networking.istio.io", problems);
    if (vs.isEmpty()) {
      return Observation.Route.unusable(object, problems.isEmpty()
          ? object + " not found: create it or fix " + FIELD + ".name (and install Istio's CRDs if the cluster lacks them)"
          : problems.get(0));
    }
    List<Map<String, Object>> http = http(vs.get());
    for (String routeName : routeNames) {
      Optional<Map<String, Object>> route = http.stream().filter(r -> routeName.equals(r.get("name"))).findFirst();
      if (route.isEmpty()) {
        problems.add(object + " has no http route named " + routeName + ": fix " + FIELD + ".routes");
      } else if (!manages(route.get(), target)) {
        problems.add(object + " http route " + routeName + " does not send to both " + target.stableService() + " and "
            + target.canaryService() + " (and nothing else): give it these two destinations (the canary with weight 0)");
      }
    }
    List<Map<String, Object>> managed = managed(http, target);
    if (problems.isEmpty() && managed.isEmpty()) {
      problems.add(object + " has no http route whose destinations are " + target.stableService() + " and "
          + target.canaryService() + ": give the route that serves your app these two destinations (the canary with weight 0)"
          + " or fix " + FIELD);
    }
    if (!problems.isEmpty()) {
      return new Observation.Route(object, Optional.empty(), Optional.empty(), List.copyOf(problems));
    }
    if (target.withBaseline()) {
      managed.stream().filter(r -> destinations(r).stream().noneMatch(d -> matches(host(d), target.baselineService(), target)))
          .findFirst().ifPresent(r -> problems.add(object + " http route " + Optional.ofNullable(r.get("name")).orElse("(unnamed)")
              + " needs a destination " + target.baselineService() + " too (weight 0), since spec.strategy.canary.baseline "
              + "is on: add it, or turn the baseline off"));
      if (!problems.isEmpty()) {
        return new Observation.Route(object, Optional.empty(), Optional.empty(), List.copyOf(problems));
      }
    }
    Set<Optional<List<Integer>>> weights = new HashSet<>();
    managed.forEach(r -> weights.add(canaryWeight(r, target)));
    Optional<HeaderMatch> header = Optional.empty();
    int headerRoutes = 0;
    for (int i = 0; i < http.size(); i++) {
      if (isHeaderRoute(http.get(i))) {
        headerRoutes++;
        Map<String, Object> next = i + 1 < http.size() ? http.get(i + 1) : Map.of();
        Map<String, Object> route = http.get(i);
        header = header.or(() -> headerOf(route, next));
      }
    }
    boolean consistent = weights.size() == 1 && (header.isEmpty() ? headerRoutes == 0 : headerRoutes == managed.size());
    Optional<List<Integer>> weight = consistent ? weights.iterator().next() : Optional.empty();
    return new Observation.Route(object, weight.map(w -> w.get(0)), weight.map(w -> w.get(1)), header, List.of());
  }

  @Override
  public void apply(RouteTarget target, int stableWeight, int canaryWeight, int baselineWeight, Optional<HeaderMatch> header) {
    Optional<GenericKubernetesResource> read = objects.virtualService(target.namespace(), name);
    GenericKubernetesResource vs = read.orElse(null);
    if (vs == null && canaryWeight == 0 && baselineWeight == 0 && header.isEmpty()) {
      return; // sending everything to stable: a VirtualService that is gone sends nothing to the canary
    }
    if (vs == null) {
      throw new IllegalStateException("VirtualService " + target.namespace() + "/" + name + " not found: create it or fix "
          + FIELD + ".name");
    }
    String before = client.getKubernetesSerialization().asJson(vs);
    List<Map<String, Object>> http = new ArrayList<>();
    List<Map<String, Object>> managed = managed(http(vs), target);
    for (Map<String, Object> route : http(vs)) {
      if (isHeaderRoute(route)) {
        continue;
      }
      if (managed.contains(route)) {
        header.ifPresent(h -> http.add(headerRoute(route, target, h, http.size())));
        for (Map<String, Object> destination : destinations(route)) {
          String host = host(destination);
          destination.put("weight", matches(host, target.stableService(), target) ? stableWeight
              : matches(host, target.baselineService(), target) ? baselineWeight : canaryWeight);
        }
      }
      http.add(route);
    }
    spec(vs).put("http", http);
    if (!before.equals(client.getKubernetesSerialization().asJson(vs))) {
      objects.writtenVirtualService(
          client.genericKubernetesResources(VIRTUAL_SERVICE).inNamespace(target.namespace()).resource(vs).update(), read);
    }
  }

  private List<Map<String, Object>> managed(List<Map<String, Object>> http, RouteTarget target) {
    return http.stream()
        .filter(r -> !isHeaderRoute(r))
        .filter(r -> routeNames.isEmpty() ? manages(r, target) : routeNames.contains(r.get("name")))
        .toList();
  }

  /**
   * A route Vigie can weigh: its destinations are the stable and the canary Service (and the
   * baseline's, if it names one), nothing else.
   */
  private static boolean manages(Map<String, Object> route, RouteTarget target) {
    List<Map<String, Object>> destinations = destinations(route);
    long stables = destinations.stream().filter(d -> matches(host(d), target.stableService(), target)).count();
    long canaries = destinations.stream().filter(d -> matches(host(d), target.canaryService(), target)).count();
    long baselines = destinations.stream().filter(d -> matches(host(d), target.baselineService(), target)).count();
    // Each once: two subsets or ports of one Service would each get the weight, and the split would not be it.
    return stables == 1 && canaries == 1 && baselines <= 1 && stables + canaries + baselines == destinations.size();
  }

  /** The canary's and the baseline's weights; empty unless the three sum to 100. */
  private static Optional<List<Integer>> canaryWeight(Map<String, Object> route, RouteTarget target) {
    int stable = 0;
    int canary = 0;
    int baseline = 0;
    for (Map<String, Object> destination : destinations(route)) {
      int weight = destination.get("weight") instanceof Number n ? n.intValue() : 0;
      if (matches(host(destination), target.stableService(), target)) {
        stable += weight;
      } else if (matches(host(destination), target.baselineService(), target)) {
        baseline += weight;
      } else {
        canary += weight;
      }
    }
    return stable + canary + baseline == 100 ? Optional.of(List.of(canary, baseline)) : Optional.empty();
  }

  private static boolean isHeaderRoute(Map<String, Object> route) {
    return route.get("name") instanceof String n && n.startsWith(HEADER_ROUTE_PREFIX);
  }

  /** The header Vigie added: the one the route it was placed before (its original) does not test. */
  @SuppressWarnings("unchecked")
  private static Optional<HeaderMatch> headerOf(Map<String, Object> route, Map<String, Object> original) {
    Map<String, Object> headers = firstMatchHeaders(route);
    Map<String, Object> theirs = firstMatchHeaders(original);
    for (var entry : headers.entrySet()) {
      if (!theirs.containsKey(entry.getKey()) && entry.getValue() instanceof Map<?, ?> test
          && test.get("exact") instanceof String value) {
        return Optional.of(new HeaderMatch(entry.getKey(), value));
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> firstMatchHeaders(Map<String, Object> route) {
    if (route.get("match") instanceof List<?> matches && !matches.isEmpty() && matches.get(0) instanceof Map<?, ?> match
        && match.get("headers") instanceof Map<?, ?> headers) {
      return (Map<String, Object>) headers;
    }
    return Map.of();
  }

  /** A copy of the route (timeouts, retries, rewrites alike) that matches the header too and sends to the canary. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> headerRoute(Map<String, Object> route, RouteTarget target, HeaderMatch header, int index) {
    Map<String, Object> copy = client.getKubernetesSerialization().clone(new LinkedHashMap<>(route));
    Object routeName = route.get("name");
    copy.put("name", HEADER_ROUTE_PREFIX + (routeName instanceof String n ? n : "route-" + index));
    List<Map<String, Object>> matches = new ArrayList<>();
    List<Object> original = route.get("match") instanceof List<?> l && !l.isEmpty() ? (List<Object>) l : List.of(Map.of());
    for (Object m : original) {
      Map<String, Object> match = client.getKubernetesSerialization().clone(new LinkedHashMap<>((Map<String, Object>) m));
      Map<String, Object> headers = match.get("headers") instanceof Map<?, ?> h
          ? new LinkedHashMap<>((Map<String, Object>) h) : new LinkedHashMap<>();
      headers.put(header.name(), Map.of("exact", header.value()));
      match.put("headers", headers);
      matches.add(match);
    }
    copy.put("match", matches);
    Map<String, Object> canary = destinations(copy).stream()
        .filter(d -> matches(host(d), target.canaryService(), target)).findFirst().orElseThrow();
    canary.put("weight", 100);
    copy.put("route", new ArrayList<>(List.of(canary)));
    return copy;
  }

  /** "web-canary", "web-canary.shop", "web-canary.shop.svc.cluster.local" all name the Service. */
  private static boolean matches(String host, String service, RouteTarget target) {
    String qualified = service + "." + target.namespace();
    return host != null && (host.equals(service) || host.equals(qualified) || host.startsWith(qualified + "."));
  }

  @SuppressWarnings("unchecked")
  private static String host(Map<String, Object> destination) {
    return destination.get("destination") instanceof Map<?, ?> d && d.get("host") instanceof String h ? h : null;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> destinations(Map<String, Object> route) {
    return route.get("route") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource vs) {
    return (Map<String, Object>) vs.getAdditionalProperties().computeIfAbsent("spec", k -> new LinkedHashMap<>());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> http(GenericKubernetesResource vs) {
    return spec(vs).get("http") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }
}
