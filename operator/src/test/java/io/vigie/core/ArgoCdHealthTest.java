package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.PendingControl.Control;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The health check shipped in integrations/argocd, run on a Lua VM as Argo CD runs it (the object as
 * the global {@code obj}, the script's return value a table {status, message}) over the statuses the
 * real decision core writes in every phase.
 */
class ArgoCdHealthTest {
  private static final Path PATCH = Path.of("..", "integrations", "argocd", "argocd-cm-patch.yaml");
  private static final String KEY = "resource.customizations.health.vigie.io_Rollout";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final ModelWorld world = new ModelWorld();
  private final String script = script();

  record Health(String status, String message) {}

  private static String script() {
    try {
      JsonNode patch = new YAMLMapper().readTree(Files.readString(PATCH));
      return patch.path("data").path(KEY).asText();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + PATCH, e);
    }
  }

  Health health(Rollout rollout) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(JSON.convertValue(rollout, JsonNode.class)));
    LuaValue result = globals.load(script, KEY).call();
    return new Health(result.get("status").tojstring(), result.get("message").optjstring(null));
  }

  Health health(long generation, RolloutStatus status) {
    Rollout rollout = new Rollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").withGeneration(generation).build());
    rollout.setStatus(status);
    return health(rollout);
  }

  /** JSON as Argo CD hands it to Lua: objects and arrays as tables (arrays from 1), numbers as numbers. */
  private static LuaValue lua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (!field.getValue().isNull()) {
          table.set(field.getKey(), lua(field.getValue()));
        }
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.asLong());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    return LuaValue.valueOf(node.asText());
  }

  @Test
  void eachPhaseMapsToTheArgoCdHealthAPersonExpects() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(20), CanaryStep.pauseUntilPromoted(), CanaryStep.weight(60));
    assertThat(health(1, null)).as("not reconciled yet")
        .isEqualTo(new Health("Progressing", "Waiting for the Vigie operator to report a status"));

    RolloutStatus status = world.step(spec, null).status();
    assertThat(health(1, status)).isEqualTo(new Health("Healthy", status.getMessage()));
    assertThat(health(2, status)).as("a spec change the operator has not seen")
        .isEqualTo(new Health("Progressing", "Waiting for the Vigie operator to observe generation 2"));

    world.image = "v2";
    status = world.step(spec, status).status();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(health(1, status)).isEqualTo(new Health("Progressing", status.getMessage()));

    for (int i = 0; i < 5 && status.getPhase() != RolloutPhase.Paused; i++) {
      status = world.step(spec, status).status();
    }
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(health(1, status)).as("a pause step waits for a person").isEqualTo(new Health("Suspended", status.getMessage()));

    world.control = Optional.of(new PendingControl(Control.ABORT, "true", "id-1"));
    status = world.step(spec, status).status();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(health(1, status).status()).isEqualTo("Degraded");
    assertThat(health(1, status).message()).startsWith("rolled back");

    RolloutSpec invalid = Specs.canary(CanaryStep.weight(150));
    status = world.step(invalid, status).status();
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Invalid);
    assertThat(health(1, status)).isEqualTo(new Health("Degraded", status.getMessage()));
  }

  @Test
  void aPromotionIsProgressingUntilItsDeadlineThenDegraded() {
    RolloutSpec spec = Specs.canary(CanaryStep.weight(50));
    RolloutStatus status = world.step(spec, null).status();
    world.image = "v2";
    world.newPodsBecomeReady = false;
    for (int i = 0; i < 10 && status.getPhase() != RolloutPhase.Promoting; i++) {
      status = world.step(spec, status).status();
    }
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Promoting);
    assertThat(health(1, status)).isEqualTo(new Health("Progressing", status.getMessage()));

    world.now = world.now.plus(Duration.ofHours(1));
    status = world.step(spec, status).status();
    assertThat(status.getMessage()).contains("is taking longer than");
    assertThat(health(1, status)).as("kstatus Stalled: a person must look at the pods")
        .isEqualTo(new Health("Degraded", status.getMessage()));

    world.newPodsBecomeReady = true;
    for (int i = 0; i < 10 && !(status.getPhase() == RolloutPhase.Healthy && status.getCanaryRevision() == null); i++) {
      status = world.step(spec, status).status();
    }
    assertThat(health(1, status)).as("promoted").isEqualTo(new Health("Healthy", status.getMessage()));
  }

  @Test
  void aStatusWithoutKstatusConditionsFallsBackOnThePhaseAndAnUnknownPhaseIsUnknown() {
    RolloutStatus old = new RolloutStatus();
    old.setPhase(RolloutPhase.Healthy);
    old.setObservedGeneration(3L);
    old.setMessage("stable revision abc serves all traffic");
    assertThat(health(3, old)).as("written by an operator older than the Ready condition")
        .isEqualTo(new Health("Healthy", "stable revision abc serves all traffic"));

    Globals globals = JsePlatform.standardGlobals();
    LuaTable obj = new LuaTable();
    LuaTable statusTable = new LuaTable();
    statusTable.set("phase", "Hibernating");
    obj.set("metadata", new LuaTable());
    obj.set("status", statusTable);
    globals.set("obj", obj);
    LuaValue result = globals.load(script, KEY).call();
    assertThat(result.get("status").tojstring()).isEqualTo("Unknown");
    assertThat(result.get("message").tojstring()).startsWith("Unknown Vigie phase Hibernating");
  }
}
