package io.vigie.cli;

import io.vigie.api.v1alpha1.GateStatus;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The gates of the current (or last) release in `vigie status`: each one's state, its last answer, when it is asked next. */
final class GateView {
  private GateView() {}

  static Optional<AnalysisEvidence.Section> gates(RolloutStatus s, Instant now) {
    if (s.getGates() == null || s.getGates().isEmpty()) {
      return Optional.empty();
    }
    long passed = s.getGates().stream().filter(g -> g.getPhase() == GateStatus.Phase.Passed).count();
    List<String> lines = new ArrayList<>();
    for (GateStatus g : s.getGates()) {
      String calls = g.getCalls() == null || g.getCalls() == 0 ? "not answered yet"
          : g.getCalls() + (g.getCalls() == 1 ? " call" : " calls") + ", last: " + g.getAnswer();
      String next = g.getPhase() == GateStatus.Phase.Waiting && g.getNextCallAt() != null
          ? "; asked again in " + StatusView.age(now.toString(), Instant.parse(g.getNextCallAt())) : "";
      lines.add("  " + g.getName() + " (" + g.getType() + (g.getStep() == null ? "" : " at step " + (g.getStep() + 1)) + ")  "
          + g.getPhase() + "  " + calls + next);
    }
    return Optional.of(new AnalysisEvidence.Section("Gates", passed + " of " + s.getGates().size() + " passed", lines));
  }
}
