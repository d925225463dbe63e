package io.vigie.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.domain.Names;
import io.vigie.core.Observation;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The canary Deployment {@code <target>-canary}: the target's new template, with the role and
 * revision labels added to its selector and pods, owned by the Rollout.
 */
public final class CanaryDeployments {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;

  public CanaryDeployments(KubernetesClient client) {
    this.client = client;
  }

  public static String nameFor(String target) {
    return Names.canaryDeployment(target);
  }

  public Optional<Deployment> get(String namespace, String target) {
    return Optional.ofNullable(client.apps().deployments().inNamespace(namespace).withName(nameFor(target)).get());
  }

  public static Observation.Canary view(Deployment canary) {
    Map<String, String> labels = Optional.ofNullable(canary.getMetadata().getLabels()).orElse(Map.of());
    int ready = canary.getStatus() == null || canary.getStatus().getReadyReplicas() == null ? 0 : canary.getStatus().getReadyReplicas();
    int replicas = canary.getSpec().getReplicas() == null ? 1 : canary.getSpec().getReplicas();
    return new Observation.Canary(labels.getOrDefault(Labels.REVISION, ""), replicas, ready);
  }

  /**
   * Makes the canary run the target's current template (of this revision) with this many replicas.
   *
   * @param existing the canary Deployment as last read or written in this reconcile
   * @return the canary Deployment as written, or as it was when nothing needed writing
   */
  public Optional<Deployment> run(Rollout rollout, Deployment target, String revision, int replicas, Optional<Deployment> existing) {
    String namespace = target.getMetadata().getNamespace();
    String targetName = target.getMetadata().getName();
    if (existing.isPresent() && !revision.equals(view(existing.get()).revision())) {
      // The selector holds the revision and is immutable: a new revision needs a new Deployment.
      client.apps().deployments().inNamespace(namespace).withName(nameFor(targetName)).delete();
      existing = Optional.empty();
    }
    if (existing.isEmpty()) {
      return Optional.of(client.apps().deployments().inNamespace(namespace).resource(build(rollout, target, revision, replicas)).create());
    }
    return scale(namespace, targetName, replicas, existing);
  }

  /**
   * Scales the canary to this many replicas, when it exists.
   *
   * @param existing the canary Deployment as last read or written in this reconcile
   */
  public Optional<Deployment> scale(String namespace, String target, int replicas, Optional<Deployment> existing) {
    if (existing.isPresent() && view(existing.get()).replicas() != replicas) {
      // On the object as read: with a name only, fabric8 would GET it first.
      return Optional.of(client.apps().deployments().inNamespace(namespace).resource(existing.get())
          .patch(PatchContext.of(PatchType.JSON_MERGE), replicasPatch(replicas)));
    }
    return existing;
  }

  private static String replicasPatch(int replicas) {
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("spec").put("replicas", replicas);
    return patch.toString();
  }

  /** Deletes the canary, if this Rollout owns it: a Deployment of that name made by someone else stays. */
  public void delete(Rollout rollout, String namespace, String target) {
    get(namespace, target).filter(d -> Ownership.ownedBy(d, rollout))
        .ifPresent(d -> client.apps().deployments().inNamespace(namespace).withName(nameFor(target)).delete());
  }

  static Deployment build(Rollout rollout, Deployment target, String revision, int replicas) {
    Map<String, String> extra = Map.of(Labels.ROLE, Labels.CANARY, Labels.REVISION, revision);
    PodTemplateSpec template = Serialization.clone(target.getSpec().getTemplate());
    Map<String, String> podLabels = new HashMap<>(Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of()));
    podLabels.putAll(extra);
    template.getMetadata().setLabels(podLabels);
    LabelSelector selector = Serialization.clone(target.getSpec().getSelector());
    Map<String, String> matchLabels = new HashMap<>(Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()));
    matchLabels.putAll(extra);
    selector.setMatchLabels(matchLabels);
    Map<String, String> labels = Ownership.labels(rollout, Labels.CANARY);
    labels.put(Labels.REVISION, revision);
    return Ownership.own(new DeploymentBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withName(nameFor(target.getMetadata().getName()))
            .withNamespace(target.getMetadata().getNamespace())
            .withLabels(labels)
            .build())
        .withNewSpec()
        .withReplicas(replicas)
        .withSelector(selector)
        .withTemplate(template)
        .withMinReadySeconds(target.getSpec().getMinReadySeconds())
        .endSpec()
        .build(), rollout);
  }
}
