package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a blue-green release stands: which version users reach, which one the preview shows, and its clocks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlueGreenStatus {
  @JsonPropertyDescription("Revision the active Service (or the route) sends users to.")
  private String activeRevision;
  @JsonPropertyDescription("Revision on the preview address (green), while one runs.")
  private String previewRevision;
  @JsonPropertyDescription("When green was ready for the switch: running, and its pre-promotion analysis passed.")
  private String previewReadyAt;
  @JsonPropertyDescription("When the switch to green happens by itself (spec.strategy.blueGreen.autoPromotionSeconds).")
  private String autoPromotionAt;
  @JsonPropertyDescription("When the active Service moved to green.")
  private String switchedAt;
  @JsonPropertyDescription("When the version the active Service left (blue after the switch, green after the Deployment "
      + "took over) stops running.")
  private String scaleDownAt;

  public String getActiveRevision() { return activeRevision; }
  public void setActiveRevision(String activeRevision) { this.activeRevision = activeRevision; }
  public String getPreviewRevision() { return previewRevision; }
  public void setPreviewRevision(String previewRevision) { this.previewRevision = previewRevision; }
  public String getPreviewReadyAt() { return previewReadyAt; }
  public void setPreviewReadyAt(String previewReadyAt) { this.previewReadyAt = previewReadyAt; }
  public String getAutoPromotionAt() { return autoPromotionAt; }
  public void setAutoPromotionAt(String autoPromotionAt) { this.autoPromotionAt = autoPromotionAt; }
  public String getSwitchedAt() { return switchedAt; }
  public void setSwitchedAt(String switchedAt) { this.switchedAt = switchedAt; }
  public String getScaleDownAt() { return scaleDownAt; }
  public void setScaleDownAt(String scaleDownAt) { this.scaleDownAt = scaleDownAt; }
}
