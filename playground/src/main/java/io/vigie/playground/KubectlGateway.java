package io.vigie.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The playground's API server as kubectl needs it, in front of the fabric8 mock server: the OpenAPI
 * documents (v2 in protocol buffers, v3) that `kubectl apply` validates against and `kubectl explain`
 * reads, Table responses for `kubectl get`, watches streamed over HTTP as kubectl reads them (the
 * mock server only streams over WebSockets), field selectors (the Events `kubectl describe` shows),
 * and strategic merge patches (`kubectl set image`, `annotate`, `patch`, `apply` on built-in kinds),
 * applied here and written as updates. Everything else goes through to the mock server as it came.
 * The operator talks to the mock server directly; people and their tools come through here.
 */
final class KubectlGateway implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RESOURCE = Pattern.compile(
      "^/(?:api/(?<cv>v1)|apis/(?<g>[^/]+)/(?<v>[^/]+))(?:/namespaces/(?<ns>[^/]+))?/(?<plural>[^/]+)(?:/(?<name>[^/]+))?(?:/(?<sub>[^/]+))?$");
  private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

  /** What a request's path names: a collection or one object (and a subresource of it). */
  record Target(String group, String version, String namespace, String plural, String name, String subresource) {
    String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  private final URI upstream;
  private final KubernetesClient client;
  private final Map<String, String> kinds;
  private final Map<String, Boolean> namespaced;
  private final OpenApiDocuments openApi;
  private final ServerTables tables;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "kubectl-gateway");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param kinds the kind of each resource, by plural ("deployments" to "Deployment")
   * @param namespaced whether each resource lives in namespaces
   */
  KubectlGateway(URI upstream, KubernetesClient client, Map<String, String> kinds, Map<String, Boolean> namespaced,
      OpenApiDocuments openApi, ServerTables tables) {
    this.upstream = upstream;
    this.client = client;
    this.kinds = Map.copyOf(kinds);
    this.namespaced = Map.copyOf(namespaced);
    this.openApi = openApi;
    this.tables = tables;
    try {
      this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  URI address() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
      String method = exchange.getRequestMethod();
      String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
      String accept = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")).orElse("");
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (method.equals("GET") && path.equals("/openapi/v2")) {
        send(exchange, 200, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf", openApi.v2());
        return;
      }
      if (method.equals("GET") && path.equals("/openapi/v3")) {
        send(exchange, 200, "application/json", openApi.v3Index().getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (method.equals("GET") && path.startsWith("/openapi/v3/apis/")) {
        String doc = openApi.v3(path.substring("/openapi/v3/apis/".length()));
        if (doc == null) {
          status(exchange, 404, "NotFound", "no OpenAPI v3 document for " + path);
        } else {
          send(exchange, 200, "application/json", doc.getBytes(StandardCharsets.UTF_8));
        }
        return;
      }
      if (contentType.startsWith(PROTOBUF)) {
        Optional<ObjectNode> decoded = ProtobufObjects.decode(body);
        if (decoded.isEmpty()) {
          status(exchange, 415, "UnsupportedMediaType", "the playground's API server reads this kind in JSON only: "
              + "write it to a file and kubectl create -f it");
          return;
        }
        body = JSON.writeValueAsBytes(decoded.get());
        contentType = "application/json";
      }
      Optional<Target> target = target(path);
      Map<String, String> params = params(query);
      if (target.isPresent() && method.equals("GET") && ("true".equals(params.get("watch")) || "1".equals(params.get("watch")))) {
        watch(exchange, target.get(), params, accept.contains("as=Table"));
        return;
      }
      if (target.isPresent() && method.equals("PATCH") && contentType.startsWith("application/apply-patch")) {
        status(exchange, 415, "UnsupportedMediaType", "server-side apply is not supported by the playground's API server: "
            + "use kubectl apply without --server-side");
        return;
      }
      if (target.isPresent() && method.equals("PATCH") && contentType.startsWith("application/strategic-merge-patch+json")) {
        strategicMerge(exchange, target.get(), path, body);
        return;
      }
      FieldSelector selector = FieldSelector.parse(params.get("fieldSelector"));
      String forwardedQuery = method.equals("GET") ? without(query, "fieldSelector") : query;
      HttpResponse<byte[]> response = forward(method, path, forwardedQuery, contentType, body);
      byte[] answer = response.body();
      boolean json = response.headers().firstValue("Content-Type").orElse("application/json").contains("json");
      if (target.isPresent() && method.equals("GET") && response.statusCode() == 200 && json) {
        JsonNode read = JSON.readTree(answer);
        if (read.has("items") && kinds.containsKey(target.get().plural())) {
          // As a real server names it (EventList, not List): typed clients decode by it.
          ((ObjectNode) read).put("kind", kinds.get(target.get().plural()) + "List");
          ((ObjectNode) read).put("apiVersion", target.get().apiVersion());
          // The mock's lists carry no resourceVersion; kubectl watches from the list's, and a watch
          // from none would replay what the list just showed.
          ObjectNode listMeta = ((ObjectNode) read).withObjectProperty("metadata");
          if (!listMeta.hasNonNull("resourceVersion")) {
            long newest = 1;
            for (JsonNode item : read.path("items")) {
              newest = Math.max(newest, item.path("metadata").path("resourceVersion").asLong(0));
            }
            listMeta.put("resourceVersion", Long.toString(newest));
          }
        }
        if (read.has("items") && !selector.isEmpty()) {
          ObjectNode filtered = ((ObjectNode) read).deepCopy();
          var items = filtered.putArray("items");
          read.path("items").forEach(item -> {
            if (selector.matches(item)) {
              items.add(item);
            }
          });
          read = filtered;
        }
        if (accept.contains("as=Table") && target.get().subresource() == null) {
          read = tables.table(target.get().plural(), read);
        }
        answer = JSON.writeValueAsBytes(read);
      }
      send(exchange, response.statusCode(), json ? "application/json" : response.headers().firstValue("Content-Type").orElse("text/plain"),
          answer);
    } catch (RuntimeException e) {
      status(exchange, 500, "InternalError", "playground API server: " + e);
    }
  }

  /** A strategic merge patch, applied to the object as stored and written back as an update (retried on a conflict). */
  private void strategicMerge(HttpExchange exchange, Target target, String path, byte[] body) throws IOException {
    JsonNode patch = JSON.readTree(body);
    String objectPath = target.subresource() == null ? path : path.substring(0, path.lastIndexOf('/'));
    for (int attempt = 0; attempt < 5; attempt++) {
      HttpResponse<byte[]> current = forward("GET", objectPath, "", "", new byte[0]);
      if (current.statusCode() != 200) {
        send(exchange, current.statusCode(), "application/json", current.body());
        return;
      }
      JsonNode merged = StrategicMergePatch.apply(JSON.readTree(current.body()), patch);
      HttpResponse<byte[]> written = forward("PUT", path, "", "application/json", JSON.writeValueAsBytes(merged));
      if (written.statusCode() != 409) {
        send(exchange, written.statusCode(), "application/json", written.body());
        return;
      }
    }
    status(exchange, 409, "Conflict", "the object kept changing while the patch was applied: try again");
  }

  /**
   * A watch streamed as the API server streams it: one JSON event per line, flushed as it comes,
   * as Tables when kubectl asked for them. With no resourceVersion (or 0), the objects there are
   * come first as ADDED, as from a real server.
   */
  private void watch(HttpExchange exchange, Target target, Map<String, String> params, boolean asTable) throws IOException {
    String kind = kinds.get(target.plural());
    if (kind == null) {
      status(exchange, 404, "NotFound", "the playground serves no resource " + target.plural());
      return;
    }
    FieldSelector selector = FieldSelector.parse(params.get("fieldSelector"));
    if (target.name() != null) {
      selector = new FieldSelector(java.util.List.of(new FieldSelector.Term("metadata.name", target.name(), true)));
    }
    FieldSelector filter = selector;
    ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(target.group())
        .withVersion(target.version()).withPlural(target.plural()).withKind(kind)
        .withNamespaced(namespaced.getOrDefault(target.plural(), true)).build();
    var resources = client.genericKubernetesResources(context);
    var scoped = target.namespace() == null || !namespaced.getOrDefault(target.plural(), true) ? resources.inAnyNamespace()
        : resources.inNamespace(target.namespace());
    String labels = params.get("labelSelector");
    LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    Watcher<GenericKubernetesResource> watcher = new Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource resource) {
        JsonNode object = JSON.valueToTree(resource);
        if (filter.matches(object)) {
          events.add(event(action.name(), object, target, asTable));
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        events.add("");
      }
    };
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    String since = params.get("resourceVersion");
    boolean replay = since == null || since.isEmpty() || since.equals("0");
    var listing = labels == null ? scoped : scoped.withLabelSelector(java.net.URLDecoder.decode(labels, StandardCharsets.UTF_8));
    long timeout = Long.parseLong(params.getOrDefault("timeoutSeconds", "1800"));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, Math.min(timeout, 3600)));
    Watch watch = listing.watch(watcher);
    try {
      if (replay) {
        for (GenericKubernetesResource existing : listing.list().getItems()) {
          JsonNode object = JSON.valueToTree(existing);
          if (filter.matches(object)) {
            events.add(event("ADDED", object, target, asTable));
          }
        }
      }
      int idle = 0;
      while (System.nanoTime() < until) {
        String line = events.poll(1, TimeUnit.SECONDS);
        if (line == null) {
          // Whitespace between events is allowed; writing some now and then finds a kubectl that was
          // stopped (Ctrl-C) while nothing happened, so that its watch does not outlive it.
          if (++idle % 15 == 0) {
            out.write('\n');
            out.flush();
          }
          continue;
        }
        idle = 0;
        if (line.isEmpty()) {
          break;
        }
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException clientWentAway) {
      // kubectl was stopped (Ctrl-C): the watch closes with the stream.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      watch.close();
    }
  }

  private String event(String type, JsonNode object, Target target, boolean asTable) {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", type);
    event.set("object", asTable ? tables.table(target.plural(), object) : object);
    return event.toString();
  }

  private HttpResponse<byte[]> forward(String method, String path, String query, String contentType, byte[] body)
      throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(path + (query.isEmpty() ? "" : "?" + query)))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json")
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (!contentType.isEmpty()) {
      request.header("Content-Type", contentType);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private Optional<Target> target(String path) {
    if (path.matches("^/api/v1/namespaces/[^/]+(/(status|finalize))?$")) {
      String[] parts = path.split("/");
      return Optional.of(new Target("", "v1", null, "namespaces", parts[4], parts.length > 5 ? parts[5] : null));
    }
    Matcher m = RESOURCE.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    String group = m.group("cv") != null ? "" : m.group("g");
    String version = m.group("cv") != null ? "v1" : m.group("v");
    return Optional.of(new Target(group, version, m.group("ns"), m.group("plural"), m.group("name"), m.group("sub")));
  }

  private static Map<String, String> params(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    return params;
  }

  private static String without(String query, String param) {
    return String.join("&", java.util.Arrays.stream(query.split("&")).filter(p -> !p.isEmpty() && !p.startsWith(param + "="))
        .toList());
  }

  private static void send(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private static void status(HttpExchange exchange, int code, String reason, String message) throws IOException {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure").put("message", message)
        .put("reason", reason).put("code", code);
    send(exchange, code, "application/json", status.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
