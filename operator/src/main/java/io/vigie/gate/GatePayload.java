package io.vigie.gate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigie.api.v1alpha1.Gate;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.util.Map;

/**
 * The JSON a gate receives. Its top level is Flagger's webhook payload (name, namespace, phase,
 * checksum, type, metadata), so that a Flagger loadtester or confirmation service answers Vigie
 * unchanged; what Vigie adds is under "vigie".
 */
public final class GatePayload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GatePayload() {}

  /** Flagger's name for a gate's type, where it has one. */
  static String flaggerType(Gate.Type type) {
    return switch (type) {
      case preRollout -> "pre-rollout";
      case step, loadTest -> "rollout";
      case confirmPromotion -> "confirm-promotion";
      case postRollout -> "post-rollout";
    };
  }

  public static String of(Rollout rollout, Gate gate, Integer step, int stepCount) {
    RolloutStatus status = rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
    ObjectNode body = JSON.createObjectNode();
    body.put("name", rollout.getMetadata().getName());
    body.put("namespace", rollout.getMetadata().getNamespace());
    body.put("phase", status.getPhase() == null ? "" : status.getPhase().name());
    body.put("checksum", status.getCanaryRevision() == null ? "" : status.getCanaryRevision());
    body.put("type", flaggerType(gate.getType()));
    ObjectNode metadata = body.putObject("metadata");
    (gate.getMetadata() == null ? Map.<String, String>of() : gate.getMetadata()).forEach(metadata::put);
    ObjectNode vigie = body.putObject("vigie");
    vigie.put("gate", gate.getName());
    vigie.put("gateType", gate.getType().name());
    vigie.put("stableRevision", status.getStableRevision());
    vigie.put("canaryRevision", status.getCanaryRevision());
    vigie.put("canaryWeight", status.getCanaryWeight() == null ? 0 : status.getCanaryWeight());
    Integer current = step != null ? step : status.getCurrentStepIndex();
    if (current != null) {
      vigie.put("step", Math.min(current + 1, stepCount) + "/" + stepCount);
    }
    return body.toString();
  }
}
