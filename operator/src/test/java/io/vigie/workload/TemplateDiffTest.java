package io.vigie.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class TemplateDiffTest {
  private static PodTemplateSpecBuilder base() {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("web").withImage("shop/web:v1").withArgs("--port=8080")
        .addNewEnv().withName("LOG_LEVEL").withValue("info").endEnv()
        .addNewEnv().withName("OLD_FLAG").withValue("1").endEnv()
        .withNewResources().addToLimits("memory", new Quantity("256Mi")).endResources()
        .withNewReadinessProbe().withNewHttpGet().withPath("/healthz").withNewPort(8080).endHttpGet().endReadinessProbe()
        .endContainer()
        .addNewVolume().withName("config").withNewConfigMap().withName("web-config").endConfigMap().endVolume()
        .endSpec();
  }

  @Test
  void listsWhatAPersonOnCallLooksForFirst() {
    PodTemplateSpec stable = base().build();
    PodTemplateSpec canary = base().editSpec()
        .editFirstContainer().withImage("shop/web:v2").withArgs("--port=8080", "--fast")
        .withEnv()
        .addNewEnv().withName("LOG_LEVEL").withValue("debug").endEnv()
        .addNewEnv().withName("DB_PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "db", false).endValueFrom().endEnv()
        .withNewResources().addToLimits("memory", new Quantity("128Mi")).endResources()
        .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(8080).endHttpGet().endReadinessProbe()
        .endContainer()
        .withVolumes()
        .addNewVolume().withName("config").withNewConfigMap().withName("web-config-v2").endConfigMap().endVolume()
        .endSpec().build();

    assertThat(TemplateDiff.between(stable, canary)).containsExactly(
        "container web: image shop/web:v1 → shop/web:v2",
        "container web: args [--port=8080] → [--port=8080, --fast]",
        "container web: env LOG_LEVEL info → debug",
        "container web: env OLD_FLAG removed",
        "container web: env DB_PASSWORD added (from Secret db/password)",
        "container web: limits.memory 256Mi → 128Mi",
        "container web: readinessProbe changed",
        "now references ConfigMap web-config-v2",
        "now references Secret db",
        "no longer references ConfigMap web-config");
  }

  @Test
  void saysSoWhenOnlyOtherFieldsChanged() {
    PodTemplateSpec stable = base().build();
    PodTemplateSpec canary = base().editMetadata().addToAnnotations("team", "b").endMetadata().build();
    assertThat(TemplateDiff.between(stable, canary))
        .containsExactly("the pod template changed in other fields (labels, annotations, volumes, scheduling, ...)");
    assertThat(TemplateDiff.between(stable, base().build())).isEmpty();
  }

  @Test
  void namesAddedAndRemovedContainers() {
    PodTemplateSpec stable = base().build();
    PodTemplateSpec canary = base().editSpec().addNewContainer().withName("envoy").withImage("envoy:1.30").endContainer()
        .endSpec().build();
    assertThat(TemplateDiff.between(stable, canary)).containsExactly("container envoy added (envoy:1.30)");
    assertThat(TemplateDiff.between(canary, stable)).containsExactly("container envoy removed");
  }
}
