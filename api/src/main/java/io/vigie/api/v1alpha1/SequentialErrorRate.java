package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * A metric judged by an anytime-valid sequential test of the canary's share of bad requests against
 * the stable side's, instead of a threshold (docs/analysis.md, "Sequential error rate"). The
 * provider's query counts one side's bad requests and its requestsQuery that side's requests, both
 * cumulative counters; {{side}} (canary or stable) names the side, e.g.
 * {@code service="{{args.service}}-{{side}}"} for the series scraped through Vigie's Services.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SequentialErrorRate {
  public static final double DEFAULT_TOLERANCE = 0.10;
  public static final double DEFAULT_CONFIDENCE = 0.98;
  public static final double DEFAULT_MIN_REQUESTS = 100;

  @Min(0)
  @Max(10)
  @JsonPropertyDescription("A canary whose share of bad requests is at most (1 + tolerance) times the stable side's is not "
      + "worse. Default 0.1.")
  private Double tolerance;

  @Min(0.5)
  @Max(0.9999)
  @JsonPropertyDescription("A good canary is rolled back with a chance of at most 1 - confidence, however often it is measured. "
      + "Default 0.98.")
  private Double confidence;

  @Min(0)
  @Max(Limits.MIN_REQUESTS_MAX)
  @JsonPropertyDescription("Requests the canary must have served for the metric to pass when its count of measurements ends "
      + "without proof either way (else it is inconclusive). Default 100.")
  private Double minRequests;

  public Double getTolerance() { return tolerance; }
  public void setTolerance(Double tolerance) { this.tolerance = tolerance; }
  public Double getConfidence() { return confidence; }
  public void setConfidence(Double confidence) { this.confidence = confidence; }
  public Double getMinRequests() { return minRequests; }
  public void setMinRequests(Double minRequests) { this.minRequests = minRequests; }

  public double tolerance() { return tolerance == null ? DEFAULT_TOLERANCE : tolerance; }
  public double confidence() { return confidence == null ? DEFAULT_CONFIDENCE : confidence; }
  public double minRequests() { return minRequests == null ? DEFAULT_MIN_REQUESTS : minRequests; }
}
