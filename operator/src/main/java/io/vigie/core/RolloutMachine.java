package io.vigie.core;

import io.vigie.domain.Timestamps;
import io.vigie.domain.Names;
import static io.vigie.api.v1alpha1.RolloutPhase.Healthy;
import static io.vigie.api.v1alpha1.RolloutPhase.Invalid;
import static io.vigie.api.v1alpha1.RolloutPhase.Paused;
import static io.vigie.api.v1alpha1.RolloutPhase.Progressing;
import static io.vigie.api.v1alpha1.RolloutPhase.Promoting;
import static io.vigie.api.v1alpha1.RolloutPhase.RolledBack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.analysis.AnalysisRuns;
import io.vigie.analysis.MetricVerdict;
import io.vigie.analysis.ResolvedAnalysis;
import io.vigie.api.v1alpha1.AbortStatus;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.ControlRecord;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.RevisionRecord;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.Action.PauseTarget;
import io.vigie.core.Action.PointStableService;
import io.vigie.core.Action.RunCanary;
import io.vigie.core.Action.ScaleCanary;
import io.vigie.core.Observation.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The rollout logic: a pure function from (spec, status, observation) to (new status, actions).
 * It reads no clock and touches no cluster; the reconciler feeds it and carries out its decision.
 * See docs/concepts.md for the phases and what moves a Rollout between them.
 */
public final class RolloutMachine {
  /** How many past revisions status.history keeps. */
  public static final int HISTORY_LIMIT = 10;

  private static final ObjectMapper COPIER = new ObjectMapper();

  private RolloutMachine() {}

  public static Decision decide(String namespace, RolloutSpec spec, RolloutStatus status, Observation observation) {
    // A status that could not be read is lost: the decision rebuilds it from the cluster.
    String lost = status == null ? null : status.getReadProblem();
    try {
      return new Run(namespace, spec, lost != null ? new RolloutStatus() : copy(status), observation, lost).decide();
    } catch (RuntimeException e) {
      // Whatever input the validation missed must not leave the Rollout in a retry loop with a
      // stale status, nor its Deployment unguarded: Invalid, saying what failed, and nothing else.
      return InvalidDecision.of(spec, lost != null ? new RolloutStatus() : copy(status), observation,
          "Vigie cannot decide on this Rollout (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "): check the "
              + "values of its spec against the limits in docs/operations.md");
    }
  }

  /**
   * What to write when the Rollout is deleted: the Deployment becomes plain Kubernetes again, if this
   * Rollout is the one that adopted it (a duplicate Rollout's deletion must not unguard another's).
   */
  public static List<Action> cleanup(RolloutStatus status, Observation observation) {
    List<Action> actions = new ArrayList<>();
    // A route that cannot be read or written (deleted, edited) must not block the deletion.
    observation.route().filter(r -> r.problems().isEmpty()).ifPresent(r -> actions.add(new Action.ReleaseRoute()));
    actions.add(new Action.RemoveVigieObjects(observation.route().isPresent()));
    boolean adopted = status != null && status.getStableRevision() != null;
    observation.target()
        .filter(t -> t.manager() == Target.Manager.THIS || (t.manager() == Target.Manager.NONE && adopted && t.paused()))
        .ifPresent(t -> actions.add(new Action.ReleaseTarget()));
    return actions;
  }

  private static RolloutStatus copy(RolloutStatus status) {
    return status == null ? new RolloutStatus() : COPIER.convertValue(status, RolloutStatus.class);
  }

  /** One decision in the making: a fresh copy of the status that the steps below change. */
  private static final class Run {
    private final String namespace;
    private final RolloutSpec spec;
    private final RolloutStatus s;
    private final Observation obs;
    private final Instant now;
    private final LinkedHashSet<Action> actions = new LinkedHashSet<>();
    private final List<RolloutEvent> events = new ArrayList<>();
    private final boolean adopted;
    private final int startWeight;
    private final Optional<HeaderMatch> startHeader;
    private final String lostStatus;
    private String progressReason;
    private Duration requeue;
    private boolean promotionLate;
    private String pausedBecause;

    Run(String namespace, RolloutSpec spec, RolloutStatus status, Observation observation, String lostStatus) {
      this.lostStatus = lostStatus;
      this.namespace = namespace;
      this.spec = spec;
      this.s = status;
      this.obs = observation;
      this.now = observation.now();
      this.adopted = status.getStableRevision() != null;
      this.startWeight = status.getCanaryWeight() == null ? 0 : status.getCanaryWeight();
      this.startHeader = status.getCanaryRevision() == null ? Optional.empty() : earnedHeader(status.getCurrentStepIndex());
    }

    Decision decide() {
      s.setObservedGeneration(obs.generation());
      List<String> problems = SpecValidation.problems(namespace, spec, obs);
      if (!problems.isEmpty()) {
        RolloutPhase before = s.getPhase() == Invalid ? phaseBeforeInvalid() : s.getPhase();
        invalid(String.join("; ", problems));
        InvalidDecision.keepGuarded(s, obs).ifPresent(actions::add);
        obs.control().ifPresent(c -> {
          if (c.control() == PendingControl.Control.ABORT && canAbortWhileInvalid(before)) {
            abortWhileInvalid(c);
          } else {
            ignoreControl(c, "the Rollout is Invalid: " + s.getMessage());
          }
        });
        return finish();
      }
      Target target = obs.target().orElseThrow();
      if (s.getStableRevision() == null) {
        recoverStable(target);
      }
      if (s.getStableRevision() == null) {
        adopt(target);
        if (s.getStableRevision() == null) {
          obs.control().ifPresent(c -> ignoreControl(c, "the Rollout has not adopted its Deployment yet"));
        } else {
          // Recorded with the adoption, not by a status write of its own on the next reconcile.
          s.setStepsHash(StepsHash.of(steps()));
        }
        return finish();
      }
      if (s.getPhase() == Invalid || s.getPhase() == null) {
        s.setPhase(phaseBeforeInvalid());
        events.add(RolloutEvent.normal("Valid", "the Rollout is valid again: " + s.getPhase()));
      }
      String revision = target.revision();
      if (revision.equals(s.getStableRevision())) {
        if (s.getCanaryRevision() != null) {
          endByRevert();
        }
      } else if (!revision.equals(s.getCanaryRevision())) {
        startCanary(target);
      }
      restartIfStepsChanged();
      obs.control().ifPresent(this::applyControl);
      foldMeasurements();
      if (s.getCanaryRevision() == null) {
        steady(target);
      } else if (s.getPhase() == RolledBack) {
        holdRolledBack(target);
      } else if (s.getPhase() == Promoting) {
        promote(target);
      } else {
        progress(target);
      }
      return finish();
    }

    /** New steps mid-canary: the position in the old ones means nothing in the new, so start over. */
    private void restartIfStepsChanged() {
      String hash = StepsHash.of(steps());
      boolean inFlight = s.getCanaryRevision() != null && (s.getPhase() == Progressing || s.getPhase() == Paused);
      if (inFlight && s.getStepsHash() != null && !hash.equals(s.getStepsHash())) {
        events.add(RolloutEvent.normal("StepsChanged", "the canary steps changed at step " + stepDisplay()
            + ": starting revision " + s.getCanaryRevision() + " again at step 1/" + steps().size()));
        s.setCurrentStepIndex(0);
        s.setStepStartedAt(Timestamps.format(now));
        s.setPauseStartedAt(null);
        s.setSkippedSteps(null);
        s.setAnalysis(new ArrayList<>());
      }
      s.setStepsHash(hash);
    }

    // ---- phases -------------------------------------------------------------------------------

    private RolloutPhase phaseBeforeInvalid() {
      if (s.getCanaryRevision() == null) {
        return Healthy;
      }
      if (s.getAbort() != null) {
        return RolledBack;
      }
      return s.getPromotionStartedAt() != null && s.getCurrentStepIndex() != null
          && s.getCurrentStepIndex() >= steps().size() ? Promoting : Progressing;
    }

    /**
     * A Rollout can turn Invalid with a canary serving (its template deleted, a Secret key rotated):
     * its analyses then stop, so a person's abort must still take the canary's traffic away.
     */
    private boolean canAbortWhileInvalid(RolloutPhase before) {
      return s.getCanaryRevision() != null && s.getAbort() == null && (before == Progressing || before == Paused)
          && obs.target().isPresent() && spec != null && spec.getTargetRef() != null;
    }

    private void abortWhileInvalid(PendingControl control) {
      if (s.getLastControl() != null && control.id().equals(s.getLastControl().getId())) {
        return;
      }
      String why = s.getMessage();
      // The route may be what is wrong (one of several deleted, edited): the routers send what they
      // still can to stable, and skip what is gone, before the canary's pods go.
      obs.route().ifPresent(r -> actions.add(Action.SetRoute.allToStable()));
      actions.add(new ScaleCanary(0));
      s.setAbort(new AbortStatus("ManualAbort", "aborted by vigie.io/abort while the Rollout was Invalid", s.getCanaryRevision(),
          Timestamps.format(now)));
      s.setRollbackReport(RollbackReports.of(s, "ManualAbort", s.getAbort().getMessage(), obs, now));
      s.setDesiredWeight(0);
      s.setCanaryWeight(0);
      s.setUserPaused(null);
      record(s.getCanaryRevision(), Verdict.RolledBack, "ManualAbort: aborted while the Rollout was Invalid: " + why);
      String result = "aborted revision " + s.getCanaryRevision() + " (the canary no longer serves; the Rollout stays Invalid: "
          + why + ")";
      s.setLastControl(new ControlRecord(control.control().word(), control.value(), control.id(), Timestamps.format(now), result));
      events.add(RolloutEvent.warning("RolloutAborted", "revision " + s.getCanaryRevision() + " rolled back while the Rollout "
          + "was Invalid: " + why));
    }

    private void ignoreControl(PendingControl control, String why) {
      if (s.getLastControl() != null && control.id().equals(s.getLastControl().getId())) {
        return;
      }
      String result = "ignored: " + why;
      s.setLastControl(new ControlRecord(control.control().word(), control.value(), control.id(), Timestamps.format(now), result));
      events.add(RolloutEvent.warning("ControlIgnored", control.control().annotation() + ": " + result));
    }

    private void invalid(String message) {
      if (s.getPhase() != Invalid || !message.equals(s.getMessage())) {
        events.add(RolloutEvent.warning("Invalid", message));
      }
      s.setPhase(Invalid);
      s.setMessage(message);
    }

    /**
     * Status lost (unreadable, or wiped) while the Deployment is this Rollout's: the stable revision is
     * the one the stable Service still selects, so that a canary in flight starts again from step 1
     * rather than its unverified template being adopted as stable.
     */
    private void recoverStable(Target target) {
      String why = lostStatus != null ? "the status could not be read (" + lostStatus + ")" : "the status is empty";
      Optional<String> hash = obs.stableServiceHash();
      String revision = hash.map(h -> target.revisionsByHash().get(h)).orElse(null);
      if (target.manager() != Target.Manager.THIS || revision == null) {
        if (lostStatus != null) {
          events.add(RolloutEvent.warning("StatusRebuilt", why + ": starting afresh from what the cluster shows"));
        }
        return;
      }
      s.setStableRevision(revision);
      s.setStablePodTemplateHash(hash.get());
      s.setCanaryWeight(0);
      s.setPhase(Healthy);
      s.setMessage("revision " + revision + " serves all traffic");
      events.add(RolloutEvent.warning("StatusRebuilt", why + " although Deployment " + targetName() + " is managed by this "
          + "Rollout: rebuilt from the cluster, stable revision " + revision + " (its Service " + Names.stableService(
              spec.getService().getName()) + " selects pod-template-hash " + hash.get() + ")"));
    }

    private void adopt(Target target) {
      if (!target.rolledOut() || target.podTemplateHash().isEmpty()) {
        s.setPhase(Progressing);
        s.setMessage(target.paused()
            ? "Deployment " + targetName() + " is paused with a template it has not rolled out: resume it (kubectl rollout "
                + "resume deployment/" + targetName() + ") so that Vigie adopts a revision that runs"
            : "waiting for Deployment " + targetName() + " to finish its rollout before adopting it");
        return;
      }
      String hash = target.podTemplateHash().get();
      pointStable(hash);
      actions.add(new Action.EnsureCanaryService());
      routeAllToStable();
      wantPaused(target, true);
      s.setStableRevision(target.revision());
      s.setStablePodTemplateHash(hash);
      s.setCanaryWeight(0);
      s.setPhase(Healthy);
      s.setMessage("revision " + s.getStableRevision() + " serves all traffic");
      events.add(RolloutEvent.normal("Adopted", "adopted Deployment " + targetName() + " at revision " + target.revision()
          + " (" + target.images() + ")"));
    }

    private void steady(Target target) {
      routeAllToStable();
      obs.canary().filter(c -> c.replicas() > 0).ifPresent(c -> actions.add(new ScaleCanary(0)));
      actions.add(new Action.EnsureCanaryService());
      s.setDesiredWeight(null);
      s.setCanaryWeight(0);
      if (target.paused()) {
        pointStable(s.getStablePodTemplateHash());
        s.setPhase(Healthy);
        s.setMessage("revision " + s.getStableRevision() + " serves all traffic");
        return;
      }
      // Someone resumed the Deployment, or it rolls back to the stable template after an
      // interrupted promotion: let it finish, then pause it again.
      if (target.rolledOut() && target.podTemplateHash().isPresent()) {
        s.setStablePodTemplateHash(target.podTemplateHash().get());
        pointStable(s.getStablePodTemplateHash());
        wantPaused(target, true);
        s.setPhase(Healthy);
        s.setMessage("revision " + s.getStableRevision() + " serves all traffic");
      } else {
        pointStable(null);
        s.setPhase(Progressing);
        s.setMessage("waiting for Deployment " + targetName() + " to finish rolling to the stable revision "
            + s.getStableRevision());
      }
    }

    private void endByRevert() {
      boolean inFlight = s.getPhase() != RolledBack;
      if (inFlight) {
        record(s.getCanaryRevision(), Verdict.Reverted, "the Deployment's template went back to the stable revision");
      }
      events.add(RolloutEvent.normal("Reverted", "the Deployment's template is back to stable revision "
          + s.getStableRevision() + ": canary " + s.getCanaryRevision() + " removed"));
      routeAllToStable();
      obs.canary().filter(c -> c.replicas() > 0).ifPresent(c -> actions.add(new ScaleCanary(0)));
      clearCanary();
      s.setAbort(null);
    }

    private void startCanary(Target target) {
      String previous = s.getCanaryRevision();
      if (previous != null && s.getPhase() != RolledBack) {
        record(previous, Verdict.Superseded, "revision " + target.revision() + " arrived before it finished");
      }
      wantPaused(target, true);
      // A person's pause holds across a new revision: they paused the Rollout, not one revision.
      Boolean userPaused = s.getPhase() == RolledBack ? null : s.getUserPaused();
      clearCanary();
      s.setUserPaused(userPaused);
      if (userPaused != null) {
        s.setPauseStartedAt(Timestamps.format(now));
      }
      s.setAbort(null);
      s.setAnalysis(new ArrayList<>());
      s.setCanaryRevision(target.revision());
      s.setCurrentStepIndex(0);
      s.setStepStartedAt(Timestamps.format(now));
      s.setDesiredWeight(0);
      s.setPhase(Progressing);
      events.add(RolloutEvent.normal("NewRevision", "revision " + target.revision() + " (" + target.images()
          + ") detected" + (previous == null ? "" : ", replacing canary " + previous)
          + ": starting the canary at step 1/" + steps().size()));
    }

    private void progress(Target target) {
      wantPaused(target, true);
      actions.add(new Action.EnsureCanaryService());
      // A hand edit of the stable Service (say, its pod-template-hash dropped) is put back at once.
      pointStable(s.getStablePodTemplateHash());
      String revision = s.getCanaryRevision();
      if (target.replicas() == 0) {
        if (!rollbackForcedByAnalysis(target, revision)) {
          holdAtZero(target, revision);
        }
        return;
      }
      if (Boolean.TRUE.equals(s.getUserPaused())) {
        // A person's pause holds the steps, not the safety net: a failing analysis still rolls back.
        if (rollbackForcedByAnalysis(target, revision)) {
          return;
        }
        keepCanary(target, revision);
        s.setPhase(Paused);
        s.setMessage("paused by vigie.io/pause at step " + stepDisplay() + ": resume with vigie.io/resume");
        return;
      }
      startBackgroundIfServing(revision);
      if (analysisStops(AnalysisRuns.BACKGROUND, target, revision)) {
        return;
      }
      List<CanaryStep> steps = steps();
      int firstStep = s.getCurrentStepIndex();
      while (s.getCurrentStepIndex() < steps.size()) {
        CanaryStep step = steps.get(s.getCurrentStepIndex());
        if (s.getCurrentStepIndex() != firstStep && lowersWeight(s.getCurrentStepIndex())) {
          // Status is written after the cluster. Shrinking the canary for this step in the same
          // decision that completed the previous one could, after a crash before the status write,
          // leave the old status judging its step against a canary already shrunk: a healthy
          // canary would read as one that lost its pods. Record the step first; shrink next time.
          keepCanary(target, revision);
          s.setPhase(Progressing);
          s.setMessage("step " + stepDisplay() + ": setWeight " + step.getSetWeight() + ", lowering the canary's weight");
          requeueIn(Duration.ofSeconds(1));
          return;
        }
        boolean done;
        if (step.getSetWeight() != null) {
          done = setWeight(target, revision, step.getSetWeight());
        } else if (step.getSetHeaderRoute() != null) {
          done = setHeaderRoute(target, revision, step);
        } else if (step.getPause() != null) {
          done = pause(step.getPause().getDuration());
        } else {
          done = analysisStep(target, revision);
        }
        if (s.getPhase() == RolledBack) {
          return;
        }
        if (!done) {
          // One write for the canary's size, for the step the loop stopped at: never a smaller
          // size for a step already passed (that would flap traffic).
          keepCanary(target, revision);
          return;
        }
        completeStep(describe(step));
      }
      if (backgroundLacksSamples()) {
        keepCanary(target, revision);
        return;
      }
      startPromotion(target);
    }

    /**
     * The target was scaled to 0 mid-canary: with nothing to serve beside it, any canary pod would take
     * all the traffic. The canary holds with no pod until the target is scaled up; the time held does
     * not count against the step.
     */
    private void holdAtZero(Target target, String revision) {
      routeAllToStable();
      actions.add(new RunCanary(revision, 0));
      s.setCanaryWeight(0);
      s.setStepStartedAt(Timestamps.format(now));
      if (s.getPhase() != Paused || !"TargetScaledToZero".equals(heldBecause())) {
        events.add(RolloutEvent.warning("Held", "Deployment " + targetName() + " is scaled to 0 replicas: the canary holds at "
            + "step " + stepDisplay() + " with no pod until it is scaled up"));
      }
      s.setPhase(Paused);
      pausedBecause = "TargetScaledToZero";
      s.setMessage("Deployment " + targetName() + " is scaled to 0 replicas: the canary holds at step " + stepDisplay()
          + " with no pod until the Deployment is scaled up (or abort with vigie.io/abort)");
    }

    private String heldBecause() {
      return s.getConditions().stream().filter(c -> Conditions.PAUSED.equals(c.getType())).map(c -> c.getReason())
          .findFirst().orElse("");
    }

    // ---- analysis -----------------------------------------------------------------------------

    private void foldMeasurements() {
      if (s.getCanaryRevision() == null || s.getAnalysis() == null) {
        return;
      }
      for (AnalysisRunStatus run : s.getAnalysis()) {
        AnalysisPhase before = run.getPhase();
        obs.analysis().resolved().run(run.getName())
            .ifPresent(spec -> AnalysisRuns.fold(run, spec, obs.analysis().measurements()));
        if (before == AnalysisPhase.Running && run.getPhase() != AnalysisPhase.Running) {
          events.add(run.getPhase() == AnalysisPhase.Successful
              ? RolloutEvent.normal("AnalysisSuccessful", run.getName() + ": " + run.getMessage())
              : RolloutEvent.warning("Analysis" + run.getPhase(), run.getName() + ": " + run.getMessage()));
        }
      }
    }

    /** True when the background or current step analysis failed (or errs with onMetricsError Abort) and rolled back. */
    private boolean rollbackForcedByAnalysis(Target target, String revision) {
      List<String> names = new ArrayList<>(List.of(AnalysisRuns.BACKGROUND));
      if (s.getCurrentStepIndex() != null) {
        names.add(AnalysisRuns.stepRun(s.getCurrentStepIndex()));
      }
      for (String name : names) {
        Optional<AnalysisRunStatus> run = run(name);
        boolean forced = run.isPresent() && (run.get().getPhase() == AnalysisPhase.Failed
            || (run.get().getPhase() == AnalysisPhase.Error && policy(name) == RolloutAnalysis.OnMetricsError.Abort));
        if (forced && analysisStops(name, target, revision)) {
          return true;
        }
      }
      return false;
    }

    /** The background analysis starts once the canary serves traffic: before, it has nothing to measure. */
    private void startBackgroundIfServing(String revision) {
      Optional<ResolvedAnalysis.Run> background = obs.analysis().resolved().background();
      // Serving: with replicas, ready canary pods get their share at once; through a router, only once
      // the route sends them something (else the initial delay would run out before any traffic).
      boolean serving = canaryReady(revision) > 0 && (!routed()
          || obs.route().map(r -> r.canaryWeight().orElse(0) > 0 || r.header().isPresent()).orElse(false));
      if (background.isPresent() && serving && run(AnalysisRuns.BACKGROUND).isEmpty()) {
        runs().add(AnalysisRuns.start(AnalysisRuns.BACKGROUND, background.get(), now));
        events.add(RolloutEvent.normal("AnalysisStarted", "background analysis started: " + metricNames(background.get())));
      }
    }

    /**
     * Acts on an analysis verdict: Failed aborts; Inconclusive pauses for a person; Error pauses or
     * aborts as onMetricsError says. True when the canary must not go on.
     */
    private boolean analysisStops(String name, Target target, String revision) {
      Optional<AnalysisRunStatus> run = run(name);
      if (run.isEmpty()) {
        return false;
      }
      AnalysisPhase phase = run.get().getPhase();
      if (phase == AnalysisPhase.Failed
          || (phase == AnalysisPhase.Error && policy(name) == RolloutAnalysis.OnMetricsError.Abort)) {
        abort(phase == AnalysisPhase.Failed ? "AnalysisFailed" : "AnalysisError", run.get().getMessage());
        return true;
      }
      if (phase == AnalysisPhase.Inconclusive || phase == AnalysisPhase.Error) {
        keepCanary(target, revision);
        if (s.getPhase() != Paused) {
          events.add(RolloutEvent.warning("Paused", "paused at step " + stepDisplay() + ": " + run.get().getMessage()));
        }
        s.setPhase(Paused);
        pausedBecause = phase == AnalysisPhase.Inconclusive ? "AnalysisInconclusive" : "AnalysisError";
        s.setMessage("paused at step " + stepDisplay() + ": " + run.get().getMessage()
            + ". Continue with vigie.io/promote, or roll back with vigie.io/abort");
        return true;
      }
      return false;
    }

    private boolean analysisStep(Target target, String revision) {
      String name = AnalysisRuns.stepRun(s.getCurrentStepIndex());
      ResolvedAnalysis.Run spec = obs.analysis().resolved().steps().get(s.getCurrentStepIndex());
      if (run(name).isEmpty()) {
        runs().add(AnalysisRuns.start(name, spec, now));
        events.add(RolloutEvent.normal("AnalysisStarted", "step " + stepDisplay() + " analysis started: " + metricNames(spec)));
      }
      AnalysisRunStatus run = run(name).get();
      if (run.getPhase() == AnalysisPhase.Successful) {
        return true;
      }
      if (analysisStops(name, target, revision)) {
        return false;
      }
      s.setPhase(Progressing);
      s.setMessage("step " + stepDisplay() + ": analysis " + run.getMessage());
      return false;
    }

    /** Promotion waits until every background metric has its minimum of successful measurements. */
    private boolean backgroundLacksSamples() {
      Optional<ResolvedAnalysis.Run> background = obs.analysis().resolved().background();
      if (background.isEmpty()) {
        return false;
      }
      List<String> lacking = new ArrayList<>();
      for (Metric metric : background.get().metrics()) {
        Optional<MetricStatus> status = run(AnalysisRuns.BACKGROUND).flatMap(r -> AnalysisRuns.metricStatus(r, metric.getName()));
        boolean enough = status.map(m -> MetricVerdict.hasEnoughSamples(m, metric)).orElse(false);
        // Successes in the past do not vouch for now: a metrics backend that went down (errors not
        // yet at their limit) must not let the promotion through. The newest measurement must pass.
        Optional<AnalysisPhase> last = status.filter(m -> !m.getMeasurements().isEmpty())
            .map(m -> m.getMeasurements().get(m.getMeasurements().size() - 1).getPhase());
        if (!enough) {
          lacking.add(metric.getName());
        } else if (last.isPresent() && last.get() != AnalysisPhase.Successful) {
          lacking.add(metric.getName() + " (its last measurement: " + last.get() + ")");
        }
      }
      if (lacking.isEmpty()) {
        return false;
      }
      s.setPhase(Progressing);
      s.setMessage("every step passed; waiting for the background analysis to have enough successful measurements of "
          + String.join(", ", lacking) + " before promoting");
      return true;
    }

    private RolloutAnalysis.OnMetricsError policy(String run) {
      return obs.analysis().resolved().run(run).map(ResolvedAnalysis.Run::onMetricsError)
          .orElse(RolloutAnalysis.OnMetricsError.Pause);
    }

    private Optional<AnalysisRunStatus> run(String name) {
      return AnalysisRuns.find(s.getAnalysis(), name);
    }

    private List<AnalysisRunStatus> runs() {
      if (s.getAnalysis() == null) {
        s.setAnalysis(new ArrayList<>());
      }
      return s.getAnalysis();
    }

    private static String metricNames(ResolvedAnalysis.Run run) {
      return String.join(", ", run.metrics().stream().map(Metric::getName).toList());
    }


    /** True when step {@code index} sets a lower weight than the setWeight steps before it left. */
    private boolean lowersWeight(int index) {
      Integer weight = steps().get(index).getSetWeight();
      if (weight == null) {
        return false;
      }
      for (int i = index - 1; i >= 0; i--) {
        Integer previous = steps().get(i).getSetWeight();
        if (previous != null) {
          return weight < previous;
        }
      }
      return false;
    }

    /** True when the canary has the ready pods this weight needs. */
    private boolean setWeight(Target target, String revision, int weight) {
      int earned = earnedWeight(s.getCurrentStepIndex());
      if (weight > earned) {
        Optional<String> doubt = newestDoubt();
        if (doubt.isPresent()) {
          // More traffic only on good evidence: a failed, inconclusive or missing measurement holds the
          // weight earned so far (a canary that had started to grow for this step shrinks back to it).
          s.setDesiredWeight(earned);
          s.setPhase(Progressing);
          progressReason = "AwaitingSuccessfulMeasurement";
          s.setMessage("step " + stepDisplay() + ": setWeight " + weight + " waits for a successful measurement: " + doubt.get());
          return false;
        }
      }
      s.setDesiredWeight(weight);
      if (!canaryHasPods(target, revision, canaryReplicasFor(weight, target), "setWeight " + weight)) {
        return false;
      }
      if (routed()) {
        route(weight, earnedHeader(s.getCurrentStepIndex()));
      } else {
        observeWeight(target, canaryReady(revision));
      }
      return true;
    }

    /** Why the newest measurement of a running analysis does not vouch for the canary, if it does not. */
    private Optional<String> newestDoubt() {
      for (AnalysisRunStatus run : s.getAnalysis() == null ? List.<AnalysisRunStatus>of() : s.getAnalysis()) {
        if (run.getPhase() != AnalysisPhase.Running) {
          continue;
        }
        for (MetricStatus metric : run.getMetrics()) {
          if (metric.getMeasurements().isEmpty()) {
            continue;
          }
          var newest = metric.getMeasurements().get(metric.getMeasurements().size() - 1);
          if (newest.getPhase() != AnalysisPhase.Successful) {
            return Optional.of(run.getName() + " metric " + metric.getName() + " was " + newest.getPhase()
                + (newest.getMessage() == null ? "" : " (" + newest.getMessage() + ")"));
          }
        }
      }
      return Optional.empty();
    }

    /** The header route of this step, once the canary has a ready pod to send those requests to. */
    private boolean setHeaderRoute(Target target, String revision, CanaryStep step) {
      HeaderMatch header = new HeaderMatch(step.getSetHeaderRoute().getHeader(), step.getSetHeaderRoute().getValue());
      int weight = s.getDesiredWeight() == null ? 0 : s.getDesiredWeight();
      if (!canaryHasPods(target, revision, canaryReplicasFor(weight, target), "setHeaderRoute " + header)) {
        return false;
      }
      route(earnedWeight(s.getCurrentStepIndex()), Optional.of(header));
      return true;
    }

    /** True when the canary runs {@code want} ready pods; else waits, or aborts past the progress deadline. */
    private boolean canaryHasPods(Target target, String revision, int want, String what) {
      int ready = canaryReady(revision);
      boolean sized = obs.canary().map(c -> c.revision().equals(revision) && c.replicas() >= want).orElse(want == 0);
      if (sized && ready >= want) {
        return true;
      }
      Instant started = Timestamps.parse(s.getStepStartedAt());
      Duration deadline = progressDeadline();
      Instant due = started.plus(deadline);
      if (!now.isBefore(due)) {
        abort("ProgressDeadlineExceeded", "canary " + canaryName() + " has " + ready + "/" + want
            + " ready pods after " + deadline.toSeconds() + "s at step " + stepDisplay()
            + " (" + what + "): check its pods (image, crash loop, readiness probe)");
        return false;
      }
      s.setPhase(Progressing);
      s.setMessage("step " + stepDisplay() + ": " + what + ", waiting for canary pods: " + ready + "/" + want + " ready");
      requeueIn(Duration.between(now, due));
      return false;
    }

    private boolean pause(String duration) {
      if (duration == null) {
        if (s.getPhase() != Paused) {
          events.add(RolloutEvent.normal("Paused", "step " + stepDisplay() + ": paused until promoted"));
        }
        s.setPhase(Paused);
        s.setPauseStartedAt(s.getStepStartedAt());
        s.setMessage("step " + stepDisplay() + ": paused until promoted (annotate vigie.io/promote=true or run: vigie promote "
            + "<rollout>)");
        return false;
      }
      Instant end = Timestamps.parse(s.getStepStartedAt()).plus(Durations.parse(duration));
      if (!now.isBefore(end)) {
        return true;
      }
      s.setPhase(Progressing);
      // The end, not the time left: a status read later must not show a countdown that stopped.
      s.setMessage("step " + stepDisplay() + ": pause " + duration + " until " + Timestamps.format(end));
      requeueIn(Duration.between(now, end));
      return false;
    }

    private void keepCanary(Target target, String revision) {
      int weight = s.getDesiredWeight() == null ? 0 : s.getDesiredWeight();
      // The route first: a new revision replaces the canary's pods, so its weight must be gone before.
      serveEarned(target, revision);
      actions.add(new RunCanary(revision, canaryReplicasFor(weight, target)));
    }

    /**
     * The traffic the canary has earned so far: with replicas, its share of ready pods; with a
     * router, the weight and header route of the steps it passed.
     */
    private void serveEarned(Target target, String revision) {
      if (routed()) {
        route(earnedWeight(s.getCurrentStepIndex()), earnedHeader(s.getCurrentStepIndex()));
      } else {
        observeWeight(target, canaryReady(revision));
      }
    }

    private void completeStep(String what) {
      events.add(RolloutEvent.normal("StepCompleted", "step " + stepDisplay() + " (" + what + ") completed"
          + (s.getCanaryWeight() != null && s.getCanaryWeight() > 0 ? ", canary serves " + s.getCanaryWeight() + "% of traffic" : "")));
      s.setCurrentStepIndex(s.getCurrentStepIndex() + 1);
      s.setStepStartedAt(Timestamps.format(now));
      s.setPauseStartedAt(null);
      s.setPhase(Progressing);
    }

    private void startPromotion(Target target) {
      s.setPhase(Promoting);
      s.setPromotionStartedAt(Timestamps.format(now));
      s.setCurrentStepIndex(steps().size());
      events.add(RolloutEvent.normal("Promoting", stepsVerdict() + ": rolling Deployment " + targetName() + " to revision "
          + s.getCanaryRevision()));
      promote(target);
    }

    private void promote(Target target) {
      String revision = s.getCanaryRevision();
      // Complete is read from the ReplicaSets, not from the paused flag: after a crash between the
      // re-pause and the status write, a paused, fully rolled-out target still reads complete.
      boolean complete = target.rolledOut() && target.podTemplateHash().isPresent();
      if (!complete) {
        // The canary covers the pods the rolling update may take down, so that serving capacity
        // never falls below the Deployment's replicas.
        int weight = s.getDesiredWeight() == null ? 0 : s.getDesiredWeight();
        int canary = Math.max(canaryReplicasFor(weight, target), target.maxUnavailable());
        serveEarned(target, revision);
        actions.add(new RunCanary(revision, canary));
        // Old and new pods of the target alike serve as stable while it rolls, so that capacity
        // never falls below the target's replicas and no request finds no endpoint.
        pointStable(null);
        wantPaused(target, false);
        s.setPhase(Promoting);
        Instant due = Timestamps.parse(s.getPromotionStartedAt()).plus(progressDeadline());
        if (!now.isBefore(due)) {
          promotionLate = true;
          s.setMessage("promotion of revision " + revision + " is taking longer than " + progressDeadline().toSeconds()
              + "s: Deployment " + targetName() + " has " + target.availableReplicas() + "/" + target.replicas()
              + " available pods; check its pods (the canary keeps serving meanwhile)");
        } else {
          s.setMessage("promoting revision " + revision + ": Deployment " + targetName() + " has "
              + target.availableReplicas() + "/" + target.replicas() + " available pods");
          requeueIn(Duration.between(now, due));
        }
        return;
      }
      String hash = target.podTemplateHash().get();
      pointStable(hash);
      routeAllToStable();
      actions.add(new ScaleCanary(0));
      wantPaused(target, true);
      record(revision, Verdict.Promoted, stepsVerdict());
      events.add(RolloutEvent.normal("Promoted", "revision " + revision + " (" + target.images()
          + ") is stable and serves all traffic"));
      s.setStableRevision(revision);
      s.setStablePodTemplateHash(hash);
      clearCanary();
      s.setPhase(Healthy);
      s.setMessage("revision " + revision + " serves all traffic");
    }

    private void holdRolledBack(Target target) {
      RollbackReports.trafficBack(s.getRollbackReport(),
          routed() ? (obs.route().get().shows(0, Optional.empty()) ? 0 : 1) : canaryReady(s.getCanaryRevision()), now);
      lookAgainUntilTrafficBack();
      routeAllToStable();
      obs.canary().filter(c -> c.replicas() > 0).ifPresent(c -> actions.add(new ScaleCanary(0)));
      pointStable(s.getStablePodTemplateHash());
      wantPaused(target, true);
      s.setCanaryWeight(0);
      s.setPhase(RolledBack);
      s.setMessage(rolledBackMessage());
    }

    private String rolledBackMessage() {
      AbortStatus abort = s.getAbort();
      return "rolled back: " + (abort == null ? "" : abort.getMessage()) + "; stable revision " + s.getStableRevision()
          + " serves all traffic. Retry with vigie.io/retry, or change the template";
    }

    private void abort(String reason, String message) {
      // Traffic first: the route back to stable, or with replica-ratio routing the removal of the
      // canary's pods, which is what moves its traffic back; so that is the decision's first write.
      List<Action> before = new ArrayList<>(actions);
      before.removeIf(a -> a instanceof Action.SetRoute);
      actions.clear();
      routeAllToStable();
      actions.add(new ScaleCanary(0));
      pointStable(s.getStablePodTemplateHash());
      actions.addAll(before);
      s.setAbort(new AbortStatus(reason, message, s.getCanaryRevision(), Timestamps.format(now)));
      s.setRollbackReport(RollbackReports.of(s, reason, message, obs, now));
      s.setDesiredWeight(0);
      s.setCanaryWeight(0);
      s.setUserPaused(null);
      s.setPhase(RolledBack);
      s.setMessage(rolledBackMessage());
      record(s.getCanaryRevision(), Verdict.RolledBack, reason + ": " + message);
      List<String> changes = s.getRollbackReport().getChanges();
      events.add(RolloutEvent.warning("RolloutAborted", "revision " + s.getCanaryRevision() + " rolled back ("
          + reason + "): " + message + (changes.isEmpty() ? "" : "; it changed: " + String.join("; ", changes))));
      lookAgainUntilTrafficBack();
    }

    /**
     * The report's end of harm is observed, not assumed: the decision after the abort's writes
     * records it. Nothing in the cluster may change to wake that decision (a canary that never had a
     * ready pod), so ask for it.
     */
    private void lookAgainUntilTrafficBack() {
      if (s.getRollbackReport() != null && s.getRollbackReport().getTrafficBackAt() == null) {
        requeueIn(Duration.ofSeconds(1));
      }
    }

    // ---- manual controls ----------------------------------------------------------------------

    private void applyControl(PendingControl control) {
      if (s.getLastControl() != null && control.id().equals(s.getLastControl().getId())) {
        return;
      }
      String result = switch (control.control()) {
        case PROMOTE -> promoteControl(control);
        case ABORT -> abortControl();
        case RETRY -> retryControl();
        case PAUSE -> pauseControl();
        case RESUME -> resumeControl();
      };
      s.setLastControl(new ControlRecord(control.control().word(), control.value(), control.id(), Timestamps.format(now), result));
      boolean ignored = result.startsWith("ignored");
      events.add(ignored
          ? RolloutEvent.warning("ControlIgnored", control.control().annotation() + ": " + result)
          : RolloutEvent.normal("ControlApplied", control.control().annotation() + ": " + result));
    }

    private boolean canaryInFlight() {
      return ControlRules.inFlight(s);
    }

    /** "ignored: why" when the control does nothing in this state (the rule the CLI checks too). */
    private Optional<String> ignored(PendingControl.Control control) {
      return ControlRules.refusal(control, s).map(why -> "ignored: " + why);
    }

    private String promoteControl(PendingControl control) {
      Optional<String> ignored = ignored(PendingControl.Control.PROMOTE);
      if (ignored.isPresent()) {
        return ignored.get();
      }
      s.setUserPaused(null);
      Optional<AnalysisRunStatus> background = run(AnalysisRuns.BACKGROUND)
          .filter(r -> r.getPhase() == AnalysisPhase.Inconclusive || r.getPhase() == AnalysisPhase.Error);
      if (background.isPresent()) {
        // A person looked at an inconclusive background analysis and chose to go on: measure afresh.
        runs().remove(background.get());
        obs.analysis().resolved().background()
            .ifPresent(spec -> runs().add(AnalysisRuns.start(AnalysisRuns.BACKGROUND, spec, now)));
        if (!control.full()) {
          return "background analysis restarted after: " + background.get().getMessage();
        }
      }
      int index = s.getCurrentStepIndex();
      // An indefinite pause waits for exactly a promote: it is passed. Any other step is cut short by a person.
      boolean release = index < steps().size() && steps().get(index).getPause() != null
          && steps().get(index).getPause().getDuration() == null;
      if (control.full()) {
        for (int i = release ? index + 1 : index; i < steps().size(); i++) {
          skipped(i);
        }
        s.setCurrentStepIndex(steps().size());
        return "skipped the remaining steps: promoting revision " + s.getCanaryRevision();
      }
      String done = stepDisplay();
      if (!release) {
        skipped(index);
      }
      completeStep(release ? "promoted" : "completed by hand, unchecked");
      return "step " + done + (release ? " promoted" : " completed by hand");
    }

    private String abortControl() {
      if (!canaryInFlight()) {
        return ignored(PendingControl.Control.ABORT).orElse("ignored: no canary in progress while the Rollout is " + s.getPhase());
      }
      abort("ManualAbort", "aborted by vigie.io/abort at step " + stepDisplay());
      return "aborted revision " + s.getCanaryRevision();
    }

    private String retryControl() {
      Optional<String> ignored = ignored(PendingControl.Control.RETRY);
      if (ignored.isPresent()) {
        return ignored.get();
      }
      s.setAbort(null);
      s.setAnalysis(new ArrayList<>());
      s.setSkippedSteps(null);
      s.setCurrentStepIndex(0);
      s.setStepStartedAt(Timestamps.format(now));
      s.setDesiredWeight(0);
      s.setPhase(Progressing);
      return "retrying revision " + s.getCanaryRevision() + " from step 1/" + steps().size();
    }

    private String pauseControl() {
      Optional<String> ignored = ignored(PendingControl.Control.PAUSE);
      if (ignored.isPresent()) {
        return ignored.get();
      }
      s.setUserPaused(true);
      s.setPauseStartedAt(Timestamps.format(now));
      return "paused at step " + stepDisplay();
    }

    private String resumeControl() {
      Optional<String> ignored = ignored(PendingControl.Control.RESUME);
      if (ignored.isPresent()) {
        return ignored.get();
      }
      // The time spent paused does not count against timed pauses or the progress deadline.
      if (s.getPauseStartedAt() != null && s.getStepStartedAt() != null) {
        Duration paused = Duration.between(Timestamps.parse(s.getPauseStartedAt()), now);
        s.setStepStartedAt(Timestamps.format(Timestamps.parse(s.getStepStartedAt()).plus(paused)));
      }
      s.setUserPaused(null);
      s.setPauseStartedAt(null);
      return "resumed at step " + stepDisplay();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Records that a person cut step {@code index} short, for the audit trail (history, Events, the CLI). */
    private void skipped(int index) {
      if (index >= steps().size()) {
        return;
      }
      List<Integer> skipped = new ArrayList<>(s.getSkippedSteps() == null ? List.of() : s.getSkippedSteps());
      if (!skipped.contains(index + 1)) {
        skipped.add(index + 1);
      }
      s.setSkippedSteps(skipped);
    }

    /** "all 4 steps passed", or which steps a person skipped. */
    private String stepsVerdict() {
      List<Integer> skipped = s.getSkippedSteps() == null ? List.of() : s.getSkippedSteps();
      int total = steps().size();
      if (skipped.isEmpty()) {
        return "passed all " + total + " steps";
      }
      return "passed " + (total - skipped.size()) + " of " + total + " steps; step" + (skipped.size() == 1 ? " " : "s ")
          + String.join(", ", skipped.stream().map(String::valueOf).toList()) + " skipped by a person (vigie.io/promote)";
    }

    private Decision finish() {
      int total = steps().size();
      if (s.getCanaryRevision() != null && total > 0 && s.getCurrentStepIndex() != null) {
        s.setStep(Math.min(s.getCurrentStepIndex() + 1, total) + "/" + total);
      } else {
        s.setStep(null);
      }
      // Only traffic the canary keeps after this decision counts: a decision that sees its first
      // traffic and takes it away at once leaves nothing in the cluster to recall it by after a
      // crash, and the status must not depend on whether the operator crashed.
      boolean trafficTakenAway = actions.stream().anyMatch(a -> a instanceof ScaleCanary sc && sc.replicas() == 0
          || a instanceof RunCanary rc && rc.replicas() == 0);
      if (s.getCanaryWeight() != null && s.getCanaryWeight() > 0 && s.getCanaryStartedAt() == null && !trafficTakenAway) {
        s.setCanaryStartedAt(Timestamps.format(now));
      }
      if (s.getCanaryRevision() != null && (s.getPhase() == Progressing || s.getPhase() == Paused)) {
        AnalysisRuns.nextDue(s.getAnalysis() == null ? List.of() : s.getAnalysis(), obs.analysis().resolved())
            .ifPresent(at -> requeueIn(Duration.between(now, at)));
      }
      setConditions();
      return new Decision(s, List.copyOf(actions), List.copyOf(events), obs.control().isPresent(),
          Optional.ofNullable(requeue));
    }

    private void setConditions() {
      long gen = obs.generation();
      RolloutPhase phase = s.getPhase();
      var c = s.getConditions();
      Conditions.set(c, Conditions.INVALID, phase == Invalid, phase == Invalid ? "InvalidSpec" : "Valid",
          phase == Invalid ? s.getMessage() : "", now, gen);
      boolean paused = phase == Paused;
      String pauseReason = pausedBecause != null ? pausedBecause
          : Boolean.TRUE.equals(s.getUserPaused()) ? "UserPaused" : "PauseStep";
      Conditions.set(c, Conditions.PAUSED, paused, paused ? pauseReason : "NotPaused",
          paused ? s.getMessage() : "", now, gen);
      switch (phase) {
        case Progressing, Paused -> Conditions.set(c, Conditions.PROGRESSING, true,
            s.getCanaryRevision() == null ? "Adopting" : progressReason != null ? progressReason : "CanaryInProgress",
            s.getMessage(), now, gen);
        case Promoting -> Conditions.set(c, Conditions.PROGRESSING, !promotionLate,
            promotionLate ? "PromotionDeadlineExceeded" : "Promoting", s.getMessage(), now, gen);
        case RolledBack -> Conditions.set(c, Conditions.PROGRESSING, false, "RolloutAborted", s.getMessage(), now, gen);
        case Healthy -> Conditions.set(c, Conditions.PROGRESSING, false, "RolloutCompleted", s.getMessage(), now, gen);
        case Invalid -> Conditions.set(c, Conditions.PROGRESSING, false, "InvalidSpec", s.getMessage(), now, gen);
      }
      obs.target().ifPresent(t -> {
        boolean available = t.availableReplicas() >= t.replicas();
        Conditions.set(c, Conditions.AVAILABLE, available,
            available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            "Deployment " + targetName() + " has " + t.availableReplicas() + "/" + t.replicas() + " available pods", now, gen);
      });
    }

    /** Where the stable Service points as this decision leaves it: the last word wins, one write at most. */
    private void pointStable(String podTemplateHash) {
      PointStableService wanted = new PointStableService(podTemplateHash);
      actions.removeIf(a -> a instanceof PointStableService && !a.equals(wanted));
      actions.add(wanted);
    }

    /** The target's paused flag as this decision leaves it: the last word wins, one write at most. */
    private void wantPaused(Target target, boolean paused) {
      actions.remove(new PauseTarget(!paused));
      actions.remove(new PauseTarget(paused));
      // Pausing also marks the Deployment as this Rollout's (adopted before the mark existed, or its mark lost).
      if (target.paused() != paused || (paused && target.manager() != Target.Manager.THIS)) {
        actions.add(new PauseTarget(paused));
      }
    }

    private void observeWeight(Target target, int canaryReady) {
      s.setCanaryWeight(CanarySizing.share(target.readyReplicas(), canaryReady));
    }

    private boolean routed() {
      return spec != null && spec.getTrafficRouting() != null && obs.route().isPresent();
    }

    private int canaryReplicasFor(int weight, Target target) {
      if (!routed()) {
        return CanarySizing.replicasFor(weight, target.replicas());
      }
      // A header route, passed or being set up at this step, needs a canary pod even at weight 0.
      Integer index = s.getCurrentStepIndex();
      boolean header = earnedHeader(index == null ? null : index + 1).isPresent();
      return CanarySizing.routedReplicasFor(weight, target.replicas(), header);
    }

    /**
     * Sends this weight and header route to the canary through the router. The canary gets traffic
     * only while it has ready pods: without them the route would send requests to no endpoint.
     */
    private void route(int weight, Optional<HeaderMatch> header) {
      if (canaryReady(s.getCanaryRevision()) == 0) {
        weight = 0;
        header = Optional.empty();
      }
      writeRoute(weight, header);
    }

    private void routeAllToStable() {
      if (routed()) {
        writeRoute(0, Optional.empty());
      }
    }

    private void writeRoute(int weight, Optional<HeaderMatch> header) {
      Observation.Route seen = obs.route().orElseThrow();
      // The last word wins, one write at most: two steps passed in one decision set the route once.
      // The same word again keeps its place (an abort's route to stable stays the first write).
      Action.SetRoute wanted = Action.SetRoute.of(weight, header);
      actions.removeIf(a -> a instanceof Action.SetRoute && !a.equals(wanted));
      if (!seen.shows(weight, header)) {
        actions.add(wanted);
        // What this decision applies is what the last one did: someone else changed the route.
        if (adopted && weight == startWeight && header.equals(startHeader)) {
          events.add(RolloutEvent.warning("RouteRestored", seen.object() + " sent "
              + seen.canaryWeight().map(w -> w + "%").orElse("inconsistent weights (rules disagree, or not summing to 100)")
              + seen.header().map(h -> " and header route " + h).orElse("") + " to the canary, not the " + weight + "%"
              + header.map(h -> " and header route " + h).orElse("") + " Vigie set (edited by hand?): set back"));
        }
      }
      s.setCanaryWeight(weight);
    }

    /** The weight of the last setWeight step before {@code index}: what the canary has earned. */
    private int earnedWeight(Integer index) {
      List<CanaryStep> steps = steps();
      for (int i = Math.min(index == null ? 0 : index, steps.size()) - 1; i >= 0; i--) {
        if (steps.get(i).getSetWeight() != null) {
          return steps.get(i).getSetWeight();
        }
      }
      return 0;
    }

    /** The header route of the last setHeaderRoute step before {@code index}. */
    private Optional<HeaderMatch> earnedHeader(Integer index) {
      List<CanaryStep> steps = steps();
      for (int i = Math.min(index == null ? 0 : index, steps.size()) - 1; i >= 0; i--) {
        if (steps.get(i).getSetHeaderRoute() != null) {
          return Optional.of(new HeaderMatch(steps.get(i).getSetHeaderRoute().getHeader(), steps.get(i).getSetHeaderRoute().getValue()));
        }
      }
      return Optional.empty();
    }

    private int canaryReady(String revision) {
      return obs.canary().filter(c -> c.revision().equals(revision)).map(Observation.Canary::readyReplicas).orElse(0);
    }

    private void record(String revision, Verdict verdict, String reason) {
      List<RevisionRecord> history = new ArrayList<>(s.getHistory() == null ? List.of() : s.getHistory());
      history.add(new RevisionRecord(revision, verdict, reason, Timestamps.format(now)));
      while (history.size() > HISTORY_LIMIT) {
        history.remove(0);
      }
      s.setHistory(history);
    }

    private void clearCanary() {
      s.setSkippedSteps(null);
      s.setUserPaused(null);
      s.setCanaryRevision(null);
      s.setCurrentStepIndex(null);
      s.setStepStartedAt(null);
      s.setPauseStartedAt(null);
      s.setPromotionStartedAt(null);
      s.setCanaryStartedAt(null);
      s.setDesiredWeight(null);
      s.setCanaryWeight(0);
    }

    private void requeueIn(Duration d) {
      Duration positive = d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d;
      requeue = requeue == null || positive.compareTo(requeue) < 0 ? positive : requeue;
    }

    private List<CanaryStep> steps() {
      // An Invalid spec may lack any of these; every other path has passed the validation.
      if (spec == null || spec.getStrategy() == null || spec.getStrategy().getCanary() == null
          || spec.getStrategy().getCanary().getSteps() == null) {
        return List.of();
      }
      return spec.getStrategy().getCanary().getSteps();
    }

    private String stepDisplay() {
      return Math.min(s.getCurrentStepIndex() + 1, steps().size()) + "/" + steps().size();
    }

    private static String describe(CanaryStep step) {
      if (step.getSetWeight() != null) {
        return "setWeight " + step.getSetWeight();
      }
      if (step.getPause() != null) {
        return step.getPause().getDuration() == null ? "pause" : "pause " + step.getPause().getDuration();
      }
      return step.getSetHeaderRoute() != null ? "setHeaderRoute " + step.getSetHeaderRoute() : "analysis";
    }

    private Duration progressDeadline() {
      Integer seconds = spec.getProgressDeadlineSeconds();
      return Duration.ofSeconds(seconds == null ? RolloutSpec.DEFAULT_PROGRESS_DEADLINE_SECONDS : seconds);
    }

    private String targetName() {
      return spec.getTargetRef().getName();
    }

    private String canaryName() {
      return Names.canaryDeployment(targetName());
    }
  }
}
