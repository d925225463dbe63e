package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.prometheus), has(self.web)].filter(x, x).size() == 1",
    message = "a metric has exactly one provider: prometheus or web")
public class MetricProvider {
  private PrometheusProvider prometheus;
  private WebProvider web;

  public PrometheusProvider getPrometheus() { return prometheus; }
  public void setPrometheus(PrometheusProvider prometheus) { this.prometheus = prometheus; }
  public WebProvider getWeb() { return web; }
  public void setWeb(WebProvider web) { this.web = web; }
}
