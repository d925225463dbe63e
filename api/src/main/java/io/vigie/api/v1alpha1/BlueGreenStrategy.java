package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * A blue-green release (docs/blue-green.md): the new version (green) runs at full size beside the
 * stable one (blue), is judged on a preview address, then takes all the traffic in one switch, blue
 * kept warm to switch back in one write.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlueGreenStrategy {
  public static final int DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;
  public static final int SCALE_DOWN_DELAY_SECONDS_MAX = 86_400;
  public static final int AUTO_PROMOTION_SECONDS_MAX = 2_592_000;

  @JsonPropertyDescription("A Service of yours that Vigie points at the green pods, for tests before the switch. Without it "
      + "the preview address is the Vigie-owned Service <service>-preview.")
  private ServiceRef previewService;

  @Min(1)
  @JsonPropertyDescription("Green's size before the switch (it grows to the Deployment's replicas before taking traffic). "
      + "Default: the Deployment's replicas.")
  private Integer previewReplicaCount;

  @JsonPropertyDescription("Judged on the preview before the switch: a failure removes green, users never saw it.")
  private RolloutAnalysis prePromotionAnalysis;

  @Min(0)
  @Max(AUTO_PROMOTION_SECONDS_MAX)
  @JsonPropertyDescription("Seconds after green is ready (and its pre-promotion analysis passed) before the switch happens by "
      + "itself. Absent: the switch waits for vigie.io/promote.")
  private Integer autoPromotionSeconds;

  @JsonPropertyDescription("Judged on live traffic after the switch: a failure switches the active Service back to blue in "
      + "one write, then removes green.")
  private RolloutAnalysis postPromotionAnalysis;

  @Min(0)
  @Max(SCALE_DOWN_DELAY_SECONDS_MAX)
  @JsonPropertyDescription("Seconds the version the active Service just left stays running: blue after the switch (at least "
      + "until the post-promotion analysis passed), green after the Deployment took over. Default 30.")
  private Integer scaleDownDelaySeconds;

  public ServiceRef getPreviewService() { return previewService; }
  public void setPreviewService(ServiceRef previewService) { this.previewService = previewService; }
  public Integer getPreviewReplicaCount() { return previewReplicaCount; }
  public void setPreviewReplicaCount(Integer previewReplicaCount) { this.previewReplicaCount = previewReplicaCount; }
  public RolloutAnalysis getPrePromotionAnalysis() { return prePromotionAnalysis; }
  public void setPrePromotionAnalysis(RolloutAnalysis prePromotionAnalysis) { this.prePromotionAnalysis = prePromotionAnalysis; }
  public Integer getAutoPromotionSeconds() { return autoPromotionSeconds; }
  public void setAutoPromotionSeconds(Integer autoPromotionSeconds) { this.autoPromotionSeconds = autoPromotionSeconds; }
  public RolloutAnalysis getPostPromotionAnalysis() { return postPromotionAnalysis; }
  public void setPostPromotionAnalysis(RolloutAnalysis postPromotionAnalysis) { this.postPromotionAnalysis = postPromotionAnalysis; }
  public Integer getScaleDownDelaySeconds() { return scaleDownDelaySeconds; }
  public void setScaleDownDelaySeconds(Integer scaleDownDelaySeconds) { this.scaleDownDelaySeconds = scaleDownDelaySeconds; }

  /** How long the side the active Service left stays running. */
  public int scaleDownDelay() {
    return scaleDownDelaySeconds == null ? DEFAULT_SCALE_DOWN_DELAY_SECONDS : scaleDownDelaySeconds;
  }
}
