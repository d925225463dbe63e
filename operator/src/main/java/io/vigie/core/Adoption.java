package io.vigie.core;

import io.vigie.core.Observation.Target;
import java.util.Optional;

/**
 * Taking a Deployment in hand, and holding it while no canary runs: the stable revision recorded
 * (or rebuilt from the cluster when status was lost), the target paused and marked, all traffic on
 * stable.
 */
final class Adoption {
  private final DecisionInputs in;
  private final DecisionDraft d;
  private final CanaryTraffic traffic;

  Adoption(DecisionInputs in, DecisionDraft d, CanaryTraffic traffic) {
    this.in = in;
    this.d = d;
    this.traffic = traffic;
  }

  /**
   * Status lost (unreadable, or wiped) while the Deployment is this Rollout's: the stable revision is
   * the one the stable Service still selects, so that a canary in flight starts again from step 1
   * rather than its unverified template being adopted as stable.
   */
  void recoverStable(Target target) {
    String why = in.lostStatus() != null ? "the status could not be read (" + in.lostStatus() + ")" : "the status is empty";
    Optional<String> hash = in.obs().stableServiceHash();
    String revision = hash.map(h -> target.revisionsByHash().get(h)).orElse(null);
    if (target.manager() != Target.Manager.THIS || revision == null) {
      if (in.lostStatus() != null) {
        d.warning(EventReason.StatusRebuilt, why + ": starting afresh from what the cluster shows");
      }
      return;
    }
    d.s.setStableRevision(revision);
    d.s.setStablePodTemplateHash(hash.get());
    d.s.setCanaryWeight(0);
    d.conclude(Outcome.healthy("revision " + revision + " serves all traffic"));
    d.warning(EventReason.StatusRebuilt, why + " although Deployment " + in.targetName() + " is managed by this Rollout: "
        + "rebuilt from the cluster, stable revision " + revision + " (its Service " + in.stableServiceName()
        + " selects pod-template-hash " + hash.get() + ")");
  }

  void adopt(Target target) {
    if (!target.rolledOut() || target.podTemplateHash().isEmpty()) {
      d.conclude(Outcome.progressing(Outcome.Reason.Adopting, target.paused()
          ? "Deployment " + in.targetName() + " is paused with a template it has not rolled out: resume it (kubectl rollout "
              + "resume deployment/" + in.targetName() + ") so that Vigie adopts a revision that runs"
          : "waiting for Deployment " + in.targetName() + " to finish its rollout before adopting it"));
      return;
    }
    String hash = target.podTemplateHash().get();
    d.plan.pointStable(hash);
    d.plan.ensureCanaryService();
    traffic.routeAllToStable();
    d.plan.pause(true);
    d.s.setStableRevision(target.revision());
    d.s.setStablePodTemplateHash(hash);
    d.s.setCanaryWeight(0);
    d.s.setStepsHash(in.stepsHash());
    d.conclude(Outcome.healthy("revision " + target.revision() + " serves all traffic"));
    d.normal(EventReason.Adopted, "adopted Deployment " + in.targetName() + " at revision " + target.revision()
        + " (" + target.images() + ")");
  }

  /** No canary: everything on stable, the target paused on the stable template once it runs it. */
  void steady(Target target) {
    var s = d.s;
    traffic.routeAllToStable();
    traffic.removeCanaryPods();
    d.plan.ensureCanaryService();
    s.setDesiredWeight(null);
    s.setCanaryWeight(0);
    if (target.paused()) {
      d.plan.pointStable(s.getStablePodTemplateHash());
      d.conclude(Outcome.healthy("revision " + s.getStableRevision() + " serves all traffic"));
      return;
    }
    // Someone resumed the Deployment, or it rolls back to the stable template after an
    // interrupted promotion: let it finish, then pause it again.
    if (target.rolledOut() && target.podTemplateHash().isPresent()) {
      s.setStablePodTemplateHash(target.podTemplateHash().get());
      d.plan.pointStable(s.getStablePodTemplateHash());
      d.plan.pause(true);
      d.conclude(Outcome.healthy("revision " + s.getStableRevision() + " serves all traffic"));
    } else {
      d.plan.pointStable(null);
      d.conclude(Outcome.progressing(Outcome.Reason.Adopting, "waiting for Deployment " + in.targetName()
          + " to finish rolling to the stable revision " + s.getStableRevision()));
    }
  }
}
