package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The surge guard: the provider's query gives the Service's total request rate (both versions), e.g.
 * {@code sum(rate(http_requests_total{service="web"}[1m]))}. Its rate before the release is recorded in
 * status at the canary's start; while the rate is above factor times that, the release holds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SurgeGuard {
  public static final double DEFAULT_FACTOR = 2;
  public static final String DEFAULT_WINDOW = "10m";
  public static final String DEFAULT_INTERVAL = "30s";

  @Required
  @JsonPropertyDescription("Where the request rate is read: prometheus (query) or web (jsonPointer to a number).")
  private MetricProvider provider;

  @Min(1.1)
  @Max(100)
  @JsonPropertyDescription("Hold while the rate is above this many times the rate before the release. Default 2.")
  private Double factor;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = "duration(self) >= duration('1m') && duration(self) <= duration('24h')",
      message = "window is from 1m to 24h")
  @JsonPropertyDescription("The rate before the release is the query's mean over this window (Prometheus); the web provider "
      + "gives its value at the start. Default 10m.")
  private String window;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.INTERVAL_RULE, message = "interval is from 1s to 24h")
  @JsonPropertyDescription("Time between readings of the rate. Default 30s.")
  private String interval;

  public MetricProvider getProvider() { return provider; }
  public void setProvider(MetricProvider provider) { this.provider = provider; }
  public Double getFactor() { return factor; }
  public void setFactor(Double factor) { this.factor = factor; }
  public String getWindow() { return window; }
  public void setWindow(String window) { this.window = window; }
  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }

  public double factor() { return factor == null ? DEFAULT_FACTOR : factor; }
  public String window() { return window == null ? DEFAULT_WINDOW : window; }
  public String interval() { return interval == null ? DEFAULT_INTERVAL : interval; }
}
