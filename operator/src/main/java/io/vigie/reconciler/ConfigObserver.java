package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.Observation;
import io.vigie.workload.ConfigReferences;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the ConfigMaps and Secrets of a tracked Rollout's pod template are now (vigie.io/track-configs):
 * read by name (a GET each, no watch: only while a release is in flight), a ConfigMap as a hash of its
 * data, a Secret as its resourceVersion: a hash of a short secret value could be guessed back from
 * status, so none is kept.
 */
final class ConfigObserver {
  private final KubernetesClient client;

  ConfigObserver(KubernetesClient client) {
    this.client = client;
  }

  Observation.Configs observe(Rollout rollout, Optional<Deployment> target, Optional<String> targetRevision) {
    if (!ConfigReferences.tracked(rollout) || target.isEmpty() || !releasing(rollout.getStatus(), targetRevision)) {
      return Observation.Configs.UNTRACKED;
    }
    String namespace = rollout.getMetadata().getNamespace();
    Map<String, String> fingerprints = new TreeMap<>();
    for (String ref : ConfigReferences.of(target.get().getSpec().getTemplate())) {
      String name = ref.substring(ref.indexOf(' ') + 1);
      fingerprints.put(ref, ref.startsWith("ConfigMap ")
          ? Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get()).map(ConfigObserver::hash)
              .orElse(Observation.Configs.ABSENT)
          : Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get())
              .map(s -> "resourceVersion " + s.getMetadata().getResourceVersion()).orElse(Observation.Configs.ABSENT));
    }
    return new Observation.Configs(true, Map.copyOf(fingerprints));
  }

  /** A release is in flight or about to start: only then do the configs matter. */
  private static boolean releasing(RolloutStatus status, Optional<String> targetRevision) {
    return status == null || status.getCanaryRevision() != null
        || targetRevision.map(r -> !r.equals(status.getStableRevision())).orElse(false);
  }

  private static String hash(ConfigMap configMap) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : new TreeMap<>(Optional.ofNullable(configMap.getData()).orElse(Map.of())).entrySet()) {
        digest.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      for (Map.Entry<String, String> e : new TreeMap<>(Optional.ofNullable(configMap.getBinaryData()).orElse(Map.of())).entrySet()) {
        digest.update(("binary " + e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return "sha256 " + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
