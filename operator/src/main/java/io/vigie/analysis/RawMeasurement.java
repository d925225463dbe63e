package io.vigie.analysis;

import java.time.Instant;

/**
 * What a provider answered for one metric, before any judgement.
 *
 * @param run the analysis run it belongs to ("background" or "step-N")
 * @param value the number, NaN and infinities included; null unless {@code kind} is VALUE
 * @param requests the requests behind it (for minRequests), null when not asked for
 * @param note for NO_DATA and ERROR, what happened, for the person reading status
 * @param counters for an errorRate metric, both sides' counters as read; null otherwise
 * @param points for a compare metric, both sides' points over its window; null otherwise
 */
public record RawMeasurement(String run, String metric, Instant at, Kind kind, Double value, Double requests, String note,
    SideCounters counters, SidePoints points) {

  /**
   * The cumulative counters of both sides at one scrape: requests and bad requests.
   *
   * @param side what the canary is compared with: stable or baseline (the "stable" counters are its)
   */
  public record SideCounters(double canaryRequests, double canaryBad, double stableRequests, double stableBad, String side) {
    public SideCounters(double canaryRequests, double canaryBad, double stableRequests, double stableBad) {
      this(canaryRequests, canaryBad, stableRequests, stableBad, "stable");
    }
  }

  /**
   * The points of both sides of a comparison, as read (non-finite ones included: the judge refuses
   * them with a reason).
   *
   * @param side what the canary is compared with: baseline or stable
   */
  public record SidePoints(double[] canary, double[] other, String side) {}

  public RawMeasurement(String run, String metric, Instant at, Kind kind, Double value, Double requests, String note,
      SideCounters counters) {
    this(run, metric, at, kind, value, requests, note, counters, null);
  }

  public enum Kind {
    /** The provider gave a number. */
    VALUE,
    /** The provider answered, with nothing to judge (an empty query result). */
    NO_DATA,
    /** The provider could not answer, or its answer made no sense. */
    ERROR
  }

  public static RawMeasurement value(String run, String metric, Instant at, double value, Double requests) {
    return new RawMeasurement(run, metric, at, Kind.VALUE, value, requests, null, null);
  }

  public static RawMeasurement counters(String run, String metric, Instant at, SideCounters counters) {
    return new RawMeasurement(run, metric, at, Kind.VALUE, null, counters.canaryRequests(), null, counters);
  }

  public static RawMeasurement points(String run, String metric, Instant at, SidePoints points) {
    return new RawMeasurement(run, metric, at, Kind.VALUE, null, null, null, null, points);
  }

  /** The same measurement with its note as this. */
  public RawMeasurement withNote(String note) {
    return new RawMeasurement(run, metric, at, kind, value, requests, note, counters, points);
  }

  public static RawMeasurement noData(String run, String metric, Instant at, String why) {
    return new RawMeasurement(run, metric, at, Kind.NO_DATA, null, null, why, null);
  }

  public static RawMeasurement error(String run, String metric, Instant at, String error) {
    return new RawMeasurement(run, metric, at, Kind.ERROR, null, null, error, null);
  }
}
