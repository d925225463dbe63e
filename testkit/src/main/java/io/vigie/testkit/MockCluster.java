package io.vigie.testkit;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fabric8 mock API server in CRUD mode with Vigie's CRDs loaded into it (so that Rollout status
 * is a subresource, as on a real cluster).
 */
public final class MockCluster implements AutoCloseable {
  public static final Path CRDS = Path.of(System.getProperty("vigie.crds", "../crds"));

  private final KubernetesMockServer server;
  private final RecordingDispatcher dispatcher;
  private final KubernetesClient client;

  private MockCluster(KubernetesMockServer server, RecordingDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.client = newClient("test");
  }

  public static MockCluster start() {
    RecordingDispatcher dispatcher = new RecordingDispatcher();
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    MockCluster cluster = new MockCluster(server, dispatcher);
    for (CustomResourceDefinition crd : crds()) {
      cluster.client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    // The route kinds of the Gateway API and Istio, as a cluster that has them serves them.
    for (String routeKind : List.of("httproutes.gateway.networking.k8s.io", "virtualservices.networking.istio.io")) {
      try (InputStream in = MockCluster.class.getResourceAsStream("/route-crds/" + routeKind + ".yaml")) {
        cluster.client.apiextensions().v1().customResourceDefinitions()
            .resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cluster;
  }

  /** Every write the server saw, and the means to inject faults. */
  public RecordingDispatcher dispatcher() {
    return dispatcher;
  }

  private static List<CustomResourceDefinition> crds() {
    try (Stream<Path> files = Files.list(CRDS)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().map(MockCluster::load).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CustomResourceDefinition load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client of the test's own, as a user or a test would use. */
  public KubernetesClient client() {
    return client;
  }

  /** A new client to the same server, whose writes are recorded as made by {@code actor}. */
  public KubernetesClient newClient(String actor) {
    return newClient(actor, java.time.Duration.ofSeconds(5));
  }

  public KubernetesClient newClient(String actor, java.time.Duration requestTimeout) {
    Config config = new ConfigBuilder(server.createClient().getConfiguration())
        .addToCustomHeaders(RecordingDispatcher.ACTOR, actor)
        .withRequestTimeout((int) requestTimeout.toMillis())
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  public KubernetesMockServer server() {
    return server;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
