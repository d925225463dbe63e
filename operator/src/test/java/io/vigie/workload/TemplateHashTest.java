package io.vigie.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.junit.jupiter.api.Test;

class TemplateHashTest {
  private static PodTemplateSpec template(String image, String... labels) {
    PodTemplateSpecBuilder b = new PodTemplateSpecBuilder().withNewMetadata().endMetadata();
    for (int i = 0; i < labels.length; i += 2) {
      b.editMetadata().addToLabels(labels[i], labels[i + 1]).endMetadata();
    }
    return b.withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
  }

  @Test
  void equalTemplatesHaveTheSameRevisionWhateverTheLabelOrder() {
    assertThat(TemplateHash.revisionOf(template("web:v1", "app", "web", "tier", "front")))
        .isEqualTo(TemplateHash.revisionOf(template("web:v1", "tier", "front", "app", "web")))
        .hasSize(10);
  }

  @Test
  void theLabelsKubernetesAndVigieAddDoNotChangeTheRevision() {
    assertThat(TemplateHash.revisionOf(template("web:v1", "app", "web", "pod-template-hash", "abc", "vigie.io/role", "canary",
        "vigie.io/revision", "x")))
        .isEqualTo(TemplateHash.revisionOf(template("web:v1", "app", "web")));
  }

  @Test
  void anotherImageIsAnotherRevision() {
    assertThat(TemplateHash.revisionOf(template("web:v2", "app", "web")))
        .isNotEqualTo(TemplateHash.revisionOf(template("web:v1", "app", "web")));
    assertThat(TemplateHash.imagesOf(template("web:v2"))).isEqualTo("app=web:v2");
  }
}
