package io.vigie.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.core.Observation;
import io.vigie.domain.Names;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Deployment Vigie runs beside the target, owned by the Rollout, with the role and revision labels
 * added to its selector and pods: the canary {@code <target>-canary} (the target's new template) or
 * the baseline {@code <target>-baseline} (the stable template, from the stable ReplicaSet).
 */
public final class RoleDeployments {
  /** Which of Vigie's Deployments. */
  public enum Role {
    CANARY(Labels.CANARY),
    BASELINE(Labels.BASELINE);

    private final String label;

    Role(String label) {
      this.label = label;
    }

    public String nameFor(String target) {
      return this == CANARY ? Names.canaryDeployment(target) : Names.baselineDeployment(target);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;
  private final Role role;

  public RoleDeployments(KubernetesClient client, Role role) {
    this.client = client;
    this.role = role;
  }

  public static Observation.Canary view(Deployment deployment) {
    Map<String, String> labels = Optional.ofNullable(deployment.getMetadata().getLabels()).orElse(Map.of());
    int ready = deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null ? 0
        : deployment.getStatus().getReadyReplicas();
    int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    return new Observation.Canary(labels.getOrDefault(Labels.REVISION, ""), replicas, ready);
  }

  /**
   * The stable pod template for a baseline: the ReplicaSet's, without its pod-template-hash label,
   * so that the stable Service (which selects that hash) never selects the baseline's pods.
   */
  public static PodTemplateSpec baselineTemplate(ReplicaSet stable) {
    PodTemplateSpec template = Serialization.clone(stable.getSpec().getTemplate());
    Map<String, String> labels = new HashMap<>(Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of()));
    labels.remove(Labels.POD_TEMPLATE_HASH);
    template.getMetadata().setLabels(labels);
    return template;
  }

  /**
   * Makes the Deployment run this template (of this revision) with this many replicas.
   *
   * @param existing the Deployment as last read or written in this reconcile
   * @return the Deployment as written, or as it was when nothing needed writing
   */
  public Optional<Deployment> run(Rollout rollout, Deployment target, PodTemplateSpec template, String revision, int replicas,
      Optional<Deployment> existing) {
    String namespace = target.getMetadata().getNamespace();
    String targetName = target.getMetadata().getName();
    if (existing.isPresent() && !revision.equals(view(existing.get()).revision())) {
      // The selector holds the revision and is immutable: a new revision needs a new Deployment.
      client.apps().deployments().inNamespace(namespace).withName(role.nameFor(targetName)).delete();
      existing = Optional.empty();
    }
    if (existing.isEmpty()) {
      return Optional.of(client.apps().deployments().inNamespace(namespace)
          .resource(build(rollout, target, template, revision, replicas)).create());
    }
    return scale(namespace, replicas, existing);
  }

  /**
   * Scales the Deployment to this many replicas, when it exists.
   *
   * @param existing the Deployment as last read or written in this reconcile
   */
  public Optional<Deployment> scale(String namespace, int replicas, Optional<Deployment> existing) {
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

  /** Deletes the Deployment, if this Rollout owns it: a Deployment of that name made by someone else stays. */
  public void delete(Rollout rollout, String namespace, String target) {
    String name = role.nameFor(target);
    Optional.ofNullable(client.apps().deployments().inNamespace(namespace).withName(name).get())
        .filter(d -> Ownership.ownedBy(d, rollout))
        .ifPresent(d -> client.apps().deployments().inNamespace(namespace).withName(name).delete());
  }

  Deployment build(Rollout rollout, Deployment target, PodTemplateSpec source, String revision, int replicas) {
    Map<String, String> extra = Map.of(Labels.ROLE, role.label, Labels.REVISION, revision);
    PodTemplateSpec template = Serialization.clone(source);
    Map<String, String> podLabels = new HashMap<>(Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of()));
    podLabels.putAll(extra);
    template.getMetadata().setLabels(podLabels);
    LabelSelector selector = Serialization.clone(target.getSpec().getSelector());
    Map<String, String> matchLabels = new HashMap<>(Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()));
    matchLabels.putAll(extra);
    selector.setMatchLabels(matchLabels);
    Map<String, String> labels = Ownership.labels(rollout, role.label);
    labels.put(Labels.REVISION, revision);
    return Ownership.own(new DeploymentBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withName(role.nameFor(target.getMetadata().getName()))
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
