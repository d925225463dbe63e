package io.vigie.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.vigie.api.v1alpha1.Rollout;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OwnershipTest {
  /** Kubernetes' rule for a label value (apimachinery IsValidLabelValue). */
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  private static Rollout rollout(String name) {
    Rollout rollout = new Rollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withUid("u-1").build());
    return rollout;
  }

  @Test
  void aLongRolloutNameCutOnADashOrDotStillMakesAValidLabelValue() {
    String cutOnADash = "a".repeat(62) + "-.b" + "c".repeat(40);
    String value = Ownership.labels(rollout(cutOnADash), "canary").get(Labels.ROLLOUT);
    assertThat(value).isEqualTo("a".repeat(62)).matches(LABEL_VALUE);
    assertThat(Ownership.labels(rollout("web"), "canary").get(Labels.ROLLOUT)).isEqualTo("web");
    assertThat(Ownership.labels(rollout("w".repeat(70)), "canary").get(Labels.ROLLOUT)).hasSize(63).matches(LABEL_VALUE);
  }

  @Test
  void anOwnedObjectNamesItsRolloutAsControllerWithoutBlockingItsDeletion() {
    Service service = new Service();
    service.setMetadata(new ObjectMetaBuilder().withName("web-canary").withNamespace("shop").build());
    Ownership.own(service, rollout("web"));
    assertThat(service.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
      assertThat(ref.getUid()).isEqualTo("u-1");
      assertThat(ref.getController()).isTrue();
      // blockOwnerDeletion would need update on rollouts/finalizers where that permission is enforced (OpenShift).
      assertThat(ref.getBlockOwnerDeletion()).isNull();
    });
    assertThat(Ownership.ownedBy(service, rollout("web"))).isTrue();
  }
}
