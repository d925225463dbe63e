package io.vigie.analysis;

import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.MeasurementStatus;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.domain.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a metric's measurements into its verdict: Failed past failureLimit, Inconclusive past
 * inconclusiveLimit, Error past consecutiveErrorLimit errors in a row, Successful once count
 * measurements are taken with at least minSamples successful, Running until then.
 */
public final class MetricVerdict {
  public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
  /** How many measurements of each metric status keeps. */
  public static final int MEASUREMENTS_KEPT = 10;

  private MetricVerdict() {}

  public static MetricStatus start(Metric metric) {
    return start(metric, java.util.Map.of());
  }

  /** @param args the values of the args its conditions name */
  public static MetricStatus start(Metric metric, java.util.Map<String, String> args) {
    MetricStatus status = new MetricStatus();
    status.setName(metric.getName());
    status.setPhase(AnalysisPhase.Running);
    status.setMessage("no measurement yet");
    status.setRule(MetricRule.describe(metric, args));
    status.setUnit(metric.getUnit());
    status.setLimits(MetricRule.limits(metric));
    return status;
  }

  /** Folds one measurement into the metric's status and judges the metric again. */
  public static void record(MetricStatus status, Metric metric, RawMeasurement raw) {
    record(status, metric, java.util.Map.of(), raw);
  }

  /** @param args the values of the args its conditions name */
  public static void record(MetricStatus status, Metric metric, java.util.Map<String, String> args, RawMeasurement raw) {
    record(status, metric, args, raw, java.util.Optional.empty());
  }

  /**
   * @param stableFailing the stable guard's failing reading, while the stable version fails its guard:
   *     a threshold metric's failure then is not the canary's (it is counted inconclusive)
   */
  public static void record(MetricStatus status, Metric metric, java.util.Map<String, String> args, RawMeasurement raw,
      java.util.Optional<String> stableFailing) {
    MeasurementJudge.Judgement judged = metric.getErrorRate() != null ? SequentialVerdict.measure(status, metric, raw)
        : metric.getCompare() != null ? CompareVerdict.measure(status, metric, raw)
        : MeasurementJudge.judge(metric, args, raw);
    boolean shared = judged.phase() == AnalysisPhase.Failed && stableFailing.isPresent() && metric.getErrorRate() == null
        && metric.getCompare() == null;
    MeasurementJudge.Judgement judgement = shared ? new MeasurementJudge.Judgement(AnalysisPhase.Inconclusive, judged.why()
        + ", but " + stableFailing.get() + ": not counted against the canary") : judged;
    tally(status, raw, judgement);
    judge(status, metric, judgement.why());
  }

  /** Counts one judged measurement in the metric's status and keeps it among its last measurements. */
  static void tally(MetricStatus status, RawMeasurement raw, MeasurementJudge.Judgement judgement) {
    status.setMeasured(status.getMeasured() + 1);
    switch (judgement.phase()) {
      case Successful -> status.setSuccessful(status.getSuccessful() + 1);
      case Failed -> status.setFailed(status.getFailed() + 1);
      case Inconclusive -> status.setInconclusive(status.getInconclusive() + 1);
      default -> status.setErrors(status.getErrors() + 1);
    }
    status.setConsecutiveErrors(judgement.phase() == AnalysisPhase.Error ? status.getConsecutiveErrors() + 1 : 0);
    List<MeasurementStatus> kept = new ArrayList<>(status.getMeasurements());
    kept.add(new MeasurementStatus(Timestamps.precise(raw.at()),
        raw.value() == null ? null : MeasurementJudge.number(raw.value()), judgement.phase(), judgement.why()));
    while (kept.size() > MEASUREMENTS_KEPT) {
      kept.remove(0);
    }
    status.setMeasurements(kept);
  }

  private static void judge(MetricStatus s, Metric metric, String lastWhy) {
    // An errorRate metric's test bounds its own false alarms: its first failed reading fails it.
    int failureLimit = metric.getErrorRate() != null ? 0 : orZero(metric.getFailureLimit());
    // A normal compare metric's failures weigh in the analysis' score (AnalysisScore), not here.
    boolean scored = metric.getCompare() != null && !metric.getCompare().critical();
    int inconclusiveLimit = orZero(metric.getInconclusiveLimit());
    int errorLimit = metric.getConsecutiveErrorLimit() == null ? DEFAULT_CONSECUTIVE_ERROR_LIMIT : metric.getConsecutiveErrorLimit();
    int minSamples = metric.getMinSamples() == null ? 1 : metric.getMinSamples();
    String tally = s.getMeasured() + " measurement" + (s.getMeasured() == 1 ? "" : "s");
    if (s.getFailed() > failureLimit && metric.getErrorRate() != null) {
      set(s, AnalysisPhase.Failed, lastFailure(s) + " (at measurement " + s.getMeasured() + ")");
    } else if (s.getFailed() > failureLimit && !scored) {
      set(s, AnalysisPhase.Failed, lastFailure(s) + " (" + s.getFailed() + " of " + tally + " failed, failureLimit "
          + failureLimit + ")");
    } else if (s.getInconclusive() > inconclusiveLimit) {
      set(s, AnalysisPhase.Inconclusive, lastOf(s, AnalysisPhase.Inconclusive) + " (" + s.getInconclusive() + " of "
          + tally + " inconclusive, inconclusiveLimit " + inconclusiveLimit + ")");
    } else if (s.getConsecutiveErrors() > errorLimit) {
      set(s, AnalysisPhase.Error, lastWhy + " (" + s.getConsecutiveErrors() + " errors in a row, consecutiveErrorLimit "
          + errorLimit + ")");
    } else if (metric.getErrorRate() != null) {
      judgeSequential(s, metric, lastWhy, tally);
    } else if (metric.getCount() != null && counted(s) >= metric.getCount()) {
      if (scored) {
        set(s, AnalysisPhase.Successful, lastWhy + " (" + tally + "; the score judges)");
      } else if (s.getSuccessful() >= minSamples) {
        set(s, AnalysisPhase.Successful, lastWhy + " (" + s.getSuccessful() + " of " + tally + " successful)");
      } else {
        set(s, AnalysisPhase.Inconclusive, "only " + s.getSuccessful() + " of " + tally + " successful, minSamples "
            + minSamples);
      }
    } else {
      set(s, AnalysisPhase.Running, lastWhy + " (" + s.getSuccessful() + " of " + tally + " successful)");
    }
  }

  /**
   * An errorRate metric fails at its first failed reading (the test's own guarantee bounds false
   * alarms, not failureLimit), passes once shown not worse, or at the end of its count with the
   * canary's minRequests served; without them it is inconclusive: a canary that served too little
   * has proven nothing.
   */
  private static void judgeSequential(MetricStatus s, Metric metric, String lastWhy, String tally) {
    if (SequentialVerdict.shownNotWorse(s, metric)) {
      set(s, AnalysisPhase.Successful, lastWhy);
    } else if (metric.getCount() != null && counted(s) >= metric.getCount()) {
      double served = SequentialVerdict.canaryRequests(s);
      double needed = metric.getErrorRate().minRequests();
      if (served >= needed) {
        set(s, AnalysisPhase.Successful, lastWhy + " (" + tally + ", the canary served " + MeasurementJudge.number(served)
            + " requests, minRequests " + MeasurementJudge.number(needed) + ")");
      } else {
        set(s, AnalysisPhase.Inconclusive, "the canary served " + MeasurementJudge.number(served) + " requests in " + tally
            + ", fewer than errorRate.minRequests " + MeasurementJudge.number(needed) + ": too few to judge");
      }
    } else {
      set(s, AnalysisPhase.Running, lastWhy);
    }
  }

  /**
   * Measurements that count toward {@code count}: errors do not, they are retried. A metric that
   * cannot be measured never runs out its count into a success.
   */
  public static int counted(MetricStatus s) {
    return s.getMeasured() - s.getErrors();
  }

  /** True when the metric has the successful measurements it needs to let a promotion through. */
  public static boolean hasEnoughSamples(MetricStatus s, Metric metric) {
    int minSamples = metric.getMinSamples() == null ? 1 : metric.getMinSamples();
    return s.getSuccessful() >= minSamples
        && (s.getPhase() == AnalysisPhase.Running || s.getPhase() == AnalysisPhase.Successful);
  }

  private static String lastFailure(MetricStatus s) {
    return lastOf(s, AnalysisPhase.Failed);
  }

  private static String lastOf(MetricStatus s, AnalysisPhase phase) {
    for (int i = s.getMeasurements().size() - 1; i >= 0; i--) {
      MeasurementStatus m = s.getMeasurements().get(i);
      if (m.getPhase() == phase) {
        return m.getMessage();
      }
    }
    return phase.name();
  }

  private static void set(MetricStatus s, AnalysisPhase phase, String message) {
    s.setPhase(phase);
    s.setMessage(message);
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
