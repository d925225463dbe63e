package io.vigie.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mock API server's store, one CRUD dispatcher per namespace. fabric8's CRUD store scans every
 * object it holds on every request, so with thousands of Rollouts the mock server, not the operator,
 * is what a benchmark would measure; split by namespace, a request costs what it costs in a
 * namespace of a hundred. Cluster-scoped objects and discovery stay in one dispatcher. A list
 * across namespaces is gathered from every partition, and a watch across namespaces is every
 * partition's watch on one WebSocket, so that clients watch as they would a real API server: one
 * informer per kind. The partitions draw resource versions from one counter, so that a list's
 * version orders every change in every namespace, as a watch resuming from it needs.
 */
final class PartitionedDispatcher extends Dispatcher {
  private static final Pattern NAMESPACED = Pattern.compile("^/(?:api/v1|apis/[^/]+/[^/]+)/namespaces/([^/]+)/.+$");
  private static final Pattern COLLECTION = Pattern.compile("^/(?:api/v1|apis/[^/]+/[^/]+)/([^/]+)$");
  private static final Set<String> CLUSTER_SCOPED = Set.of("namespaces", "customresourcedefinitions",
      "clusteranalysistemplates", "nodes", "clusterroles", "clusterrolebindings");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Dispatcher clusterScoped;
  private final List<CustomResourceDefinitionContext> customResources;
  private final Map<String, KubernetesCrudDispatcher> byNamespace = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong resourceVersion = new java.util.concurrent.atomic.AtomicLong();
  private final Map<String, java.util.concurrent.atomic.LongAdder> requestsByToken = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.LongAdder> writesByToken = new ConcurrentHashMap<>();

  /**
   * @param namespaces the partitions to make now: a watch across namespaces covers the partitions
   *     that exist when it starts, so the namespaces a benchmark uses are made before any client watches
   */
  PartitionedDispatcher(Dispatcher clusterScoped, List<CustomResourceDefinitionContext> customResources, Set<String> namespaces) {
    this.clusterScoped = clusterScoped;
    this.customResources = List.copyOf(customResources);
    namespaces.forEach(this::partition);
  }

  private KubernetesCrudDispatcher partition(String namespace) {
    return byNamespace.computeIfAbsent(namespace, ns -> new Partition(customResources, resourceVersion));
  }

  /** Requests sent with this bearer token so far: one client's share of the server's work. */
  long requestsFrom(String token) {
    var count = requestsByToken.get(token);
    return count == null ? 0 : count.sum();
  }

  /** Writes (POST, PUT, PATCH, DELETE) sent with this bearer token so far. */
  long writesFrom(String token) {
    var count = writesByToken.get(token);
    return count == null ? 0 : count.sum();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ")) {
      String token = authorization.substring(7);
      requestsByToken.computeIfAbsent(token, t -> new java.util.concurrent.atomic.LongAdder()).increment();
      if (!"GET".equals(request.getMethod())) {
        writesByToken.computeIfAbsent(token, t -> new java.util.concurrent.atomic.LongAdder()).increment();
      }
    }
    String path = request.getPath() == null ? "" : request.getPath();
    String bare = path.replaceFirst("\\?.*$", "");
    Matcher namespaced = NAMESPACED.matcher(bare);
    if (namespaced.matches()) {
      return partition(namespaced.group(1)).dispatch(request);
    }
    Matcher collection = COLLECTION.matcher(bare);
    if (collection.matches() && !CLUSTER_SCOPED.contains(collection.group(1)) && "GET".equals(request.getMethod())) {
      return path.contains("watch=true") ? watchAcrossNamespaces(request, collection.group(1)) : listAcrossNamespaces(request);
    }
    return clusterScoped.dispatch(request);
  }

  /** One namespace's store, stamping objects from the shared resource version counter. */
  private static final class Partition extends KubernetesCrudDispatcher {
    private final java.util.concurrent.atomic.AtomicLong shared;

    Partition(List<CustomResourceDefinitionContext> customResources, java.util.concurrent.atomic.AtomicLong shared) {
      super(customResources);
      this.shared = shared;
    }

    @Override
    public long requestResourceVersion() {
      return shared.incrementAndGet();
    }
  }

  private MockResponse listAcrossNamespaces(RecordedRequest request) {
    String version = Long.toString(resourceVersion.get());
    ObjectNode merged = null;
    ArrayNode items = JSON.createArrayNode();
    for (KubernetesCrudDispatcher partition : byNamespace.values()) {
      MockResponse response = partition.dispatch(request);
      if (response.code() != 200) {
        return response;
      }
      try {
        JsonNode list = JSON.readTree(response.getBody().readUtf8());
        if (merged == null) {
          merged = (ObjectNode) list;
        }
        list.path("items").forEach(items::add);
      } catch (IOException e) {
        return status(500, "partition answered a list with unreadable JSON: " + e.getMessage());
      }
    }
    if (merged == null) {
      return clusterScoped.dispatch(request);
    }
    merged.set("items", items);
    ObjectNode metadata = merged.get("metadata") instanceof ObjectNode m ? m : merged.putObject("metadata");
    metadata.put("resourceVersion", version);
    return new MockResponse().setResponseCode(200).addHeader("Content-Type", "application/json").setBody(merged.toString());
  }

  /**
   * Every partition's watch on one WebSocket. Each partition's watch has its own sender thread, so a
   * watch across a hundred namespaces costs a hundred threads: the scale bench keeps watches few.
   */
  private MockResponse watchAcrossNamespaces(RecordedRequest request, String resource) {
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      return status(400, "a watch of " + resource + " across namespaces needs a WebSocket in this playground");
    }
    List<WebSocketListener> watches = new java.util.ArrayList<>();
    for (KubernetesCrudDispatcher partition : byNamespace.values()) {
      watches.add(partition.dispatch(request).getWebSocketListener());
    }
    return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
      @Override
      public void onOpen(WebSocket socket, Response response) {
        watches.forEach(w -> w.onOpen(socket, response));
      }

      @Override
      public void onMessage(WebSocket socket, String text) {
        watches.forEach(w -> w.onMessage(socket, text));
      }

      @Override
      public void onClosing(WebSocket socket, int code, String reason) {
        watches.forEach(w -> w.onClosing(socket, code, reason));
      }

      @Override
      public void onClosed(WebSocket socket, int code, String reason) {
        watches.forEach(w -> w.onClosed(socket, code, reason));
      }

      @Override
      public void onFailure(WebSocket socket, Throwable error, Response response) {
        watches.forEach(w -> w.onFailure(socket, error, response));
      }
    });
  }

  private static MockResponse status(int code, String message) {
    ObjectNode status = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Status").put("status", "Failure")
        .put("message", message).put("code", code);
    return new MockResponse().setResponseCode(code).addHeader("Content-Type", "application/json").setBody(status.toString());
  }
}
