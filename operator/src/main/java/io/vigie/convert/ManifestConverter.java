package io.vigie.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * `vigie convert`: Argo Rollouts (Rollout, AnalysisTemplate, ClusterAnalysisTemplate) and Flagger
 * (Canary, MetricTemplate) manifests as Vigie's, in the order of the input; the other objects of
 * the input are kept, with their routes made to send to Vigie's Services where the peer's are gone.
 */
public final class ManifestConverter {
  private ManifestConverter() {}

  public static List<Converted> convert(List<ObjectNode> documents) {
    Inputs inputs = new Inputs(documents);
    List<List<Converted>> converted = new ArrayList<>();
    for (ObjectNode document : documents) {
      converted.add(peerObject(document, inputs).orElse(null));
    }
    List<Converted> out = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      ObjectNode document = documents.get(i);
      if (converted.get(i) != null) {
        out.addAll(converted.get(i));
      } else {
        out.addAll(inputs.decided(document).orElseGet(() -> List.of(RouteRewrites.rewrite(document, inputs.serviceRenames()))));
      }
    }
    return out;
  }

  private static Optional<List<Converted>> peerObject(ObjectNode document, Inputs inputs) {
    String group = document.path("apiVersion").asText().replaceAll("/.*", "");
    String kind = document.path("kind").asText();
    return switch (group + " " + kind) {
      case "argoproj.io Rollout" -> Optional.of(ArgoRollout.convert(document, inputs));
      case "argoproj.io AnalysisTemplate", "argoproj.io ClusterAnalysisTemplate" -> Optional.of(ArgoAnalysis.template(document));
      case "flagger.app Canary" -> Optional.of(FlaggerCanary.convert(document, inputs));
      case "flagger.app MetricTemplate" -> Optional.of(FlaggerMetrics.template(document));
      default -> Optional.empty();
    };
  }

  /** True when the input holds something to convert (an input of only Kubernetes objects is likely a mistake). */
  public static boolean hasPeerObjects(List<ObjectNode> documents) {
    return documents.stream().anyMatch(d -> {
      String group = d.path("apiVersion").asText().replaceAll("/.*", "");
      return group.equals("argoproj.io") || group.equals("flagger.app");
    });
  }
}
