package io.vigie.cli;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RevisionRecord;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.TrafficRouting;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What `vigie status` prints: where a Rollout is and why, at a glance. A pure function of what was
 * read from the cluster and the time, so that its text can be checked word for word.
 */
final class StatusView {
  private static final int LABEL = 11;
  private static final int BAR = 20;

  /**
   * What the view shows: the Rollout, its Deployment and its canary Deployment as read, and the
   * ReplicaSets (with their pods) behind the stable and the canary side.
   */
  record Snapshot(Rollout rollout, Optional<Deployment> target, Optional<Deployment> canary, Optional<String> stableImages,
      List<PodSet> stableSets, List<PodSet> canarySets) {
    Snapshot(Rollout rollout, Optional<Deployment> target, Optional<Deployment> canary, Optional<String> stableImages) {
      this(rollout, target, canary, stableImages, List.of(), List.of());
    }
  }

  /** A ReplicaSet as a person checks it: its name (the Deployment's, then its pod-template-hash), readiness and pods. */
  record PodSet(String name, String podTemplateHash, int ready, int replicas, List<Pod> pods) {}

  /** A pod: ready, or why not (Pending, starting, CrashLoopBackOff...), and its restarts. */
  record Pod(String name, boolean ready, String state, int restarts) {}

  private final int width;
  private final List<String> lines = new ArrayList<>();

  private StatusView(int width) {
    this.width = Math.max(60, width);
  }

  static String render(Snapshot snapshot, Instant now, int width) {
    StatusView view = new StatusView(width);
    view.draw(snapshot, now);
    return String.join("\n", view.lines) + "\n";
  }

  private void draw(Snapshot snap, Instant now) {
    Rollout rollout = snap.rollout();
    RolloutStatus s = rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
    String namespace = rollout.getMetadata().getNamespace();
    field("Rollout", namespace + "/" + rollout.getMetadata().getName());
    List<CanaryStep> steps = steps(rollout);
    boolean blueGreen = BlueGreenView.applies(rollout);
    List<String> clocks = clocks(rollout, s, steps, snap.canary(), now);
    if (blueGreen) {
      clocks.addAll(BlueGreenView.clocks(s, now));
    }
    field("Phase", (s.getPhase() == null ? "Unknown (the operator has not seen it yet: is it running?)" : s.getPhase().name())
        + (s.getStep() == null ? "" : "  step " + s.getStep())
        + (clocks.isEmpty() ? "" : "  (" + String.join("; ", clocks) + ")"));
    field("Message", s.getMessage() == null ? "" : s.getMessage());
    field("Stable", "revision " + orDash(s.getStableRevision()) + "  " + deployment(snap.target(), snap.stableImages()));
    podSetLines(snap.stableSets());
    if (s.getCanaryRevision() != null || snap.canary().map(d -> replicas(d) > 0).orElse(false)) {
      field(blueGreen ? "Green" : "Canary", "revision " + orDash(s.getCanaryRevision()) + "  " + deployment(snap.canary(), Optional.empty()));
      podSetLines(snap.canarySets());
    }
    if (blueGreen) {
      section(BlueGreenView.traffic(rollout, s, via(rollout)));
      if (s.getCanaryRevision() != null) {
        section(BlueGreenView.stages(rollout, s));
      }
      AnalysisEvidence.analysis(s).ifPresent(this::section);
      AnalysisEvidence.rollback(s).ifPresent(this::section);
      historyLines(s.getHistory(), s.getMessage() == null ? "" : s.getMessage());
      return;
    }
    int canary = s.getCanaryWeight() == null ? 0 : s.getCanaryWeight();
    Optional<String> header = s.getCanaryRevision() == null ? Optional.empty() : header(steps, s.getCurrentStepIndex());
    field("Traffic", "stable " + (100 - canary) + "%  canary " + canary + "%  via " + via(rollout)
        + header.map(h -> "  header route " + h).orElse(""));
    if (s.getCanaryRevision() != null && !steps.isEmpty()) {
      stepLines(steps, s);
    }
    GateView.gates(s, now).ifPresent(this::section);
    AnalysisEvidence.analysis(s).ifPresent(this::section);
    AnalysisEvidence.rollback(s).ifPresent(this::section);
    historyLines(s.getHistory(), s.getMessage() == null ? "" : s.getMessage());
  }

  /**
   * The clocks that matter now, counted from the status's timestamps at the time of reading (never
   * from a message written earlier): time in the step, time left in a timed pause, time left before
   * the progress deadline while pods are awaited, time in the promotion, time left to the pods of a
   * canary no longer routed.
   */
  private static List<String> clocks(Rollout rollout, RolloutStatus s, List<CanaryStep> steps, Optional<Deployment> canary,
      Instant now) {
    List<String> clocks = new ArrayList<>();
    // A routed canary no longer sent any request, kept until every proxy has the route.
    instant(s.getCanaryScaleDownAt()).ifPresent(at -> clocks.add("old canary pods removed in " + between(now, at)));
    Duration deadline = Duration.ofSeconds(rollout.getSpec() == null || rollout.getSpec().getProgressDeadlineSeconds() == null
        ? io.vigie.api.v1alpha1.RolloutSpec.DEFAULT_PROGRESS_DEADLINE_SECONDS : rollout.getSpec().getProgressDeadlineSeconds());
    Optional<Instant> stepStarted = instant(s.getStepStartedAt());
    if (s.getPhase() == io.vigie.api.v1alpha1.RolloutPhase.Promoting) {
      instant(s.getPromotionStartedAt()).ifPresent(started -> {
        clocks.add("promoting for " + between(started, now));
        clocks.add("progress deadline in " + between(now, started.plus(deadline)));
      });
      return clocks;
    }
    if (s.getCanaryRevision() == null || stepStarted.isEmpty()) {
      return clocks;
    }
    clocks.add(between(stepStarted.get(), now) + " in step");
    if (s.getPhase() != io.vigie.api.v1alpha1.RolloutPhase.Progressing) {
      return clocks;
    }
    int index = s.getCurrentStepIndex() == null ? 0 : s.getCurrentStepIndex();
    CanaryStep step = index < steps.size() ? steps.get(index) : null;
    boolean podsAwaited = canary.map(d -> readyReplicas(d) < replicas(d)).orElse(true);
    if (step != null && step.getPause() != null && step.getPause().getDuration() != null) {
      try {
        Instant end = stepStarted.get().plus(io.vigie.api.v1alpha1.Durations.parse(step.getPause().getDuration()));
        clocks.add("pause ends in " + between(now, end));
      } catch (IllegalArgumentException e) {
        // An invalid duration makes the Rollout Invalid, and its message says why.
      }
    } else if (podsAwaited) {
      clocks.add("progress deadline in " + between(now, stepStarted.get().plus(deadline)));
    }
    return clocks;
  }

  static Optional<Instant> instant(String timestamp) {
    try {
      return Optional.ofNullable(timestamp).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** From one instant to a later one, as 1m30s; 0s when the second is not later. */
  static String between(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return io.vigie.api.v1alpha1.Durations.format(d.isNegative() ? Duration.ZERO : d);
  }

  private void podSetLines(List<PodSet> sets) {
    for (PodSet set : sets) {
      line("  ReplicaSet " + set.name() + "  (pod-template-hash " + set.podTemplateHash() + ")  " + set.ready() + "/"
          + set.replicas() + " ready");
      if (!set.pods().isEmpty()) {
        line("    pods: " + set.pods().stream().map(p -> p.name() + " " + (p.ready() ? "ready" : p.state())
            + (p.restarts() > 0 ? " (" + p.restarts() + " restarts)" : "")).collect(Collectors.joining(", ")));
      }
    }
  }

  private void stepLines(List<CanaryStep> steps, RolloutStatus s) {
    int index = s.getCurrentStepIndex() == null ? 0 : s.getCurrentStepIndex();
    int done = Math.min(index, steps.size());
    int filled = BAR * done / steps.size();
    field("Steps", "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + done + "/" + steps.size() + " done"
        + (index >= steps.size() ? ", promoting" : ""));
    List<Integer> skipped = s.getSkippedSteps() == null ? List.of() : s.getSkippedSteps();
    for (int i = 0; i < steps.size(); i++) {
      // A step a person cut short with vigie.io/promote is not shown as passed.
      String mark = skipped.contains(i + 1) ? "skip" : i < index ? "done" : i == index ? "now " : "    ";
      line("  " + mark + " " + (i + 1) + ". " + describe(steps.get(i)));
    }
  }

  private void historyLines(List<RevisionRecord> history, String message) {
    if (history == null || history.isEmpty()) {
      return;
    }
    field("History", "");
    List<RevisionRecord> last = history.subList(Math.max(0, history.size() - 3), history.size());
    for (int i = last.size() - 1; i >= 0; i--) {
      RevisionRecord r = last.get(i);
      String reason = r.getReason() == null ? "" : r.getReason();
      int colon = reason.indexOf(": ");
      // The latest rollback's reason is the Message already: say it once.
      if (colon > 0 && !message.isEmpty() && message.contains(reason.substring(colon + 2))) {
        reason = reason.substring(0, colon) + " (the message above)";
      }
      line("  " + r.getAt() + "  " + r.getRevision() + "  " + r.getVerdict() + ": " + reason);
    }
  }

  /** A Deployment with its ready pods and images: for the stable side, those its stable pods run. */
  private static String deployment(Optional<Deployment> d, Optional<String> stableImages) {
    boolean canary = stableImages.isEmpty();
    if (d.isEmpty()) {
      return canary ? "(no canary Deployment)" : "(Deployment not found)";
    }
    Deployment deployment = d.get();
    int ready = readyReplicas(deployment);
    String images = stableImages.orElseGet(() -> deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .map(c -> c.getImage()).collect(Collectors.joining(", ")));
    return "Deployment " + deployment.getMetadata().getName() + "  " + ready + "/" + replicas(deployment) + " ready  " + images
        + (!canary && Boolean.TRUE.equals(deployment.getSpec().getPaused()) ? "  (paused by Vigie)" : "");
  }

  private static int readyReplicas(Deployment d) {
    return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
  }

  private static int replicas(Deployment d) {
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  private static String via(Rollout rollout) {
    TrafficRouting routing = rollout.getSpec() == null ? null : rollout.getSpec().getTrafficRouting();
    String ns = rollout.getMetadata().getNamespace();
    if (routing == null) {
      return BlueGreenView.applies(rollout) ? "Service " + ns + "/" + rollout.getSpec().getService().getName() + " (its selector)"
          : "replica ratio (share of ready pods)";
    }
    if (routing.getGatewayAPI() != null) {
      return "HTTPRoute " + ns + "/" + String.join(", ", routing.getGatewayAPI().routeNames());
    }
    if (routing.getIstio() != null && routing.getIstio().getVirtualService() != null) {
      return "VirtualService " + ns + "/" + routing.getIstio().getVirtualService().getName();
    }
    return routing.getNginx() == null ? "?" : "Ingress " + ns + "/" + routing.getNginx().getStableIngress() + "-canary";
  }

  private static List<CanaryStep> steps(Rollout rollout) {
    if (rollout.getSpec() == null || rollout.getSpec().getStrategy() == null || rollout.getSpec().getStrategy().getCanary() == null
        || rollout.getSpec().getStrategy().getCanary().getSteps() == null) {
      return List.of();
    }
    return rollout.getSpec().getStrategy().getCanary().getSteps();
  }

  private static Optional<String> header(List<CanaryStep> steps, Integer index) {
    for (int i = Math.min(index == null ? 0 : index, steps.size()) - 1; i >= 0; i--) {
      if (steps.get(i).getSetHeaderRoute() != null) {
        return Optional.of(steps.get(i).getSetHeaderRoute().toString());
      }
    }
    return Optional.empty();
  }

  private static String describe(CanaryStep step) {
    if (step.getAnalysis() != null && step.getAnalysis().getTemplates() != null && !step.getAnalysis().getTemplates().isEmpty()) {
      return "analysis " + step.getAnalysis().getTemplates().stream().map(t -> t.getName()).collect(Collectors.joining(", "));
    }
    if (step.getPause() != null && step.getPause().getDuration() == null) {
      return "pause (until promoted)";
    }
    return step.toString();
  }

  static String age(String timestamp, Instant now) {
    try {
      Duration d = Duration.between(Instant.parse(timestamp), now);
      if (d.isNegative()) {
        return "0s";
      }
      long s = d.toSeconds();
      return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s") : (s / 3600) + "h" + ((s % 3600) / 60) + "m";
    } catch (DateTimeParseException e) {
      return "?";
    }
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private void section(AnalysisEvidence.Section section) {
    field(section.label(), section.head());
    section.lines().forEach(this::line);
  }

  private void field(String label, String text) {
    String prefix = label + " ".repeat(Math.max(1, LABEL - label.length()));
    wrap(prefix, text);
  }

  private void line(String text) {
    wrap("", text);
  }

  /** Wraps at word boundaries to the width, continuation lines indented under the text. */
  private void wrap(String prefix, String text) {
    String indent = " ".repeat(prefix.isEmpty() ? leading(text) + 2 : prefix.length());
    String rest = text;
    String first = prefix;
    boolean firstLine = true;
    while (true) {
      String lead = firstLine ? first : indent;
      int room = width - lead.length();
      if (rest.length() <= room) {
        lines.add((lead + rest).stripTrailing());
        return;
      }
      int cut = rest.lastIndexOf(' ', room);
      if (cut <= leading(rest)) {
        cut = room;
      }
      lines.add((lead + rest.substring(0, cut)).stripTrailing());
      rest = rest.substring(cut).stripLeading();
      firstLine = false;
    }
  }

  private static int leading(String text) {
    int i = 0;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
