package io.vigie.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A revision is Vigie's hash of a pod template. Kubernetes' own pod-template-hash is only known
 * once it creates a ReplicaSet, which it does not do for a paused Deployment, so Vigie computes its
 * own: SHA-256 of the template's canonical JSON without the labels Kubernetes and Vigie add.
 */
public final class TemplateHash {
  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private TemplateHash() {}

  public static String revisionOf(PodTemplateSpec template) {
    JsonNode tree = CANONICAL.valueToTree(template);
    JsonNode labels = tree.path("metadata").path("labels");
    if (labels instanceof ObjectNode object) {
      object.remove(Labels.POD_TEMPLATE_HASH);
      object.remove(Labels.ROLE);
      object.remove(Labels.REVISION);
    }
    try {
      // valueToTree keeps insertion order for objects; re-reading as a sorted map makes it canonical.
      Object sorted = CANONICAL.treeToValue(tree, Object.class);
      byte[] json = CANONICAL.writeValueAsBytes(sorted);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash a pod template", e);
    }
  }

  /** The image list of a template, for messages: "web=shop/web:v2, sidecar=envoy:1.30". */
  public static String imagesOf(PodTemplateSpec template) {
    if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) {
      return "no containers";
    }
    return String.join(", ", template.getSpec().getContainers().stream()
        .map(c -> c.getName() + "=" + c.getImage()).toList());
  }
}
