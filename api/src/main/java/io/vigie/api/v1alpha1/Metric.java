package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Max;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One measured quantity and the rule that judges it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.thresholdRange) || has(self.successCondition) || has(self.failureCondition) || has(self.errorRate)"
    + " || has(self.compare) || has(self.provider.job)",
    message = "a metric needs a rule: thresholdRange, successCondition, failureCondition, errorRate or compare")
@ValidationRule(value = "!has(self.provider.job) || !(has(self.thresholdRange) || has(self.successCondition) "
    + "|| has(self.failureCondition) || has(self.errorRate) || has(self.compare) || has(self.minRequests))",
    message = "a job metric's rule is its Job (it passes when the Job succeeds): drop thresholdRange, successCondition, "
        + "failureCondition, errorRate, compare and minRequests")
@ValidationRule(value = "!has(self.errorRate) || !(has(self.thresholdRange) || has(self.successCondition) || has(self.failureCondition)"
    + " || has(self.compare))",
    message = "errorRate is a rule of its own: drop thresholdRange, successCondition, failureCondition and compare")
@ValidationRule(value = "!has(self.compare) || !(has(self.thresholdRange) || has(self.successCondition) || has(self.failureCondition))",
    message = "compare is a rule of its own: drop thresholdRange, successCondition and failureCondition")
public class Metric {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = Limits.METRIC_NAME)
  private String name;

  @Required
  private MetricProvider provider;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.INTERVAL_RULE, message = "interval is from 1s to 24h")
  @JsonPropertyDescription("Time between measurements, e.g. 30s (1s to 24h; default 30s).")
  private String interval;

  @Pattern(Durations.PATTERN)
  @Size(max = Limits.DURATION_TEXT)
  @ValidationRule(value = Limits.INITIAL_DELAY_RULE, message = "initialDelay is at most 24h")
  @JsonPropertyDescription("Wait before the first measurement (at most 24h).")
  private String initialDelay;

  @Min(1)
  @Max(Limits.COUNT_MAX)
  @JsonPropertyDescription("Number of measurements; in a step the analysis ends after them.")
  private Integer count;

  @JsonPropertyDescription("Success when the result lies in [min, max].")
  private ThresholdRange thresholdRange;

  @Size(max = Limits.CONDITION)
  @JsonPropertyDescription("CEL expression over `result` that must be true for success, e.g. result < 0.05.")
  private String successCondition;

  @Size(max = Limits.CONDITION)
  @JsonPropertyDescription("CEL expression over `result` that marks a failure.")
  private String failureCondition;

  @JsonPropertyDescription("Judge the canary's share of bad requests against the stable side's with a sequential test that "
      + "may look at every scrape: query counts one side's bad requests, requestsQuery its requests (counters), "
      + "{{side}} (canary or stable) names the side.")
  private SequentialErrorRate errorRate;

  @JsonPropertyDescription("Compare the canary's points with the comparison side's over a window (Mann-Whitney, "
      + "Hodges-Lehmann interval): the provider's query reads one side, {{side}} (canary, then baseline or stable) names it.")
  private CompareRule compare;

  @JsonPropertyDescription("Measure and report this metric (status, CLI, Events, operator metrics) without letting it fail, "
      + "pause or hold the release: its would-be verdict is reported, e.g. would have rolled back at step 3/5.")
  private Boolean dryRun;

  @Min(0)
  @Max(Limits.LIMIT_MAX)
  private Integer failureLimit;
  @Min(0)
  @Max(Limits.LIMIT_MAX)
  private Integer inconclusiveLimit;
  @Min(0)
  @Max(Limits.LIMIT_MAX)
  private Integer consecutiveErrorLimit;

  @Min(1)
  @Max(Limits.MIN_SAMPLES_MAX)
  @JsonPropertyDescription("Successful measurements needed before the metric can pass. Default 1.")
  private Integer minSamples;

  @Min(0)
  @Max(Limits.MIN_REQUESTS_MAX)
  @JsonPropertyDescription("Requests the canary must have served for a measurement to count (from the provider's "
      + "requestsQuery or requestsJsonPointer); fewer makes the measurement inconclusive, never successful.")
  private Double minRequests;

  @JsonPropertyDescription("What the numbers measure, for people reading them: ratio (shown as a percentage, 0.05 as 5%) "
      + "or seconds (shown as 300ms, 1.2s). Rules and stored values stay in the raw numbers.")
  private MetricUnit unit;

  public Boolean getDryRun() { return dryRun; }
  public void setDryRun(Boolean dryRun) { this.dryRun = dryRun; }
  public boolean dryRun() { return Boolean.TRUE.equals(dryRun); }
  public CompareRule getCompare() { return compare; }
  public void setCompare(CompareRule compare) { this.compare = compare; }
  public SequentialErrorRate getErrorRate() { return errorRate; }
  public void setErrorRate(SequentialErrorRate errorRate) { this.errorRate = errorRate; }
  public MetricUnit getUnit() { return unit; }
  public void setUnit(MetricUnit unit) { this.unit = unit; }
  public Double getMinRequests() { return minRequests; }
  public void setMinRequests(Double minRequests) { this.minRequests = minRequests; }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public MetricProvider getProvider() { return provider; }
  public void setProvider(MetricProvider provider) { this.provider = provider; }
  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }
  public String getInitialDelay() { return initialDelay; }
  public void setInitialDelay(String initialDelay) { this.initialDelay = initialDelay; }
  public Integer getCount() { return count; }
  public void setCount(Integer count) { this.count = count; }
  public ThresholdRange getThresholdRange() { return thresholdRange; }
  public void setThresholdRange(ThresholdRange thresholdRange) { this.thresholdRange = thresholdRange; }
  public String getSuccessCondition() { return successCondition; }
  public void setSuccessCondition(String successCondition) { this.successCondition = successCondition; }
  public String getFailureCondition() { return failureCondition; }
  public void setFailureCondition(String failureCondition) { this.failureCondition = failureCondition; }
  public Integer getFailureLimit() { return failureLimit; }
  public void setFailureLimit(Integer failureLimit) { this.failureLimit = failureLimit; }
  public Integer getInconclusiveLimit() { return inconclusiveLimit; }
  public void setInconclusiveLimit(Integer inconclusiveLimit) { this.inconclusiveLimit = inconclusiveLimit; }
  public Integer getConsecutiveErrorLimit() { return consecutiveErrorLimit; }
  public void setConsecutiveErrorLimit(Integer consecutiveErrorLimit) { this.consecutiveErrorLimit = consecutiveErrorLimit; }
  public Integer getMinSamples() { return minSamples; }
  public void setMinSamples(Integer minSamples) { this.minSamples = minSamples; }
}
