package io.vigie.playground;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Routes requests as a Service would: to a ready pod behind it, picked at random, so each
 * ReplicaSet gets its share of ready pods. Each pod behaves as its image says ({@link AppVersion}).
 * It keeps per-second statistics for the canary, baseline and stable pods (by their
 * {@code vigie.io/role}), served as JSON the way a metrics backend would (only complete scrape
 * intervals are visible), and the benchmark's counters.
 */
final class DataPlane implements AutoCloseable {
  /** What a pod is to the analysis, by its {@code vigie.io/role} label: the target's pods are stable. */
  enum Role {
    STABLE, CANARY, BASELINE;

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Role of(String label) {
      return "canary".equals(label) ? CANARY : "baseline".equals(label) ? BASELINE : STABLE;
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String service;
  private final SimClock clock;
  private final long scrapeSeconds;
  private final Random random;
  private final AppVersion.Noise noise;
  private final Instant started;
  /** When each ReplicaSet's ready pods became ready, oldest first: new pods warm up. */
  private final Map<String, java.util.Deque<Instant>> readySince = new ConcurrentHashMap<>();
  /** When the canary last stopped getting traffic (no ready canary pod behind the Service, or weight 0). */
  private volatile Instant canaryGone;
  private volatile boolean canaryServing;
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "data-plane-endpoints");
    t.setDaemon(true);
    return t;
  });
  private final RoleStatistics statistics = new RoleStatistics();
  private volatile List<Endpoint> endpoints = List.of();
  /** With a Gateway API HTTPRoute in front: what it sends to the canary and baseline Services, and each Service's pods. */
  private volatile boolean viaHttpRoute;
  private volatile int routeCanaryWeight;
  private volatile int routeBaselineWeight;
  private volatile List<Endpoint> stableEndpoints = List.of();
  private volatile List<Endpoint> canaryEndpoints = List.of();
  private volatile List<Endpoint> baselineEndpoints = List.of();
  private long noEndpoint;
  private volatile boolean metricsOutage;
  private HttpServer http;

  // The benchmark's counters, over every request served.
  private long requests;
  private long bad;
  private Instant firstBad;
  private Instant lastBad;
  private Instant lastCanaryRequest;
  private long canaryRequests;
  private final Map<String, Long> badByImage = new java.util.HashMap<>();
  private final Map<String, Instant> firstBadByImage = new java.util.HashMap<>();
  private final Map<String, Instant> lastServedByImage = new java.util.HashMap<>();

  DataPlane(KubernetesClient client, String namespace, String service, SimClock clock, long scrapeSeconds, long seed,
      AppVersion.Noise noise) {
    this.noise = noise;
    this.started = clock.instant();
    this.client = client;
    this.namespace = namespace;
    this.service = service;
    this.clock = clock;
    this.scrapeSeconds = scrapeSeconds;
    this.random = new Random(seed);
  }

  DataPlane start() throws IOException {
    refresher.scheduleWithFixedDelay(this::refresh, 0, 20, TimeUnit.MILLISECONDS);
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/stats", this::stats);
    http.createContext("/metrics", this::metrics);
    http.createContext("/", this::front);
    http.start();
    return this;
  }

  String address() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /**
   * Requests go through the HTTPRoute named like the Service (as a Gateway would): to
   * {@code <service>-stable} or {@code <service>-canary} by the route's weights, then to a ready
   * pod behind that Service; a Service without ready pods answers 503.
   */
  DataPlane viaHttpRoute() {
    this.viaHttpRoute = true;
    return this;
  }

  /** The metrics backend answers 503 from now on (the metrics-outage scenario). */
  void metricsOutage(boolean outage) {
    this.metricsOutage = outage;
  }

  /** The requests these roles served in the window before now, as a metrics backend sees them; empty in an outage. */
  Optional<SecondOfRequests> served(java.util.Set<Role> roles, long window) {
    if (metricsOutage) {
      return Optional.empty();
    }
    long visibleUntil = clock.instant().getEpochSecond() / scrapeSeconds * scrapeSeconds;
    return Optional.of(statistics.over(roles, window, visibleUntil));
  }

  List<Endpoint> endpoints() {
    return endpoints;
  }

  private void refresh() {
    try {
      List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(namespace).list().getItems();
      if (viaHttpRoute) {
        var route = client.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(namespace)
            .withName(service).get();
        int canaryWeight = 0;
        int baselineWeight = 0;
        if (route != null && route.getSpec().getRules() != null && !route.getSpec().getRules().isEmpty()) {
          int total = 0;
          for (var ref : route.getSpec().getRules().get(0).getBackendRefs()) {
            int weight = ref.getWeight() == null ? 1 : ref.getWeight();
            total += weight;
            if ((service + "-canary").equals(ref.getName())) {
              canaryWeight += weight;
            } else if ((service + "-baseline").equals(ref.getName())) {
              baselineWeight += weight;
            }
          }
          canaryWeight = total == 0 ? 0 : 100 * canaryWeight / total;
          baselineWeight = total == 0 ? 0 : 100 * baselineWeight / total;
        }
        stableEndpoints = endpointsOf(service + "-stable", replicaSets);
        canaryEndpoints = endpointsOf(service + "-canary", replicaSets);
        baselineEndpoints = endpointsOf(service + "-baseline", replicaSets);
        routeCanaryWeight = canaryWeight;
        routeBaselineWeight = baselineWeight;
        trackPods(replicaSets);
        canaryServing(canaryWeight > 0 && !canaryEndpoints.isEmpty());
        return;
      }
      endpoints = endpointsOf(service, replicaSets);
      trackPods(replicaSets);
      canaryServing(endpoints.stream().anyMatch(Endpoint::canary));
    } catch (RuntimeException e) {
      // The API server is busy or stopping: keep the last endpoints, as kube-proxy would.
    }
  }

  /** Remembers when pods became ready: a ReplicaSet with more ready pods than before has new ones. */
  private void trackPods(List<ReplicaSet> replicaSets) {
    Instant now = clock.instant();
    for (ReplicaSet rs : replicaSets) {
      int ready = rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas();
      java.util.Deque<Instant> since = readySince.computeIfAbsent(rs.getMetadata().getName(), k -> new java.util.ArrayDeque<>());
      synchronized (since) {
        while (since.size() < ready) {
          since.addLast(now);
        }
        while (since.size() > ready) {
          since.removeLast();
        }
      }
    }
  }

  private void canaryServing(boolean serving) {
    if (canaryServing && !serving) {
      canaryGone = clock.instant();
    }
    canaryServing = serving;
  }

  /** When the canary last stopped getting traffic in the data plane, if it ever did. */
  Optional<Instant> canaryGone() {
    return Optional.ofNullable(canaryGone);
  }

  /** The ready pods behind a Service, by ReplicaSet. */
  private List<Endpoint> endpointsOf(String serviceName, List<ReplicaSet> replicaSets) {
    Service s = client.services().inNamespace(namespace).withName(serviceName).get();
    if (s == null || s.getSpec().getSelector() == null) {
      return List.of();
    }
    Map<String, String> selector = s.getSpec().getSelector();
    List<Endpoint> found = new ArrayList<>();
    for (ReplicaSet rs : replicaSets) {
      Map<String, String> labels = Optional.ofNullable(rs.getSpec().getTemplate().getMetadata().getLabels()).orElse(Map.of());
      int ready = rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas();
      if (ready > 0 && labels.entrySet().containsAll(selector.entrySet())) {
        found.add(new Endpoint(rs.getMetadata().getName(), rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
            Role.of(labels.get("vigie.io/role")), ready));
      }
    }
    return List.copyOf(found);
  }

  /** Serves one request at the current simulated time; empty when no pod is ready. */
  synchronized Optional<AppVersion.Response> serve() {
    List<Endpoint> now = endpoints;
    if (viaHttpRoute) {
      int draw = random.nextInt(100);
      now = draw < routeCanaryWeight ? canaryEndpoints : draw < routeCanaryWeight + routeBaselineWeight ? baselineEndpoints
          : stableEndpoints;
      if (now.isEmpty()) {
        // The route sends to a Service with no ready pod: the Gateway answers 503.
        requests++;
        bad++;
        noEndpoint++;
        return Optional.of(new AppVersion.Response(503, 0.001));
      }
    }
    return serveFrom(now);
  }

  /**
   * Serves one request sent to the canary's Service (a load test's): empty while the canary has no
   * ready pod. The users' traffic is not touched.
   */
  synchronized Optional<AppVersion.Response> serveCanary() {
    return serveFrom(viaHttpRoute ? canaryEndpoints : endpoints.stream().filter(Endpoint::canary).toList());
  }

  private Optional<AppVersion.Response> serveFrom(List<Endpoint> now) {
    int total = now.stream().mapToInt(Endpoint::ready).sum();
    if (total == 0) {
      return Optional.empty();
    }
    int pick = random.nextInt(total);
    Endpoint chosen = now.get(0);
    for (Endpoint e : now) {
      if (pick < e.ready()) {
        chosen = e;
        break;
      }
      pick -= e.ready();
    }
    Instant at = clock.instant();
    double seconds = (at.toEpochMilli() - started.toEpochMilli()) / 1000.0;
    AppVersion.Response response = AppVersion.of(chosen.image()).serve(random, noise, seconds, podAge(chosen, pick, at));
    statistics.add(chosen.role(), at.getEpochSecond(), response);
    requests++;
    lastServedByImage.put(chosen.image(), at);
    if (response.bad()) {
      badByImage.merge(chosen.image(), 1L, Long::sum);
      firstBadByImage.putIfAbsent(chosen.image(), at);
    }
    if (chosen.canary()) {
      canaryRequests++;
      lastCanaryRequest = at;
    }
    if (response.bad()) {
      bad++;
      lastBad = at;
      if (firstBad == null) {
        firstBad = at;
      }
    }
    return Optional.of(response);
  }

  /** How long the pod that takes this request has been ready, in seconds. */
  private double podAge(Endpoint endpoint, int pod, Instant now) {
    java.util.Deque<Instant> since = readySince.get(endpoint.replicaSet());
    if (since == null) {
      return Double.MAX_VALUE;
    }
    synchronized (since) {
      int i = 0;
      for (Instant readyAt : since) {
        if (i++ == pod) {
          return (now.toEpochMilli() - readyAt.toEpochMilli()) / 1000.0;
        }
      }
    }
    return Double.MAX_VALUE;
  }

  /** Requests the route sent to a Service with no ready pod. */
  synchronized long noEndpoint() {
    return noEndpoint;
  }

  synchronized Counters counters() {
    return new Counters(requests, bad, Optional.ofNullable(firstBad), Optional.ofNullable(lastBad),
        Optional.ofNullable(lastCanaryRequest), canaryRequests);
  }

  record Counters(long requests, long bad, Optional<Instant> firstBad, Optional<Instant> lastBad,
      Optional<Instant> lastCanaryRequest, long canaryRequests) {}

  /** Requests of one version that went wrong, when the first did, and when it last served one. */
  record VersionCounters(long bad, Optional<Instant> firstBad, Optional<Instant> lastServed) {}

  synchronized VersionCounters version(String image) {
    return new VersionCounters(badByImage.getOrDefault(image, 0L), Optional.ofNullable(firstBadByImage.get(image)),
        Optional.ofNullable(lastServedByImage.get(image)));
  }

  /** GET /stats?role=canary&window=60 (or role=stable, baseline, all): error rate, p99 latency and request count, as a metrics backend shows them. */
  private void stats(HttpExchange exchange) throws IOException {
    if (metricsOutage) {
      reply(exchange, 503, "{\"error\":\"metrics backend unavailable\"}");
      return;
    }
    Map<String, String> query = query(exchange.getRequestURI());
    long window = Long.parseLong(query.getOrDefault("window", "60"));
    // Only complete scrape intervals are visible, as with a Prometheus scraping every scrapeSeconds.
    long visibleUntil = clock.instant().getEpochSecond() / scrapeSeconds * scrapeSeconds;
    String role = query.getOrDefault("role", "canary");
    reply(exchange, 200, statistics.json("all".equals(role) ? java.util.EnumSet.allOf(Role.class) : java.util.Set.of(Role.of(role)),
        window, visibleUntil));
  }

  /**
   * GET /metrics: the requests served so far by role, in the Prometheus text format, as the app's
   * own instrumentation would export them: {@code http_requests_total{role,code}} and the histogram
   * {@code http_request_duration_seconds{role}}. Every role is there from the start, at zero, so
   * that a query finds a series before the canary's first request.
   */
  private void metrics(HttpExchange exchange) throws IOException {
    if (metricsOutage) {
      // A scrape that fails: Prometheus marks the series stale, and queries find no sample, a gap.
      reply(exchange, 503, "metrics unavailable\n");
      return;
    }
    String text = statistics.prometheusText();
    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
    reply(exchange, 200, text);
  }

  /** Any other path: one real request through the data plane, answered as the chosen pod would. */
  private void front(HttpExchange exchange) throws IOException {
    Optional<AppVersion.Response> response = serve();
    if (response.isEmpty()) {
      reply(exchange, 503, "no ready pod behind Service " + service + "\n");
      return;
    }
    reply(exchange, response.get().status(), "status " + response.get().status() + " in "
        + Math.round(response.get().latencySeconds() * 1000) + " ms\n");
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new java.util.HashMap<>();
    if (uri.getQuery() != null) {
      for (String pair : uri.getQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return params;
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    if (http != null) {
      http.stop(0);
    }
  }
}
