package io.vigie.testing;

import io.vigie.testkit.RecordingDispatcher;
import static io.vigie.testing.OperatorHarness.NS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.api.v1alpha1.TrafficRouting;
import io.vigie.traffic.IstioRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The four ways traffic reaches a canary, each with its route object (from examples/) and a way to
 * read back, from the cluster alone, what share of requests the canary gets and whether a header
 * route is in place. A test reads weights the way the gateway, mesh or ingress would.
 */
public enum Routes {
  REPLICAS(null, null),
  GATEWAY_API("gateway-api/httproute.yaml", "/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/web"),
  ISTIO("istio/virtualservice.yaml", "/apis/networking.istio.io/v1/namespaces/shop/virtualservices/web"),
  NGINX("nginx/ingress.yaml", "/apis/networking.k8s.io/v1/namespaces/shop/ingresses/web");

  public static final Path EXAMPLES = Path.of(System.getProperty("vigie.examples", "../examples"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String example;
  private final String path;

  Routes(String example, String path) {
    this.example = example;
    this.path = path;
  }

  public boolean routed() {
    return this != REPLICAS;
  }

  /** The routing spec of a Rollout whose Service is web. */
  public TrafficRouting spec() {
    return switch (this) {
      case REPLICAS -> null;
      case GATEWAY_API -> TrafficRouting.gatewayApi("web");
      case ISTIO -> TrafficRouting.istio("web");
      case NGINX -> TrafficRouting.nginx("web");
    };
  }

  /** Creates the route object of the example, as `kubectl apply -n shop -f` would. */
  public void create(KubernetesClient client) {
    if (example != null) {
      apply(client, EXAMPLES.resolve(example));
    }
  }

  /** Creates the objects of a YAML file in namespace shop; VirtualServices through their explicit resource. */
  public static void apply(KubernetesClient client, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      for (HasMetadata item : client.load(in).items()) {
        item.getMetadata().setNamespace(NS);
        if (item instanceof GenericKubernetesResource generic && "VirtualService".equals(generic.getKind())) {
          client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace(NS).resource(generic).create();
        } else {
          client.resource(item).inNamespace(NS).create();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the route object, as a person might by mistake. */
  public void delete(KubernetesClient client) {
    switch (this) {
      case GATEWAY_API -> client.resources(HTTPRoute.class).inNamespace(NS).withName("web").delete();
      case ISTIO -> client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace(NS).withName("web").delete();
      case NGINX -> client.network().v1().ingresses().inNamespace(NS).withName("web").delete();
      case REPLICAS -> { }
    }
  }

  /** The API path of the route object Vigie writes (for NGINX, its canary Ingress); null for replicas. */
  public String writtenPath() {
    return this == NGINX ? path + "-canary" : path;
  }

  /** True for a write to the route object Vigie manages (for NGINX: the creation of its canary Ingress too). */
  public boolean isRouteWrite(io.vigie.testkit.RecordingDispatcher.Write write) {
    if (this == NGINX && "POST".equals(write.method())) {
      return write.path().startsWith("/apis/networking.k8s.io/v1/namespaces/shop/ingresses")
          && write.body().contains("\"name\":\"web-canary\"");
    }
    return routed() && write.path().startsWith(writtenPath());
  }

  /** What the route sends to the canary now: weight in percent, and header route. */
  public record Split(int canaryWeight, Optional<String> header) {}

  public Split split(KubernetesClient client) {
    return switch (this) {
      case REPLICAS -> throw new IllegalStateException("replica-ratio routing has no route");
      case GATEWAY_API -> gatewaySplit(JSON.valueToTree(client.resources(HTTPRoute.class).inNamespace(NS).withName("web").get()));
      case ISTIO -> istioSplit(JSON.valueToTree(client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace(NS)
          .withName("web").get()));
      case NGINX -> {
        Ingress canary = client.network().v1().ingresses().inNamespace(NS).withName("web-canary").get();
        yield canary == null ? new Split(0, Optional.empty()) : nginxSplit(JSON.valueToTree(canary));
      }
    };
  }

  /**
   * Checks a route object as Vigie wrote it: in every weighted rule the stable and canary weights
   * sum to 100, and the split it shows. Throws when the invariant does not hold.
   */
  public Split checkWritten(String body) {
    try {
      JsonNode object = JSON.readTree(body);
      return switch (this) {
        case GATEWAY_API -> gatewaySplit(object);
        case ISTIO -> istioSplit(object);
        case NGINX -> nginxSplit(object);
        case REPLICAS -> throw new IllegalStateException("replica-ratio routing has no route");
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Split gatewaySplit(JsonNode route) {
    List<Integer> weights = new ArrayList<>();
    Optional<String> header = Optional.empty();
    for (JsonNode rule : route.path("spec").path("rules")) {
      Map<String, Integer> byName = new java.util.HashMap<>();
      rule.path("backendRefs").forEach(r -> byName.merge(r.path("name").asText(), r.path("weight").asInt(1), Integer::sum));
      if (byName.containsKey("web-stable") && byName.containsKey("web-canary")) {
        require(byName.get("web-stable") + byName.get("web-canary") == 100, "weights " + byName + " do not sum to 100");
        weights.add(byName.get("web-canary"));
      } else if (byName.keySet().equals(java.util.Set.of("web-canary"))) {
        JsonNode h = rule.path("matches").path(0).path("headers");
        JsonNode last = h.path(h.size() - 1);
        header = Optional.of(last.path("name").asText() + "=" + last.path("value").asText());
      }
    }
    require(!weights.isEmpty() && weights.stream().distinct().count() == 1, "rules disagree: " + weights);
    return new Split(weights.get(0), header);
  }

  private static Split istioSplit(JsonNode vs) {
    List<Integer> weights = new ArrayList<>();
    Optional<String> header = Optional.empty();
    for (JsonNode route : vs.path("spec").path("http")) {
      int stable = 0;
      int canary = 0;
      boolean both = false;
      for (JsonNode d : route.path("route")) {
        String host = d.path("destination").path("host").asText();
        if (host.startsWith("web-stable")) {
          stable += d.path("weight").asInt(0);
          both = true;
        } else if (host.startsWith("web-canary")) {
          canary += d.path("weight").asInt(0);
        }
      }
      require(stable + canary == 100, "route " + route.path("name").asText() + " weights do not sum to 100");
      if (route.path("name").asText().startsWith("vigie-header-")) {
        var entry = route.path("match").path(0).path("headers").properties().iterator().next();
        header = Optional.of(entry.getKey() + "=" + entry.getValue().path("exact").asText());
      } else if (both) {
        weights.add(canary);
      }
    }
    require(!weights.isEmpty() && weights.stream().distinct().count() == 1, "routes disagree: " + weights);
    return new Split(weights.get(0), header);
  }

  private static Split nginxSplit(JsonNode ingress) {
    JsonNode annotations = ingress.path("metadata").path("annotations");
    require("true".equals(annotations.path("nginx.ingress.kubernetes.io/canary").asText()), "not a canary Ingress");
    require("100".equals(annotations.path("nginx.ingress.kubernetes.io/canary-weight-total").asText()), "weight total is not 100");
    int weight = Integer.parseInt(annotations.path("nginx.ingress.kubernetes.io/canary-weight").asText("0"));
    require(weight >= 0 && weight <= 100, "weight " + weight + " outside 0..100");
    Optional<String> header = annotations.has("nginx.ingress.kubernetes.io/canary-by-header")
        ? Optional.of(annotations.path("nginx.ingress.kubernetes.io/canary-by-header").asText() + "="
            + annotations.path("nginx.ingress.kubernetes.io/canary-by-header-value").asText())
        : Optional.empty();
    ingress.path("spec").path("rules").forEach(r -> r.path("http").path("paths").forEach(p -> require(
        "web-canary".equals(p.path("backend").path("service").path("name").asText()), "a canary path goes elsewhere: " + p)));
    return new Split(weight, header);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
