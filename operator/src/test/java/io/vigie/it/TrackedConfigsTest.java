package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testing.OperatorHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * vigie.io/track-configs on the operator: a ConfigMap (env) and a Secret (volume) of the pod template
 * changed mid-canary hold the promotion, said by a condition and a Warning Event naming them; putting
 * the ConfigMap back leaves the Secret holding; a person's promote accepts it.
 */
class TrackedConfigsTest {
  @Test
  void aChangedConfigMapOrSecretHoldsThePromotionUntilPutBackOrAccepted() {
    try (OperatorHarness k8s = OperatorHarness.start()) {
      k8s.client().configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("web-config")
          .endMetadata().addToData("FEATURE_X", "off").build()).create();
      k8s.client().secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("web-tls").endMetadata()
          .addToStringData("tls.key", "k1").build()).create();
      k8s.client().apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
          .withNewMetadata().withName("web").endMetadata()
          .withNewSpec().withReplicas(4).withNewSelector().addToMatchLabels("app", "web").endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
          .withNewSpec()
          .addNewContainer().withName("app").withImage("shop/web:v1")
          .addNewEnv().withName("FEATURE_X").withNewValueFrom().withNewConfigMapKeyRef("FEATURE_X", "web-config", false)
          .endValueFrom().endEnv()
          .addNewVolumeMount().withName("tls").withMountPath("/tls").endVolumeMount()
          .endContainer()
          .addNewVolume().withName("tls").withNewSecret().withSecretName("web-tls").endSecret().endVolume()
          .endSpec().endTemplate().endSpec().build()).create();
      k8s.createService("web", "web");
      k8s.createRollout("web", "web", "web", CanaryStep.weight(50), CanaryStep.pauseFor("1m"));
      k8s.annotate("web", "vigie.io/track-configs", "true");
      k8s.awaitPhase("web", RolloutPhase.Healthy);

      k8s.setImage("web", "shop/web:v2");
      RolloutStatus pausing = k8s.awaitStatus("web", s -> "2/2".equals(s.getStep()));
      assertThat(pausing.getTrackedConfigs()).containsOnlyKeys("ConfigMap web-config", "Secret web-tls")
          .hasEntrySatisfying("ConfigMap web-config", v -> assertThat(v).startsWith("sha256 "))
          .hasEntrySatisfying("Secret web-tls", v -> assertThat(v).startsWith("resourceVersion ").doesNotContain("k1"));

      k8s.client().configMaps().inNamespace(NS).withName("web-config").edit(c -> {
        c.getData().put("FEATURE_X", "on");
        return c;
      });
      k8s.client().secrets().inNamespace(NS).withName("web-tls").edit(s -> {
        s.setStringData(Map.of("tls.key", "k2"));
        return s;
      });
      k8s.advance("web", Duration.ofMinutes(1));
      RolloutStatus held = k8s.awaitPhase("web", RolloutPhase.Paused);
      assertThat(held.getMessage()).startsWith("ConfigMap shop/web-config changed, Secret shop/web-tls changed since the canary "
          + "started: the promotion of revision");
      assertThat(held.getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Paused");
        assertThat(c.getReason()).isEqualTo("ConfigChanged");
        assertThat(c.getMessage()).contains("ConfigMap shop/web-config changed");
      });
      k8s.eventually(() -> assertThat(k8s.events("web")).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("ConfigChanged");
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getMessage()).contains("Secret shop/web-tls changed");
      }));
      assertThat(k8s.deployment("web").getSpec().getPaused()).as("not promoted").isTrue();

      k8s.client().configMaps().inNamespace(NS).withName("web-config").edit(c -> {
        c.getData().put("FEATURE_X", "off");
        return c;
      });
      k8s.advance("web", Duration.ofSeconds(30));
      RolloutStatus stillHeld = k8s.awaitStatus("web", s -> s.getMessage() != null && s.getMessage().startsWith(
          "Secret shop/web-tls changed since"));
      assertThat(stillHeld.getPhase()).isEqualTo(RolloutPhase.Paused);

      k8s.annotate("web", "vigie.io/promote", "true");
      RolloutStatus healthy = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && s.getCanaryRevision() == null);
      assertThat(healthy.getLastControl().getResult()).startsWith("accepted by hand: Secret shop/web-tls changed: promoting");
      assertThat(healthy.getTrackedConfigs()).isNull();
    }
  }
}
