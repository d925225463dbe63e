package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.min) || has(self.max)", message = "thresholdRange needs min, max or both")
public class ThresholdRange {
  private Double min;
  private Double max;

  public Double getMin() { return min; }
  public void setMin(Double min) { this.min = min; }
  public Double getMax() { return max; }
  public void setMax(Double max) { this.max = max; }
}
