package io.vigie.cli;

import io.vigie.api.v1alpha1.BlueGreenStatus;
import io.vigie.api.v1alpha1.BlueGreenStrategy;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.domain.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The blue-green part of `vigie status`: who users reach, what the preview shows, the two stages and their clocks. */
final class BlueGreenView {
  private static final int BAR = 20;

  private BlueGreenView() {}

  static boolean applies(Rollout rollout) {
    return rollout.getSpec() != null && rollout.getSpec().getStrategy() != null && rollout.getSpec().getStrategy().usesBlueGreen();
  }

  /** Users' side, and the preview's. */
  static AnalysisEvidence.Section traffic(Rollout rollout, RolloutStatus s, String via) {
    BlueGreenStatus bg = s.getBlueGreen() == null ? new BlueGreenStatus() : s.getBlueGreen();
    boolean green = s.getCanaryRevision() != null && bg.getSwitchedAt() != null && s.getPhase() != RolloutPhase.RolledBack;
    String active = green ? "green (revision " + s.getCanaryRevision() + ")"
        : "blue (revision " + orDash(bg.getActiveRevision() != null ? bg.getActiveRevision() : s.getStableRevision()) + ")";
    List<String> lines = new ArrayList<>();
    if (bg.getPreviewRevision() != null) {
      lines.add("  preview: green (revision " + bg.getPreviewRevision() + ") on Service " + rollout.getMetadata().getNamespace() + "/"
          + previewService(rollout));
    }
    return new AnalysisEvidence.Section("Traffic", "users on " + active + "  via " + via, lines);
  }

  /** The two stages as a bar and a list, the current one marked. */
  static AnalysisEvidence.Section stages(Rollout rollout, RolloutStatus s) {
    BlueGreenStrategy spec = rollout.getSpec().getStrategy().getBlueGreen();
    int index = s.getCurrentStepIndex() == null ? 0 : s.getCurrentStepIndex();
    int done = Math.min(index, 2);
    int filled = BAR * done / 2;
    List<String> lines = new ArrayList<>();
    String preview = "preview: green at " + (spec.getPreviewReplicaCount() == null ? "the Deployment's size"
        : spec.getPreviewReplicaCount() + " pods") + analysis(", pre-promotion analysis ", spec.getPrePromotionAnalysis())
        + (spec.getAutoPromotionSeconds() == null ? ", then vigie.io/promote switches" : ", switch after " + spec.getAutoPromotionSeconds() + "s");
    String live = "live: users on green" + analysis(", post-promotion analysis ", spec.getPostPromotionAnalysis()) + ", blue warm "
        + spec.scaleDownDelay() + "s";
    List<Integer> skipped = s.getSkippedSteps() == null ? List.of() : s.getSkippedSteps();
    String[] names = {preview, live};
    for (int i = 0; i < 2; i++) {
      String mark = skipped.contains(i + 1) ? "skip" : i < index ? "done" : i == index ? "now " : "    ";
      lines.add("  " + mark + " " + (i + 1) + ". " + names[i]);
    }
    return new AnalysisEvidence.Section("Stages", "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + done + "/2 done"
        + (index >= 2 ? ", promoting" : ""), lines);
  }

  /** The countdowns a person waits on: the switch by itself, and the side the active Service left going away. */
  static List<String> clocks(RolloutStatus s, Instant now) {
    List<String> clocks = new ArrayList<>();
    BlueGreenStatus bg = s.getBlueGreen();
    if (bg == null) {
      return clocks;
    }
    boolean inFlight = s.getCanaryRevision() != null && s.getPhase() != RolloutPhase.RolledBack;
    StatusView.instant(bg.getAutoPromotionAt()).filter(at -> inFlight && bg.getSwitchedAt() == null)
        .ifPresent(at -> clocks.add("switch to green in " + StatusView.between(now, at)));
    StatusView.instant(bg.getScaleDownAt()).ifPresent(at -> clocks.add((inFlight ? "blue kept warm for " : "old green removed in ")
        + StatusView.between(now, at)));
    return clocks;
  }

  private static String analysis(String prefix, RolloutAnalysis analysis) {
    if (analysis == null) {
      return "";
    }
    List<String> names = new ArrayList<>();
    if (analysis.getTemplates() != null) {
      analysis.getTemplates().forEach(t -> names.add(t.getName()));
    }
    if (analysis.getMetrics() != null) {
      analysis.getMetrics().forEach(m -> names.add(m.getName()));
    }
    return prefix + names.stream().collect(Collectors.joining(", "));
  }

  private static String previewService(Rollout rollout) {
    var named = rollout.getSpec().getStrategy().getBlueGreen().getPreviewService();
    return named != null && named.getName() != null ? named.getName() : Names.previewService(rollout.getSpec().getService().getName());
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }
}
