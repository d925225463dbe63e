package io.vigie.core;

import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.BlueGreenStatus;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.core.Observation.Target;
import io.vigie.domain.Names;
import io.vigie.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The blue-green strategy (docs/blue-green.md), beside {@link CanaryStrategy}: green, the new
 * revision, runs in the canary Deployment beside blue (the target, paused on the stable revision).
 * Stage 1/2, preview: green comes up, is judged on the preview Service, and waits for the switch
 * (a person, or autoPromotionSeconds). Stage 2/2, live: once green has as many ready pods as the
 * target has replicas, the active Service (or the route) moves to it in one write; the post-promotion
 * analysis judges live traffic while blue stays warm; a failure moves it back in one write. Then the
 * promotion: the target rolls to green's template while green serves, the active Service moves to
 * it once complete, and green stays scaleDownDelaySeconds before it goes.
 *
 * <p>Handlers set the stage's desired state last ({@link #wishes}), so that a verdict handled on the
 * way (a pause for a person) never shrinks green.
 */
final class BlueGreenStrategy {
  /** The two stages, as status.currentStepIndex counts them; index 2 is the promotion. */
  static final int STAGES = 2;
  private static final int PREVIEW = 0;
  private static final int LIVE = 1;

  private final DecisionInputs in;
  private final DecisionDraft d;
  private final Adoption adoption;
  private final CanaryTraffic traffic;
  private final Rollback rollback;
  private final AnalysisGate gate;
  private final Controls controls;

  BlueGreenStrategy(DecisionInputs in, DecisionDraft d, Adoption adoption, CanaryTraffic traffic, Rollback rollback,
      AnalysisGate gate, Controls controls) {
    this.in = in;
    this.d = d;
    this.adoption = adoption;
    this.traffic = traffic;
    this.rollback = rollback;
    this.gate = gate;
    this.controls = controls;
  }

  void decide(Target target) {
    Revisions revisions = new Revisions(in, d, traffic);
    revisions.follow(target);
    revisions.restartIfStepsChanged();
    BlueGreenStatus bg = status(d);
    if (d.s.getCanaryRevision() != null && !d.s.getCanaryRevision().equals(bg.getPreviewRevision())) {
      // A new release (a new revision, or a retry): none of the last one's clocks apply.
      bg.setPreviewReadyAt(null);
      bg.setAutoPromotionAt(null);
      bg.setSwitchedAt(null);
      bg.setScaleDownAt(null);
    }
    in.obs().control().ifPresent(controls::apply);
    gate.foldMeasurements();
    d.plan.ensureCanaryService();
    d.plan.ensurePreviewService();
    if (d.s.getCanaryRevision() == null) {
      steady(target, bg);
    } else if (d.phase() == RolloutPhase.RolledBack) {
      rollback.holdRolledBack(target);
    } else {
      release(target, bg);
    }
    boolean live = d.s.getCanaryRevision() != null && d.phase() != RolloutPhase.RolledBack && bg.getSwitchedAt() != null;
    bg.setActiveRevision(live ? d.s.getCanaryRevision() : d.s.getStableRevision());
    bg.setPreviewRevision(d.phase() == RolloutPhase.RolledBack ? null : d.s.getCanaryRevision());
  }

  private void release(Target target, BlueGreenStatus bg) {
    if (stage() == PREVIEW && target.replicas() == 0) {
      holdAtZero(bg);
      return;
    }
    if (stage() == PREVIEW) {
      // A new revision, a retry or a restart starts the clocks of the release again.
      bg.setSwitchedAt(null);
      bg.setScaleDownAt(null);
      if (bg.getPreviewReadyAt() != null && Timestamps.parse(bg.getPreviewReadyAt())
          .isBefore(Timestamps.parse(d.s.getStepStartedAt()))) {
        bg.setPreviewReadyAt(null);
        bg.setAutoPromotionAt(null);
      }
      if (!preview(target, bg)) {
        wishes(target, bg);
        return;
      }
    }
    if (stage() == LIVE && !live(target, bg)) {
      wishes(target, bg);
      return;
    }
    if (d.phase() == RolloutPhase.RolledBack) {
      return;
    }
    if (d.phase() != RolloutPhase.Promoting) {
      d.s.setPromotionStartedAt(Timestamps.format(d.now()));
      d.s.setCurrentStepIndex(STAGES);
      d.s.setPhase(RolloutPhase.Promoting);
      d.normal(EventReason.Promoting, "green passed its analyses: rolling Deployment " + in.targetName() + " to revision "
          + d.s.getCanaryRevision() + " while green serves");
    }
    promote(target, bg);
  }

  private int stage() {
    return d.s.getCurrentStepIndex() == null ? PREVIEW : d.s.getCurrentStepIndex();
  }

  /** Stage 1: green up at its preview size, judged on the preview, then the wait for the switch. True when it may switch. */
  private boolean preview(Target target, BlueGreenStatus bg) {
    int want = previewReplicas(target);
    if (!greenReady(target, want, "on the preview")) {
      return false;
    }
    if (judged(AnalysisRuns.PRE_PROMOTION, in.obs().analysis().resolved().blueGreen().prePromotion(), target, "pre-promotion")
        != Judged.PASSED) {
      return false;
    }
    if (bg.getPreviewReadyAt() == null) {
      bg.setPreviewReadyAt(Timestamps.format(d.now()));
    }
    if (Boolean.TRUE.equals(d.s.getUserPaused())) {
      d.conclude(Outcome.paused(Outcome.Reason.UserPaused, "paused by vigie.io/pause with green ready on " + previewAddress()
          + ": resume with vigie.io/resume"));
      return false;
    }
    Integer seconds = in.blueGreenSpec().getAutoPromotionSeconds();
    if (seconds == null) {
      bg.setAutoPromotionAt(null);
      if (d.phase() != RolloutPhase.Paused) {
        d.normal(EventReason.Paused, "green (revision " + d.s.getCanaryRevision() + ") is ready on " + previewAddress()
            + ": waiting for vigie.io/promote to switch");
      }
      d.conclude(Outcome.paused(Outcome.Reason.AwaitingPromotion, "green (revision " + d.s.getCanaryRevision() + ") is ready on "
          + previewAddress() + ": switch all traffic to it with vigie.io/promote=true (vigie promote <rollout>), or remove it "
          + "with vigie.io/abort"));
      return false;
    }
    Instant at = Timestamps.parse(bg.getPreviewReadyAt()).plus(Duration.ofSeconds(seconds));
    bg.setAutoPromotionAt(Timestamps.format(at));
    if (d.now().isBefore(at)) {
      d.conclude(Outcome.progressing(Outcome.Reason.CanaryInProgress, "green (revision " + d.s.getCanaryRevision()
          + ") is ready on " + previewAddress() + ": switching at " + Timestamps.format(at) + " (vigie.io/promote switches now)"));
      d.requeueIn(Duration.between(d.now(), at));
      return false;
    }
    d.completeStep("preview, switched after autoPromotionSeconds " + seconds);
    return true;
  }

  /** Stage 2: the switch once green has the target's capacity, the post-promotion analysis, blue kept warm. True when done. */
  private boolean live(Target target, BlueGreenStatus bg) {
    if (bg.getSwitchedAt() == null) {
      if (!greenReady(target, target.replicas(), "before the switch")) {
        return false;
      }
      if (new ConfigTracking(in, d).holdsPromotion("the switch to green")) {
        return false;
      }
      bg.setSwitchedAt(Timestamps.format(d.now()));
      d.s.setStepStartedAt(bg.getSwitchedAt());
      d.normal(EventReason.Switched, "switched " + activeObject() + " to green (revision " + d.s.getCanaryRevision() + ", "
          + target.images() + "); blue (revision " + d.s.getStableRevision() + ") stays warm for a switch back");
    }
    Judged judged = judged(AnalysisRuns.POST_PROMOTION, in.obs().analysis().resolved().blueGreen().postPromotion(), target,
        "post-promotion");
    if (judged == Judged.STOPPED) {
      return false;
    }
    if (Boolean.TRUE.equals(d.s.getUserPaused())) {
      d.conclude(Outcome.paused(Outcome.Reason.UserPaused, "paused by vigie.io/pause with green serving all traffic and blue "
          + "warm: resume with vigie.io/resume, or switch back with vigie.io/abort"));
      return false;
    }
    if (judged == Judged.RUNNING) {
      return false;
    }
    Instant blueUntil = Timestamps.parse(bg.getSwitchedAt()).plus(Duration.ofSeconds(in.blueGreenSpec().scaleDownDelay()));
    bg.setScaleDownAt(Timestamps.format(blueUntil));
    if (d.now().isBefore(blueUntil)) {
      d.conclude(Outcome.progressing(Outcome.Reason.CanaryInProgress, "green serves all traffic" + (in.obs().analysis().resolved()
          .blueGreen().postPromotion().isPresent() ? " and passed its post-promotion analysis" : "") + "; blue (revision "
          + d.s.getStableRevision() + ") stays warm until " + bg.getScaleDownAt() + " (vigie.io/abort switches back)"));
      d.requeueIn(Duration.between(d.now(), blueUntil));
      return false;
    }
    d.completeStep("live, post-promotion passed");
    return true;
  }

  /**
   * The promotion: the target rolls to green's template while green serves; once it is complete the
   * active Service moves to it and green stays scaleDownDelaySeconds more.
   */
  private void promote(Target target, BlueGreenStatus bg) {
    var s = d.s;
    String revision = s.getCanaryRevision();
    if (!(target.rolledOut() && target.podTemplateHash().isPresent())) {
      wishes(target, bg);
      Promotion.awaitRollout(in, d, target, revision, "green", " while green serves");
      return;
    }
    String hash = target.podTemplateHash().get();
    d.plan.pointStable(hash);
    traffic.routeAllToStable();
    d.plan.pause(true);
    d.plan.leaveCanary();
    d.record(revision, Verdict.Promoted, "passed the preview and live traffic" + (s.getSkippedSteps() == null
        || s.getSkippedSteps().isEmpty() ? "" : "; a person cut short step " + s.getSkippedSteps()));
    d.normal(EventReason.Promoted, "revision " + revision + " (" + target.images() + ") is stable and serves all traffic from "
        + "Deployment " + in.targetName() + "; green stays " + in.blueGreenSpec().scaleDownDelay() + "s");
    s.setStableRevision(revision);
    s.setStablePodTemplateHash(hash);
    d.clearCanary();
    bg.setSwitchedAt(null);
    bg.setPreviewReadyAt(null);
    bg.setAutoPromotionAt(null);
    bg.setScaleDownAt(Timestamps.format(d.now().plusSeconds(in.blueGreenSpec().scaleDownDelay())));
    d.conclude(Outcome.healthy("revision " + revision + " serves all traffic"));
    d.requeueIn(Duration.ofSeconds(Math.max(1, in.blueGreenSpec().scaleDownDelay())));
  }

  /** No release: everything on stable; the last green stays until its scale-down time. */
  private void steady(Target target, BlueGreenStatus bg) {
    adoption.steady(target);
    if (bg.getScaleDownAt() == null) {
      return;
    }
    Instant at = Timestamps.parse(bg.getScaleDownAt());
    boolean greenRuns = in.obs().canary().map(c -> c.replicas() > 0).orElse(false);
    if (greenRuns && d.now().isBefore(at)) {
      d.plan.leaveCanary();
      d.requeueIn(Duration.between(d.now(), at));
      d.conclude(Outcome.healthy("revision " + d.s.getStableRevision() + " serves all traffic; the previous green pods stop at "
          + bg.getScaleDownAt()));
    } else if (!greenRuns) {
      bg.setScaleDownAt(null);
    }
  }

  /** The stage's desired state, set last: blue holds the traffic until the switch, green after it. */
  private void wishes(Target target, BlueGreenStatus bg) {
    if (d.phase() == RolloutPhase.RolledBack) {
      return;
    }
    String revision = d.s.getCanaryRevision();
    boolean promoting = stage() >= STAGES;
    d.plan.pause(!promoting);
    // Old and new pods of the target alike are stable while it rolls: no request finds no endpoint.
    d.plan.pointStable(promoting ? null : d.s.getStablePodTemplateHash());
    d.plan.runCanary(revision, stage() == PREVIEW ? previewReplicas(target) : target.replicas());
    if (bg.getSwitchedAt() != null || promoting) {
      traffic.routeAllToCanary();
    } else {
      traffic.routeAllToStable();
    }
  }

  /**
   * A target scaled to 0 (by hand, KEDA) before the switch: green has no size to prove itself at, and
   * a release with no pod that ran must not switch or promote. Green waits at 0 pods, blue keeps the
   * (no) traffic, and the time held does not count against the progress deadline.
   */
  private void holdAtZero(BlueGreenStatus bg) {
    d.plan.pause(true);
    d.plan.pointStable(d.s.getStablePodTemplateHash());
    d.plan.runCanary(d.s.getCanaryRevision(), 0);
    traffic.routeAllToStable();
    d.s.setStepStartedAt(Timestamps.format(d.now()));
    bg.setPreviewReadyAt(null);
    bg.setAutoPromotionAt(null);
    if (!d.pausedFor(Outcome.Reason.TargetScaledToZero)) {
      d.warning(EventReason.Held, "Deployment " + in.targetName() + " is scaled to 0 replicas: green (revision "
          + d.s.getCanaryRevision() + ") waits with no pod until it is scaled up");
    }
    d.conclude(Outcome.paused(Outcome.Reason.TargetScaledToZero, "Deployment " + in.targetName() + " is scaled to 0 replicas: "
        + "green (revision " + d.s.getCanaryRevision() + ") waits with no pod until the Deployment is scaled up (or abort "
        + "with vigie.io/abort)"));
  }

  /** DONE when green runs {@code want} ready pods; else it waits, or is removed past the progress deadline. */
  private boolean greenReady(Target target, int want, String when) {
    String revision = d.s.getCanaryRevision();
    int ready = in.canaryReady(revision);
    boolean sized = in.obs().canary().map(c -> c.revision().equals(revision) && c.replicas() >= want).orElse(want == 0);
    if (sized && ready >= want) {
      return true;
    }
    Instant due = Timestamps.parse(d.s.getStepStartedAt()).plus(in.progressDeadline());
    if (!d.now().isBefore(due)) {
      rollback.abort("ProgressDeadlineExceeded", "green " + in.canaryName() + " has " + ready + "/" + want + " ready pods after "
          + in.progressDeadline().toSeconds() + "s " + when + ": check its pods (image, crash loop, readiness probe)");
      return false;
    }
    d.conclude(Outcome.progressing(Outcome.Reason.CanaryInProgress, "step " + d.stepDisplay() + ": green (revision " + revision
        + ") " + when + ", waiting for its pods: " + ready + "/" + want + " ready"));
    d.requeueIn(Duration.between(d.now(), due));
    return false;
  }

  private enum Judged { PASSED, RUNNING, STOPPED }

  /** Runs this stage's analysis: passed (or none), still running (said so), or stopped (rolled back, or paused for a person). */
  private Judged judged(String name, Optional<ResolvedAnalysis.Run> spec, Target target, String what) {
    if (spec.isEmpty()) {
      return Judged.PASSED;
    }
    if (d.run(name).isEmpty()) {
      d.runs().add(AnalysisRuns.start(name, spec.get(), d.now()));
      d.normal(EventReason.AnalysisStarted, what + " analysis started: " + String.join(", ",
          spec.get().metrics().stream().map(m -> m.getName()).toList()));
    }
    AnalysisRunStatus run = d.run(name).get();
    if (run.getPhase() == AnalysisPhase.Successful) {
      return Judged.PASSED;
    }
    if (gate.stops(name, target, d.s.getCanaryRevision())) {
      return Judged.STOPPED;
    }
    d.conclude(Outcome.progressing(Outcome.Reason.CanaryInProgress, "step " + d.stepDisplay() + ": " + what + " analysis "
        + run.getMessage()));
    return Judged.RUNNING;
  }

  private int previewReplicas(Target target) {
    Integer count = in.blueGreenSpec().getPreviewReplicaCount();
    return count == null ? target.replicas() : Math.min(count, target.replicas());
  }

  private String previewAddress() {
    return "Service " + in.namespace() + "/" + previewServiceName(in);
  }

  private String activeObject() {
    return in.routed() ? in.obs().route().map(Observation.Route::object).orElse("the route")
        : "Service " + in.namespace() + "/" + in.spec().getService().getName();
  }

  static String previewServiceName(DecisionInputs in) {
    var named = in.blueGreenSpec().getPreviewService();
    return named != null && named.getName() != null ? named.getName() : Names.previewService(in.spec().getService().getName());
  }

  static BlueGreenStatus status(DecisionDraft d) {
    if (d.s.getBlueGreen() == null) {
      d.s.setBlueGreen(new BlueGreenStatus());
    }
    return d.s.getBlueGreen();
  }

  /**
   * A person's vigie.io/promote (full or not: a blue-green release has one switch): in the preview,
   * switch as soon as green has the target's capacity; once live, end the post-promotion analysis
   * and blue's warm time, and promote.
   */
  static String promote(DecisionInputs in, DecisionDraft d) {
    var s = d.s;
    BlueGreenStatus bg = status(d);
    String step = d.stepDisplay();
    int index = s.getCurrentStepIndex();
    if (index == PREVIEW) {
      boolean cutShort = bg.getPreviewReadyAt() == null;
      if (cutShort) {
        d.skipped(index);
      }
      d.completeStep(cutShort ? "switched by hand before green was judged ready" : "switched by a person");
      return "step " + step + " promoted: switching to green (revision " + s.getCanaryRevision() + ") once it has as many ready "
          + "pods as Deployment " + in.targetName() + " has replicas";
    }
    if (bg.getSwitchedAt() == null) {
      return new ConfigTracking(in, d).acceptByHand().map(accepted -> accepted + ": switching to green (revision "
          + s.getCanaryRevision() + ")")
          .orElse("ignored: the switch to green waits for its pods, and happens as soon as they are ready");
    }
    d.skipped(index);
    d.completeStep("live, ended by hand");
    return "step " + step + " promoted: rolling Deployment " + in.targetName() + " to revision " + s.getCanaryRevision()
        + " while green serves";
  }
}
