package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vigie.api.v1alpha1.BlueGreenStrategy;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.testing.OperatorHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What Argo CD would call drift while Vigie runs a release: the fields of the Git manifests whose
 * live value differs (Argo CD compares what the manifest sets; keys only the cluster has are not
 * drift), before and after the {@code ignoreDifferences} of integrations/argocd.
 */
class ArgoCdDriftTest {
  private static final Path APPLICATION = Path.of("..", "integrations", "argocd", "application-ignore-differences.yaml");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** The manifests as a Git repository holds them; the Deployment sets paused like many charts do. */
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        labels: {app: web}
        annotations: {team: payments}
      spec:
        replicas: 4
        paused: false
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: app
                image: shop/web:v1
                ports: [{containerPort: 8080}]
      """;
  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: 8080}]
      """;

  @Test
  void aCanaryDriftsOnlyOnSpecPausedWhichTheShippedSnippetIgnores() throws IOException {
    try (OperatorHarness k8s = OperatorHarness.start()) {
      apply(k8s, DEPLOYMENT);
      apply(k8s, SERVICE);
      k8s.createRollout("web", "web", "web", CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitPhase("web", RolloutPhase.Paused);

      String v2 = DEPLOYMENT.replace("shop/web:v1", "shop/web:v2");
      assertThat(drift(k8s, v2)).as("the operator paused the target mid-canary").containsExactly("/spec/paused");
      assertThat(ignored(drift(k8s, v2))).as("after ignoreDifferences").isEmpty();
      assertThat(drift(k8s, SERVICE)).as("replica-ratio canary leaves the user's Service alone").isEmpty();
    }
  }

  @Test
  void aBlueGreenPreviewDriftsOnlyOnSpecPausedItsServicePinIsAnAddedKey() throws IOException {
    try (OperatorHarness k8s = OperatorHarness.start()) {
      apply(k8s, DEPLOYMENT);
      apply(k8s, SERVICE);
      k8s.createBlueGreenRollout("web", "web", "web", null, new BlueGreenStrategy());
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused);
      k8s.eventually(() -> assertThat(k8s.service("web").getSpec().getSelector()).containsKey("pod-template-hash"));

      String v2 = DEPLOYMENT.replace("shop/web:v1", "shop/web:v2");
      assertThat(drift(k8s, v2)).containsExactly("/spec/paused");
      assertThat(ignored(drift(k8s, v2))).isEmpty();
      assertThat(drift(k8s, SERVICE)).as("the pin adds pod-template-hash; app=web is untouched").isEmpty();
    }
  }

  private static void apply(OperatorHarness k8s, String manifest) {
    k8s.client().resource(manifest).inNamespace(NS).create();
  }

  /** JSON pointers of the manifest's leaves whose live value differs. */
  private static List<String> drift(OperatorHarness k8s, String manifest) throws IOException {
    JsonNode desired = YAML.readTree(manifest);
    HasMetadata live = k8s.client().resource(manifest).inNamespace(NS).get();
    List<String> drift = new ArrayList<>();
    compare("", desired, JSON.convertValue(live, JsonNode.class), drift);
    return drift;
  }

  private static void compare(String pointer, JsonNode desired, JsonNode live, List<String> drift) {
    if (desired.isObject()) {
      for (Map.Entry<String, JsonNode> field : desired.properties()) {
        compare(pointer + "/" + field.getKey(), field.getValue(), live == null ? null : live.get(field.getKey()), drift);
      }
    } else if (desired.isArray()) {
      for (int i = 0; i < desired.size(); i++) {
        compare(pointer + "/" + i, desired.get(i), live == null ? null : live.get(i), drift);
      }
    } else if (live == null || !desired.asText().equals(live.asText())) {
      drift.add(pointer);
    }
  }

  /** The drift left once the Application's ignoreDifferences for apps/Deployment apply. */
  private static List<String> ignored(List<String> drift) throws IOException {
    List<String> pointers = new ArrayList<>();
    for (JsonNode rule : YAML.readTree(Files.readString(APPLICATION)).path("spec").path("ignoreDifferences")) {
      if (rule.path("group").asText().equals("apps") && rule.path("kind").asText().equals("Deployment")) {
        rule.path("jsonPointers").forEach(p -> pointers.add(p.asText()));
      }
    }
    assertThat(pointers).as("the snippet ignores something").isNotEmpty();
    return drift.stream().filter(d -> pointers.stream().noneMatch(p -> d.equals(p) || d.startsWith(p + "/"))).toList();
  }
}
