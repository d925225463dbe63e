package io.vigie.playground;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The playground's API server as kubectl sees it: a kubeconfig that works, and the discovery documents. */
class PlaygroundClusterTest {

  @Test
  void aClientFromTheWrittenKubeconfigDiscoversRolloutsDeploymentsAndServices(@TempDir Path dir) throws Exception {
    try (Playground playground = new Playground(new Playground.Settings(1, 2, 0, 15, 1))) {
      playground.deployApp("ghcr.io/example/web:v1");
      Path kubeconfig = playground.writeKubeconfig(dir.resolve("kubeconfig"));

      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null, kubeconfig.toFile()))
          .build()) {
        assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName()).contains("apps", "vigie.io");
        assertThat(client.getApiResources("vigie.io/v1alpha1").getResources()).anySatisfy(r -> {
          assertThat(r.getName()).isEqualTo("rollouts");
          assertThat(r.getShortNames()).containsExactly("vro");
          assertThat(r.getNamespaced()).isTrue();
        });
        assertThat(client.getApiResources("apps/v1").getResources()).extracting(APIResource::getName).contains("deployments");
        assertThat(client.getApiResources("v1").getResources()).extracting(APIResource::getName).contains("services");
        assertThat(client.services().list().getItems()).extracting(s -> s.getMetadata().getName()).containsExactly("web");
      }
    }
  }
}
