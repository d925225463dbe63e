package io.vigie.core;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.Gate;
import io.vigie.api.v1alpha1.Limits;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.WebHeader;
import io.vigie.domain.Names;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks spec.gates and the steps that name them, as the schema does and for what it cannot (references). */
final class GateValidation {
  static final int GATES = 20;
  static final int METADATA = 32;

  private GateValidation() {}

  static void problems(RolloutSpec spec, List<String> problems) {
    List<Gate> gates = spec.getGates() == null ? List.of() : spec.getGates();
    if (gates.isEmpty()) {
      stepGates(spec, Map.of(), problems);
      return;
    }
    if (spec.getStrategy() != null && spec.getStrategy().getBlueGreen() != null) {
      problems.add("spec.gates apply to canary releases: with blueGreen, judge green with prePromotionAnalysis and promote "
          + "with vigie.io/promote (or autoPromotionSeconds)");
      return;
    }
    if (gates.size() > GATES) {
      problems.add("spec.gates has " + gates.size() + " gates: at most " + GATES);
      return;
    }
    Set<String> names = new HashSet<>();
    Map<String, Gate> byName = new java.util.HashMap<>();
    for (int i = 0; i < gates.size(); i++) {
      Gate gate = gates.get(i);
      String where = "spec.gates[" + i + "]";
      if (gate == null) {
        problems.add(where + " is empty: give a name, a type and a url");
        continue;
      }
      if (gate.getName() == null || !gate.getName().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || gate.getName().length() > Limits.DNS_LABEL) {
        problems.add(where + ".name " + Names.quote(gate.getName()) + " is not a name: lowercase letters, digits and '-', at most "
            + Limits.DNS_LABEL);
      } else if (!names.add(gate.getName())) {
        problems.add(where + ".name " + gate.getName() + " is used twice: each gate has its own name");
      } else {
        byName.put(gate.getName(), gate);
      }
      gateProblems(where, gate, problems);
    }
    stepGates(spec, byName, problems);
  }

  private static void gateProblems(String where, Gate gate, List<String> problems) {
    if (gate.getType() == null) {
      problems.add(where + ".type is missing: preRollout, step, confirmPromotion, postRollout or loadTest");
    }
    if (gate.getUrl() == null || !gate.getUrl().matches("https?://.+") || gate.getUrl().length() > Limits.URL) {
      problems.add(where + ".url " + Names.quote(gate.getUrl()) + " is not an http or https URL (at most " + Limits.URL
          + " characters)");
    }
    duration(where + ".timeout", gate.getTimeout(), Limits.TIMEOUT_MIN, Limits.TIMEOUT_MAX, problems);
    duration(where + ".interval", gate.getInterval(), Limits.GATE_INTERVAL_MIN, Limits.GATE_INTERVAL_MAX, problems);
    if (gate.abortsOnFailure() && gate.getType() != null && !List.of(Gate.Type.preRollout, Gate.Type.step,
        Gate.Type.confirmPromotion).contains(gate.getType())) {
      problems.add(where + ".onFailure: Abort applies to preRollout, step and confirmPromotion gates: a " + gate.getType()
          + " gate's answer is reported, it rolls nothing back");
    }
    Map<String, String> metadata = gate.getMetadata() == null ? Map.of() : gate.getMetadata();
    if (metadata.size() > METADATA || metadata.values().stream().anyMatch(v -> v == null || v.length() > Limits.ARG_VALUE)) {
      problems.add(where + ".metadata: at most " + METADATA + " entries, each a string of at most " + Limits.ARG_VALUE
          + " characters");
    }
    List<WebHeader> headers = gate.getHeaders() == null ? List.of() : gate.getHeaders();
    if (headers.size() > Limits.HEADERS) {
      problems.add(where + ".headers: at most " + Limits.HEADERS);
    }
    for (WebHeader header : headers) {
      boolean fromSecret = header != null && header.getValueFrom() != null && header.getValueFrom().getSecretKeyRef() != null;
      if (header == null || header.getName() == null || (header.getValue() == null) == !fromSecret) {
        problems.add(where + ".headers: each header has a name and either a value or valueFrom.secretKeyRef");
      }
    }
  }

  private static void duration(String where, String text, java.time.Duration min, java.time.Duration max, List<String> problems) {
    if (text == null) {
      return;
    }
    try {
      Durations.parseWithin(text, min, max);
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
    }
  }

  /** A step gate names a gate of type step. */
  private static void stepGates(RolloutSpec spec, Map<String, Gate> gates, List<String> problems) {
    List<CanaryStep> steps = spec.getStrategy() == null || spec.getStrategy().getCanary() == null
        || spec.getStrategy().getCanary().getSteps() == null ? List.of() : spec.getStrategy().getCanary().getSteps();
    for (int i = 0; i < steps.size(); i++) {
      String name = steps.get(i) == null ? null : steps.get(i).getGate();
      if (name == null) {
        continue;
      }
      Optional<Gate> gate = Optional.ofNullable(gates.get(name));
      if (gate.isEmpty()) {
        problems.add("spec.strategy.canary.steps[" + i + "].gate names " + Names.quote(name) + ", which spec.gates does not "
            + "have: add a gate of type step with that name");
      } else if (gate.get().getType() != Gate.Type.step) {
        problems.add("spec.strategy.canary.steps[" + i + "].gate names " + name + ", a " + gate.get().getType()
            + " gate: a step holds at a gate of type step");
      }
    }
  }
}
