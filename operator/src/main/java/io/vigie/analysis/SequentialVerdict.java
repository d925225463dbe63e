package io.vigie.analysis;

import io.vigie.analysis.MeasurementJudge.Judgement;
import io.vigie.analysis.RawMeasurement.SideCounters;
import io.vigie.analysis.judge.MixtureSprt;
import io.vigie.analysis.judge.MixtureSprt.Evidence;
import io.vigie.analysis.judge.MixtureSprt.Served;
import io.vigie.analysis.judge.MixtureSprt.Verdict;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.SequentialErrorRate;
import io.vigie.api.v1alpha1.SequentialEvidence;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An errorRate metric's readings folded into its sequential test ({@link MixtureSprt}): each
 * reading's increments over the last one, per side, are evidence. Against the stable side the first
 * reading is where the counting starts; against a baseline it counts from 0. A counter that went down was reset (a pod restarted): its new value is what it
 * counted since.
 */
final class SequentialVerdict {
  private SequentialVerdict() {}

  /** The judgement of one reading, with the metric's evidence brought up to date in {@code status}. */
  static Judgement measure(MetricStatus status, Metric metric, RawMeasurement raw) {
    if (raw.kind() != RawMeasurement.Kind.VALUE || raw.counters() == null) {
      return MeasurementJudge.judge(metric, raw);
    }
    SequentialErrorRate test = metric.getErrorRate();
    SideCounters now = raw.counters();
    SequentialEvidence kept = status.getSequential() == null ? new SequentialEvidence() : status.getSequential();
    List<Double> reading = List.of(now.canaryRequests(), now.canaryBad(), now.stableRequests(), now.stableBad());
    if (reading.stream().anyMatch(v -> !Double.isFinite(v) || v < 0)) {
      return new Judgement(AnalysisPhase.Error, "a counter read " + reading + ": counters are finite and not negative; check "
          + "that the queries return counters (not rates) of requests");
    }
    if (kept.getLastCounters() == null && !SidePlaceholder.BASELINE.word().equals(now.side())) {
      kept.setLastCounters(reading);
      status.setSequential(kept);
      return new Judgement(AnalysisPhase.Successful, "first reading: counting from " + count(now.canaryRequests())
          + " canary and " + count(now.stableRequests()) + " " + now.side() + " requests");
    }
    // The baseline's pods and the canary's were started for this canary: every request they counted
    // is evidence, so their first reading counts from 0. The stable pods' counters hold their
    // whole life, which is why, against them, counting starts at the first reading.
    List<Double> last = kept.getLastCounters() == null ? List.of(0.0, 0.0, 0.0, 0.0) : kept.getLastCounters();
    Served canary = served(increase(last.get(0), reading.get(0)), increase(last.get(1), reading.get(1)));
    Served stable = served(increase(last.get(2), reading.get(2)), increase(last.get(3), reading.get(3)));
    Evidence evidence = MixtureSprt.update(evidence(kept), canary, stable, test.tolerance());
    keep(kept, evidence, reading);
    status.setSequential(kept);
    Verdict verdict = MixtureSprt.verdict(evidence, test.confidence());
    String seen = shares(evidence, now.side()) + ", likelihood ratio " + number(kept.getLikelihoodRatio()) + " (bound "
        + number(1 / (1 - test.confidence())) + ")";
    return switch (verdict) {
      case WORSE -> new Judgement(AnalysisPhase.Failed, "the canary's share of bad requests is more than "
          + number(1 + test.tolerance()) + " times the " + now.side() + " side's with " + percent(test.confidence()) + " confidence: "
          + seen);
      case NOT_WORSE -> new Judgement(AnalysisPhase.Successful, "shown not worse than " + number(1 + test.tolerance())
          + " times the " + now.side() + " side's with " + percent(test.confidence()) + " confidence: " + seen);
      case UNDECIDED -> new Judgement(AnalysisPhase.Successful, "no proof either way yet: " + seen);
    };
  }

  /** The test showed the canary not worse: the metric has passed. */
  static boolean shownNotWorse(MetricStatus status, Metric metric) {
    return status.getSequential() != null && status.getSequential().getWorse() != null
        && MixtureSprt.verdict(evidence(status.getSequential()), metric.getErrorRate().confidence()) == Verdict.NOT_WORSE;
  }

  static double canaryRequests(MetricStatus status) {
    return status.getSequential() == null ? 0 : status.getSequential().getCanaryRequests();
  }

  private static double increase(double before, double after) {
    return after >= before ? after - before : after;
  }

  /** Two queries read at two instants: a few bad requests may be counted before their request is. */
  private static Served served(double requests, double bad) {
    return new Served(requests, Math.min(bad, requests));
  }

  private static Evidence evidence(SequentialEvidence kept) {
    if (kept.getWorse() == null || kept.getNotWorse() == null) {
      return Evidence.none();
    }
    Evidence none = Evidence.none();
    if (kept.getWorse().size() != none.worse().length || kept.getNotWorse().size() != none.notWorse().length) {
      // Written by another version of the test: start the evidence afresh rather than misread it.
      return none;
    }
    return new Evidence(kept.getWorse().stream().mapToDouble(Double::doubleValue).toArray(),
        kept.getNotWorse().stream().mapToDouble(Double::doubleValue).toArray(), kept.getCanaryRequests(), kept.getCanaryBad(),
        kept.getStableRequests(), kept.getStableBad());
  }

  private static void keep(SequentialEvidence kept, Evidence evidence, List<Double> reading) {
    kept.setWorse(Arrays.stream(evidence.worse()).boxed().toList());
    kept.setNotWorse(Arrays.stream(evidence.notWorse()).boxed().toList());
    kept.setCanaryRequests(evidence.canaryRequests());
    kept.setCanaryBad(evidence.canaryBad());
    kept.setStableRequests(evidence.otherRequests());
    kept.setStableBad(evidence.otherBad());
    kept.setLastCounters(reading);
    kept.setLikelihoodRatio(MixtureSprt.worseLikelihoodRatio(evidence));
  }

  private static String shares(Evidence e, String side) {
    return "canary " + share(e.canaryBad(), e.canaryRequests()) + " bad (" + count(e.canaryBad()) + " of "
        + count(e.canaryRequests()) + "), " + side + " " + share(e.otherBad(), e.otherRequests()) + " (" + count(e.otherBad())
        + " of " + count(e.otherRequests()) + ")";
  }

  private static String share(double bad, double requests) {
    return requests == 0 ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * bad / requests);
  }

  private static String count(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String number(double v) {
    return v >= 1e6 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+$", "");
  }

  private static String percent(double ratio) {
    return number(ratio * 100) + "%";
  }
}
