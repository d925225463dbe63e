package io.vigie.traffic;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.core.HeaderMatch;
import io.vigie.core.Observation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Gateway API (gateway.networking.k8s.io/v1): in each rule of the HTTPRoutes whose backendRefs
 * name both {@code <service>-stable} and {@code <service>-canary}, Vigie sets their weights. A
 * header route is a rule of Vigie's next to each of those, with the same matches plus the header,
 * sending to the canary alone; Gateway API gives a match with more header matches precedence.
 */
final class GatewayApiRouter implements TrafficRouter {
  /** Gateway API allows at most 16 rules per HTTPRoute. */
  private static final int MAX_RULES = 16;
  static final String HEADER_RULE_PREFIX = "vigie-header-";

  private final RouteObjects objects;
  private final KubernetesClient client;
  private final List<String> routes;
  private final String field;

  GatewayApiRouter(RouteObjects objects, List<String> routes, String field) {
    this.objects = objects;
    this.client = objects.client();
    this.routes = routes;
    this.field = field;
  }

  @Override
  public Observation.Route observe(RouteTarget target) {
    String object = describe(target, routes.get(0)) + (routes.size() > 1 ? " (and " + (routes.size() - 1) + " more)" : "");
    List<String> problems = new ArrayList<>();
    Set<Optional<List<Integer>>> weights = new HashSet<>();
    Set<Optional<HeaderMatch>> headers = new HashSet<>();
    for (String name : routes) {
      Optional<HTTPRoute> route = RouteReads.get(() -> objects.httpRoute(target.namespace(), name).orElse(null),
          describe(target, name), "httproutes.gateway.networking.k8s.io", problems);
      if (route.isEmpty()) {
        if (problems.isEmpty()) {
          problems.add(describe(target, name) + " not found: create it or fix " + field
              + " (and install the Gateway API CRDs if the cluster lacks them)");
        }
        continue;
      }
      List<HTTPRouteRule> managed = managedRules(route.get(), target);
      if (managed.isEmpty()) {
        problems.add(describe(target, name) + " has no rule whose backendRefs name both Services " + target.stableService()
            + " and " + target.canaryService() + ": give the rule that serves your app these two backendRefs (the canary "
            + "with weight 0) or fix " + field);
        continue;
      }
      for (int i = 0; i < managed.size(); i++) {
        shapeProblem(managed.get(i), target).ifPresent(p -> problems.add(describe(target, name) + ": " + p));
        if (target.withBaseline() && managed.get(i).getBackendRefs().stream().noneMatch(r -> isService(r, target, target.baselineService()))) {
          problems.add(describe(target, name) + ": a rule that sends to " + target.stableService() + " and "
              + target.canaryService() + " needs a backendRef to " + target.baselineService() + " too (weight 0), since "
              + "spec.strategy.canary.baseline is on: add it, or turn the baseline off");
        }
      }
      managed.forEach(rule -> weights.add(canaryWeight(rule, target)));
      headers.add(headerRoute(route.get(), target));
    }
    if (!problems.isEmpty()) {
      return new Observation.Route(object, Optional.empty(), Optional.empty(), List.copyOf(problems));
    }
    // Rules or routes that disagree read as no weight at all, so that Vigie sets them all again.
    Optional<List<Integer>> weight = weights.size() == 1 && headers.size() == 1 ? weights.iterator().next() : Optional.empty();
    return new Observation.Route(object, weight.map(w -> w.get(0)), weight.map(w -> w.get(1)), headers.iterator().next(), List.of());
  }

  @Override
  public void apply(RouteTarget target, int stableWeight, int canaryWeight, int baselineWeight, Optional<HeaderMatch> header) {
    for (String name : routes) {
      Optional<HTTPRoute> read = objects.httpRoute(target.namespace(), name);
      HTTPRoute route = read.orElse(null);
      if (route == null) {
        if (canaryWeight == 0 && baselineWeight == 0 && header.isEmpty()) {
          continue; // sending everything to stable: a route that is gone sends nothing to the canary
        }
        throw new IllegalStateException(describe(target, name) + " not found: create it or fix " + field);
      }
      String before = client.getKubernetesSerialization().asJson(route.getSpec());
      List<HTTPRouteRule> rules = new ArrayList<>();
      for (HTTPRouteRule rule : route.getSpec().getRules()) {
        if (!isHeaderRule(rule, target)) {
          rules.add(rule);
        }
      }
      List<HTTPRouteRule> headerRules = new ArrayList<>();
      for (HTTPRouteRule rule : List.copyOf(rules)) {
        if (!manages(rule, target)) {
          continue;
        }
        for (HTTPBackendRef ref : rule.getBackendRefs()) {
          if (isService(ref, target, target.stableService())) {
            ref.setWeight(stableWeight);
          } else if (isService(ref, target, target.canaryService())) {
            ref.setWeight(canaryWeight);
          } else if (isService(ref, target, target.baselineService())) {
            ref.setWeight(baselineWeight);
          }
        }
        header.ifPresent(h -> headerRules.add(headerRule(rule, target, h, headerRules.size())));
      }
      rules.addAll(headerRules);
      if (rules.size() > MAX_RULES) {
        throw new IllegalStateException(describe(target, name) + " would have " + rules.size() + " rules with the header "
            + "route, more than the " + MAX_RULES + " Gateway API allows: merge some of its rules or drop the setHeaderRoute step");
      }
      route.getSpec().setRules(rules);
      if (!before.equals(client.getKubernetesSerialization().asJson(route.getSpec()))) {
        // An update carries the resourceVersion read above: a concurrent edit fails it, and the
        // next reconcile reads and decides again.
        objects.writtenHttpRoute(client.resources(HTTPRoute.class).inNamespace(target.namespace()).resource(route).update(), read);
      }
    }
  }

  private static String describe(RouteTarget target, String name) {
    return "HTTPRoute " + target.namespace() + "/" + name;
  }

  private static List<HTTPRouteRule> managedRules(HTTPRoute route, RouteTarget target) {
    if (route.getSpec() == null || route.getSpec().getRules() == null) {
      return List.of();
    }
    return route.getSpec().getRules().stream().filter(r -> manages(r, target)).toList();
  }

  private static boolean manages(HTTPRouteRule rule, RouteTarget target) {
    List<HTTPBackendRef> refs = Optional.ofNullable(rule.getBackendRefs()).orElse(List.of());
    return refs.stream().anyMatch(r -> isService(r, target, target.stableService()))
        && refs.stream().anyMatch(r -> isService(r, target, target.canaryService()));
  }

  /**
   * A weighted rule Vigie cannot keep exact: another backend with weight, or a Service named twice
   * (two ports): its split would not be the weight Vigie sets.
   */
  private static Optional<String> shapeProblem(HTTPRouteRule rule, RouteTarget target) {
    long stable = rule.getBackendRefs().stream().filter(r -> isService(r, target, target.stableService())).count();
    long canary = rule.getBackendRefs().stream().filter(r -> isService(r, target, target.canaryService())).count();
    long baseline = rule.getBackendRefs().stream().filter(r -> isService(r, target, target.baselineService())).count();
    boolean others = rule.getBackendRefs().stream().anyMatch(r -> !isService(r, target, target.stableService())
        && !isService(r, target, target.canaryService()) && !isService(r, target, target.baselineService())
        && (r.getWeight() == null || r.getWeight() > 0));
    if (stable > 1 || canary > 1 || baseline > 1 || others) {
      return Optional.of("a rule that sends to " + target.stableService() + " and " + target.canaryService() + " must name each "
          + "once and send to no other backend (a weight-0 backend is fine), so that Vigie's weights are the split");
    }
    return Optional.empty();
  }

  /**
   * Vigie's header rule: named vigie-header-N where the cluster's Gateway API keeps rule names
   * (1.2 and later); else, by shape: every backendRef is the canary, and a match tests a header.
   */
  private static boolean isHeaderRule(HTTPRouteRule rule, RouteTarget target) {
    if (rule.getName() != null) {
      return rule.getName().startsWith(HEADER_RULE_PREFIX);
    }
    List<HTTPBackendRef> refs = Optional.ofNullable(rule.getBackendRefs()).orElse(List.of());
    return !refs.isEmpty() && refs.stream().allMatch(r -> isService(r, target, target.canaryService()))
        && Optional.ofNullable(rule.getMatches()).orElse(List.of()).stream()
            .anyMatch(m -> m.getHeaders() != null && !m.getHeaders().isEmpty());
  }

  private static boolean isService(HTTPBackendRef ref, RouteTarget target, String service) {
    return service.equals(ref.getName())
        && (ref.getKind() == null || "Service".equals(ref.getKind()))
        && (ref.getGroup() == null || ref.getGroup().isEmpty())
        && (ref.getNamespace() == null || target.namespace().equals(ref.getNamespace()));
  }

  /** The canary's and the baseline's percentages in a rule; empty unless its three weights sum to 100. */
  private static Optional<List<Integer>> canaryWeight(HTTPRouteRule rule, RouteTarget target) {
    int stable = 0;
    int canary = 0;
    int baseline = 0;
    for (HTTPBackendRef ref : rule.getBackendRefs()) {
      // Gateway API's default weight is 1: two refs without weights split 50/50.
      int weight = ref.getWeight() == null ? 1 : ref.getWeight();
      if (isService(ref, target, target.stableService())) {
        stable += weight;
      } else if (isService(ref, target, target.canaryService())) {
        canary += weight;
      } else if (isService(ref, target, target.baselineService())) {
        baseline += weight;
      } else if (weight > 0) {
        return Optional.empty();
      }
    }
    return stable + canary + baseline == 100 ? Optional.of(List.of(canary, baseline)) : Optional.empty();
  }

  private static Optional<HeaderMatch> headerRoute(HTTPRoute route, RouteTarget target) {
    for (HTTPRouteRule rule : route.getSpec().getRules()) {
      if (isHeaderRule(rule, target)) {
        for (HTTPRouteMatch match : rule.getMatches()) {
          List<HTTPHeaderMatch> headers = Optional.ofNullable(match.getHeaders()).orElse(List.of());
          if (!headers.isEmpty()) {
            HTTPHeaderMatch last = headers.get(headers.size() - 1);
            return Optional.of(new HeaderMatch(last.getName(), last.getValue()));
          }
        }
      }
    }
    return Optional.empty();
  }

  private HTTPRouteRule headerRule(HTTPRouteRule rule, RouteTarget target, HeaderMatch header, int index) {
    List<HTTPRouteMatch> matches = Optional.ofNullable(rule.getMatches()).filter(m -> !m.isEmpty())
        .orElse(List.of(new HTTPRouteMatch()));
    List<HTTPRouteMatch> withHeader = new ArrayList<>();
    for (HTTPRouteMatch match : matches) {
      HTTPRouteMatchBuilder copy = new HTTPRouteMatchBuilder(copyOf(match, HTTPRouteMatch.class));
      List<HTTPHeaderMatch> headers = new ArrayList<>(Optional.ofNullable(match.getHeaders()).orElse(List.of()));
      headers.removeIf(h -> h.getName() != null && h.getName().equalsIgnoreCase(header.name()));
      headers.add(new HTTPHeaderMatch(header.name(), "Exact", header.value()));
      withHeader.add(copy.withHeaders(headers).build());
    }
    HTTPBackendRef canary = rule.getBackendRefs().stream().filter(r -> isService(r, target, target.canaryService()))
        .findFirst().orElseThrow();
    return new HTTPRouteRuleBuilder(copyOf(rule, HTTPRouteRule.class))
        .withName(HEADER_RULE_PREFIX + index)
        .withMatches(withHeader)
        .withBackendRefs(new HTTPBackendRefBuilder(copyOf(canary, HTTPBackendRef.class)).withWeight(1).build())
        .build();
  }

  private <T> T copyOf(T value, Class<T> type) {
    return Objects.requireNonNull(client.getKubernetesSerialization().clone(value), type.getSimpleName());
  }
}
