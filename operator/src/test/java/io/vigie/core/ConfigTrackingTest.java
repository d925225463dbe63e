package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.PendingControl.Control;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * vigie.io/track-configs in the decision core: what the pod template's ConfigMaps and Secrets were at
 * the canary's start is kept in status, and the promotion (a blue-green switch) waits while one
 * differs, until it is put back or a person accepts it.
 */
class ConfigTrackingTest {
  private static final Map<String, String> START = Map.of("ConfigMap web-config", "sha256 aaaa", "Secret web-token",
      "resourceVersion 10");

  private final ModelWorld world = new ModelWorld();
  private final List<RolloutEvent> events = new ArrayList<>();
  private final RolloutSpec spec = Specs.canary(CanaryStep.weight(50), CanaryStep.pauseFor("1m"));

  private RolloutStatus step(RolloutSpec spec, RolloutStatus status) {
    Decision d = world.step(spec, status);
    events.addAll(d.events());
    return d.status();
  }

  private RolloutStatus until(RolloutSpec spec, RolloutStatus status, Predicate<RolloutStatus> done) {
    for (int i = 0; i < 20 && !done.test(status); i++) {
      status = step(spec, status);
    }
    assertThat(done.test(status)).as("reached: %s %s", status.getPhase(), status.getMessage()).isTrue();
    return status;
  }

  private RolloutStatus atTheLastPause() {
    world.configs = new Observation.Configs(true, START);
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    status = until(spec, status, s -> "2/2".equals(s.getStep()));
    assertThat(status.getTrackedConfigs()).as("recorded at the canary's start").isEqualTo(START);
    return status;
  }

  private static boolean promoted(RolloutStatus s) {
    return s.getPhase() == RolloutPhase.Healthy && s.getCanaryRevision() == null;
  }

  @Test
  void aConfigMapChangedMidCanaryHoldsThePromotionUntilItIsPutBack() {
    RolloutStatus status = atTheLastPause();
    int canaryPods = world.canaryReplicas;
    world.configs = new Observation.Configs(true, Map.of("ConfigMap web-config", "sha256 bbbb", "Secret web-token",
        "resourceVersion 10"));
    world.now = world.now.plus(Duration.ofMinutes(1));
    status = step(spec, status);
    status = step(spec, status);
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(status.getMessage()).startsWith("ConfigMap shop/web-config changed since the canary started: the promotion of "
        + "revision rev-v2 waits, since the change reaches the stable pods untested");
    assertThat(status.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Paused");
      assertThat(c.getReason()).isEqualTo("ConfigChanged");
    });
    assertThat(events).filteredOn(e -> e.cause() == EventReason.ConfigChanged).as("one Warning for the hold")
        .singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(RolloutEvent.Type.Warning));
    assertThat(world.paused).as("the target stays paused").isTrue();
    assertThat(world.canaryReplicas).as("the canary keeps its pods (50%% by replica ratio: 4 beside 4)").isEqualTo(canaryPods)
        .isEqualTo(4);

    world.configs = new Observation.Configs(true, START);
    status = until(spec, status, ConfigTrackingTest::promoted);
    assertThat(status.getTrackedConfigs()).isNull();
  }

  @Test
  void aPersonAcceptsTheChangeWithPromoteAndADeletedSecretIsNamed() {
    RolloutStatus status = atTheLastPause();
    world.configs = new Observation.Configs(true, Map.of("ConfigMap web-config", "sha256 aaaa", "Secret web-token",
        Observation.Configs.ABSENT));
    world.now = world.now.plus(Duration.ofMinutes(1));
    status = until(spec, status, s -> s.getPhase() == RolloutPhase.Paused);
    assertThat(status.getMessage()).startsWith("Secret shop/web-token was deleted since the canary started");

    world.control = Optional.of(new PendingControl(Control.PROMOTE, "true", "id-1"));
    status = step(spec, status);
    assertThat(status.getLastControl().getResult()).isEqualTo("accepted by hand: Secret shop/web-token was deleted: promoting "
        + "revision rev-v2");
    status = until(spec, status, ConfigTrackingTest::promoted);
  }

  @Test
  void withoutTheAnnotationAChangeGoesUnnoticed() {
    RolloutStatus status = step(spec, null);
    world.image = "v2";
    status = until(spec, status, s -> "2/2".equals(s.getStep()));
    assertThat(status.getTrackedConfigs()).isNull();
    world.now = world.now.plus(Duration.ofMinutes(1));
    until(spec, status, ConfigTrackingTest::promoted);
  }

  @Test
  void aBlueGreenSwitchWaitsOnAChangedConfigAndAPromoteAcceptsIt() {
    RolloutSpec blueGreen = Specs.blueGreen(Specs.blueGreen(0, 0));
    world.configs = new Observation.Configs(true, START);
    RolloutStatus status = step(blueGreen, null);
    world.image = "v2";
    status = step(blueGreen, status);
    assertThat(status.getTrackedConfigs()).isEqualTo(START);
    world.configs = new Observation.Configs(true, Map.of("ConfigMap web-config", "sha256 cccc", "Secret web-token",
        "resourceVersion 10"));
    status = until(blueGreen, status, s -> s.getPhase() == RolloutPhase.Paused);
    assertThat(status.getMessage()).startsWith("ConfigMap shop/web-config changed since the canary started: the switch to "
        + "green waits");
    assertThat(status.getBlueGreen().getSwitchedAt()).isNull();

    world.control = Optional.of(new PendingControl(Control.PROMOTE, "true", "id-2"));
    status = step(blueGreen, status);
    assertThat(status.getLastControl().getResult()).startsWith("accepted by hand: ConfigMap shop/web-config changed: switching");
    until(blueGreen, status, ConfigTrackingTest::promoted);
  }
}
