package io.vigie.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
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
  private final KubernetesClient client;

  private MockCluster(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  public static MockCluster start() {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(List.of()), false);
    server.init();
    KubernetesClient client = server.createClient();
    for (CustomResourceDefinition crd : crds()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    return new MockCluster(server, client);
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

  /** A new client to the same server, e.g. for an operator instance that must not share the test's. */
  public KubernetesClient newClient() {
    return server.createClient();
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
