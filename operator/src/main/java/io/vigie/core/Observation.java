package io.vigie.core;

import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.ResolvedAnalysis;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the reconciler saw of the cluster for one Rollout, at one instant. The rollout logic reads
 * the world only through this value.
 *
 * @param now the time of the observation (from the operator's Clock)
 * @param generation the Rollout's metadata.generation
 * @param target the target Deployment, empty when it does not exist
 * @param service the user's Service, empty when it does not exist
 * @param canary the Vigie-owned canary Deployment, empty when it does not exist
 * @param baseline the Vigie-owned baseline Deployment, empty when it does not exist
 * @param control a manual control accepted from an annotation and not yet cleared
 * @param conflicts objects that hold a name Vigie needs (the canary Deployment, the stable and
 *     canary Services) but that this Rollout does not own, e.g. "Service shop/web-stable", and
 *     objects the spec names that are missing (a blue-green previewService)
 * @param analysis the Rollout's analyses resolved, and the measurements just taken
 * @param route what the traffic router reads back from the route, when the Rollout has one
 * @param stableServiceHash the pod-template-hash the Rollout's own stable Service selects, if it
 *     selects one: what a lost status is rebuilt from
 * @param gates what the gates answered, and why one cannot be called
 * @param configs the ConfigMaps and Secrets the target's pod template references, when the Rollout
 *     tracks them (vigie.io/track-configs)
 */
public record Observation(
    Instant now,
    long generation,
    Optional<Target> target,
    Optional<Service> service,
    Optional<Canary> canary,
    Optional<Canary> baseline,
    Optional<PendingControl> control,
    List<String> conflicts,
    Analysis analysis,
    Optional<Route> route,
    Optional<String> stableServiceHash,
    Gates gates,
    Configs configs) {

  /** An observation without tracked configs: a Rollout without vigie.io/track-configs, or a simulation. */
  public Observation(Instant now, long generation, Optional<Target> target, Optional<Service> service, Optional<Canary> canary,
      Optional<Canary> baseline, Optional<PendingControl> control, List<String> conflicts, Analysis analysis, Optional<Route> route,
      Optional<String> stableServiceHash, Gates gates) {
    this(now, generation, target, service, canary, baseline, control, conflicts, analysis, route, stableServiceHash, gates,
        Configs.UNTRACKED);
  }

  /** An observation without gates: a Rollout with none, or a simulation. */
  public Observation(Instant now, long generation, Optional<Target> target, Optional<Service> service, Optional<Canary> canary,
      Optional<Canary> baseline, Optional<PendingControl> control, List<String> conflicts, Analysis analysis, Optional<Route> route,
      Optional<String> stableServiceHash) {
    this(now, generation, target, service, canary, baseline, control, conflicts, analysis, route, stableServiceHash, Gates.none());
  }

  /**
   * @param tracked the Rollout asks for it (vigie.io/track-configs: "true")
   * @param fingerprints "ConfigMap web-config" (or "Secret ...") to what it is now: a hash of a
   *     ConfigMap's data, a Secret's resourceVersion, or "absent"
   */
  public record Configs(boolean tracked, Map<String, String> fingerprints) {
    public static final Configs UNTRACKED = new Configs(false, Map.of());
    /** The fingerprint of a referenced object that does not exist. */
    public static final String ABSENT = "absent";
  }

  /**
   * @param problems why a gate's request cannot be sent (a missing Secret, a CA that is not PEM, a refused address)
   * @param answers what the gates called since the last decision answered
   */
  public record Gates(List<String> problems, List<io.vigie.gate.GateAnswer> answers) {
    public static Gates none() {
      return new Gates(List.of(), List.of());
    }
  }

  /**
   * @param resolved the metrics of the background analysis and of each analysis step
   * @param problems why the analyses cannot run (a missing template, an unset arg, ...)
   * @param measurements the measurements the reconciler took, for the metrics that were due
   */
  public record Analysis(ResolvedAnalysis resolved, List<String> problems, List<RawMeasurement> measurements) {
    public static Analysis none() {
      return new Analysis(ResolvedAnalysis.none(), List.of(), List.of());
    }
  }

  /**
   * The user's Deployment.
   *
   * @param revision Vigie's hash of the pod template (see workload.TemplateHash)
   * @param images the containers' images, for people reading Events
   * @param podTemplateHash the pod-template-hash label of the ReplicaSet running this template, empty
   *     while Kubernetes has not created it
   * @param rolledOut the current template's ReplicaSet has every replica available and no other
   *     ReplicaSet of the Deployment has a pod left (read from the ReplicaSets, so it holds while
   *     the Deployment is paused or its controller has not yet observed a spec change)
   * @param recreate the Deployment's strategy is Recreate (every pod stops at once on a rollout)
   * @param maxUnavailable how many pods its RollingUpdate may take down at once, resolved
   * @param changesFromStable what differs from the stable pod template (see workload.TemplateDiff)
   * @param manager which Rollout manages the Deployment, by the mark Vigie puts on it when it adopts it
   * @param revisionsByHash the revision (Vigie's template hash) of each of its ReplicaSets, by pod-template-hash
   */
  public record Target(
      String revision,
      String images,
      Optional<String> podTemplateHash,
      int replicas,
      boolean paused,
      int readyReplicas,
      int availableReplicas,
      boolean rolledOut,
      Map<String, String> podLabels,
      boolean recreate,
      int maxUnavailable,
      List<String> changesFromStable,
      Manager manager,
      Map<String, String> revisionsByHash) {

    /** Who manages a Deployment: no Rollout, this one, or another one that exists. */
    public enum Manager { NONE, THIS, OTHER }
  }

  /**
   * The user's Service; its selector must select the target's pods. A blue-green Rollout without a
   * traffic router pins it to one side (see {@link io.vigie.domain.ActivePin}).
   */
  public record Service(Map<String, String> selector, int ports) {
    /** The selector without Vigie's pin: what the user wrote. */
    public Map<String, String> userSelector() {
      return io.vigie.domain.ActivePin.userSelector(selector);
    }

    public io.vigie.domain.ActivePin pin() {
      return io.vigie.domain.ActivePin.of(selector);
    }
  }

  /**
   * A route (HTTPRoute, VirtualService, canary Ingress) as read back from the cluster.
   *
   * @param object what it is, for messages: "HTTPRoute shop/web"
   * @param canaryWeight the canary's weight in every rule Vigie manages; empty when the rules
   *     disagree or a rule's stable, canary and baseline weights do not sum to 100
   * @param baselineWeight the baseline's weight in those rules (0 for a rule without a baseline
   *     backend); empty when the canary's is
   * @param header the header route in place, if any
   * @param problems why Vigie cannot route through it (missing, not referencing the Vigie Services),
   *     each a sentence naming the fix
   */
  public record Route(String object, Optional<Integer> canaryWeight, Optional<Integer> baselineWeight,
      Optional<HeaderMatch> header, List<String> problems) {
    /** A route without a baseline backend. */
    public Route(String object, Optional<Integer> canaryWeight, Optional<HeaderMatch> header, List<String> problems) {
      this(object, canaryWeight, canaryWeight.map(w -> 0), header, problems);
    }

    public static Route unusable(String object, String problem) {
      return new Route(object, Optional.empty(), Optional.empty(), List.of(problem));
    }

    /** True when the route sends exactly this weight and header route to the canary, and nothing to a baseline. */
    public boolean shows(int weight, Optional<HeaderMatch> headerRoute) {
      return shows(weight, 0, headerRoute);
    }

    public boolean shows(int canary, int baseline, Optional<HeaderMatch> headerRoute) {
      return canaryWeight.equals(Optional.of(canary)) && baselineWeight.equals(Optional.of(baseline)) && header.equals(headerRoute);
    }
  }

  /** A Deployment Vigie runs beside the target (canary, baseline): its revision, size and ready pods. */
  public record Canary(String revision, int replicas, int readyReplicas) {}

}
