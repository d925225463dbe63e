package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.prometheus), has(self.web), has(self.job)].filter(x, x).size() == 1",
    message = "a metric has exactly one provider: prometheus, web or job")
public class MetricProvider {
  private PrometheusProvider prometheus;
  private WebProvider web;
  private JobProvider job;

  public PrometheusProvider getPrometheus() { return prometheus; }
  public void setPrometheus(PrometheusProvider prometheus) { this.prometheus = prometheus; }
  public WebProvider getWeb() { return web; }
  public void setWeb(WebProvider web) { this.web = web; }
  public JobProvider getJob() { return job; }
  public void setJob(JobProvider job) { this.job = job; }
}
