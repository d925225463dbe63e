package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.analysis.provider.MeasurementException;
import io.vigie.analysis.provider.SecretReader;
import io.vigie.api.v1alpha1.SecretKeyRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Secrets of one Rollout's namespace, as its analyses may read them in one reconcile (each
 * Secret read once). Whoever may write a Rollout or an AnalysisTemplate must not read, through
 * Vigie, a Secret their own RBAC hides from them: a Secret named there is read only when its owner
 * labelled it {@code vigie.io/analysis-secret: "true"}. A ClusterAnalysisTemplate is the cluster
 * admin's: the Secrets its metrics name need no label ({@link #forAdminTemplate()}). Every value
 * returned is remembered, so that it can be blotted out of whatever goes to status, Events and logs.
 */
final class AnalysisSecrets implements SecretReader {
  static final String LABEL = "vigie.io/analysis-secret";

  private final KubernetesClient client;
  private final String namespace;
  private final boolean labelRequired;
  private final Map<String, Optional<Secret>> read;
  private final Set<String> revealed;

  private AnalysisSecrets(KubernetesClient client, String namespace, boolean labelRequired, Map<String, Optional<Secret>> read,
      Set<String> revealed) {
    this.client = client;
    this.namespace = namespace;
    this.labelRequired = labelRequired;
    this.read = read;
    this.revealed = revealed;
  }

  /** The Secrets a Rollout or a namespaced AnalysisTemplate names: labelled ones only. */
  static AnalysisSecrets of(KubernetesClient client, String namespace) {
    return new AnalysisSecrets(client, namespace, true, new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet());
  }

  /** The same Secrets as a ClusterAnalysisTemplate's metrics read them: the admin named them, no label needed. */
  AnalysisSecrets forAdminTemplate() {
    return new AnalysisSecrets(client, namespace, false, read, revealed);
  }

  @Override
  public Optional<String> read(SecretKeyRef ref) {
    Optional<Secret> secret = read.computeIfAbsent(ref.getName(),
        name -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get()));
    if (secret.isPresent() && labelRequired && !"true".equals(labels(secret.get()).get(LABEL))) {
      throw new MeasurementException("Secret " + namespace + "/" + ref.getName() + " is not labelled " + LABEL + "=true: "
          + "Vigie reads for analyses only the Secrets their owner marked (kubectl label secret " + ref.getName() + " -n "
          + namespace + " " + LABEL + "=true), or those a ClusterAnalysisTemplate names");
    }
    Optional<String> value = secret.flatMap(s -> value(s, ref.getKey()));
    value.ifPresent(revealed::add);
    return value;
  }

  @Override
  public Set<String> revealed() {
    return revealed;
  }

  @Override
  public void reveal(String derived) {
    revealed.add(derived);
  }

  private static Map<String, String> labels(Secret secret) {
    return secret.getMetadata().getLabels() == null ? Map.of() : secret.getMetadata().getLabels();
  }

  private static Optional<String> value(Secret secret, String key) {
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key));
    }
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }
}
