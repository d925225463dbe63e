package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * What the sequential test of an errorRate metric has seen: both sides' requests and bad requests
 * since its first reading, and its evidence, kept so that a restarted operator goes on from it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SequentialEvidence {
  private double canaryRequests;
  private double canaryBad;
  private double stableRequests;
  private double stableBad;

  @JsonPropertyDescription("The counters as last read (canary requests, canary bad, stable requests, stable bad): the next "
      + "reading counts from them.")
  private List<Double> lastCounters;

  @JsonPropertyDescription("How strongly the evidence says the canary is worse (the test's likelihood ratio): the metric "
      + "fails at 1/(1 - confidence), e.g. 50 at 98%.")
  private Double likelihoodRatio;

  @JsonPropertyDescription("The test's log likelihood ratios, alternative by alternative (worse, then not worse).")
  private List<Double> worse;
  private List<Double> notWorse;

  public double getCanaryRequests() { return canaryRequests; }
  public void setCanaryRequests(double canaryRequests) { this.canaryRequests = canaryRequests; }
  public double getCanaryBad() { return canaryBad; }
  public void setCanaryBad(double canaryBad) { this.canaryBad = canaryBad; }
  public double getStableRequests() { return stableRequests; }
  public void setStableRequests(double stableRequests) { this.stableRequests = stableRequests; }
  public double getStableBad() { return stableBad; }
  public void setStableBad(double stableBad) { this.stableBad = stableBad; }
  public List<Double> getLastCounters() { return lastCounters; }
  public void setLastCounters(List<Double> lastCounters) { this.lastCounters = lastCounters; }
  public Double getLikelihoodRatio() { return likelihoodRatio; }
  public void setLikelihoodRatio(Double likelihoodRatio) { this.likelihoodRatio = likelihoodRatio; }
  public List<Double> getWorse() { return worse; }
  public void setWorse(List<Double> worse) { this.worse = worse; }
  public List<Double> getNotWorse() { return notWorse; }
  public void setNotWorse(List<Double> notWorse) { this.notWorse = notWorse; }
}
