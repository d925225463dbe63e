package io.vigie.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigie.analysis.judge.MixtureSprt.Evidence;
import io.vigie.analysis.judge.MixtureSprt.Served;
import io.vigie.analysis.judge.MixtureSprt.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * The sequential test on simulated releases (seeded): 100 requests a second, 1% of them bad on the
 * stable side, the canary's share 10% for 2 minutes, 25% for 2, then 50%, a look at every 10-second
 * scrape for 10 minutes. Figures in docs/benchmarks.md ("The judge's statistics").
 */
class MixtureSprtTest {
  private static final double CONFIDENCE = 0.98;
  private static final double TOLERANCE = 0.10;
  private static final int RELEASES = 2_000;
  private static final int SCRAPE_S = 10;
  private static final int LOOKS = 60;
  private static final double RPS = 100;
  private static final double BAD = 0.01;

  /**
   * Good canaries: as good as stable (A/A), and the worst case the guarantee covers, a canary
   * exactly at the tolerance (1.1 times stable's bad requests).
   */
  @Test
  void goodCanariesLookedAtEveryScrapeAreRolledBackAtMostOneTimeInFifty() {
    for (double factor : new double[] {1.0, 1 + TOLERANCE}) {
      int falseRollbacks = 0;
      for (int seed = 0; seed < RELEASES; seed++) {
        if (release(seed, factor).worseAt().isPresent()) {
          falseRollbacks++;
        }
      }
      double share = falseRollbacks / (double) RELEASES;
      System.out.printf(Locale.ROOT, "judge_false_rollbacks{test=sequential,errors=x%s,releases=%d}: %.4f%n", factor, RELEASES,
          share);
      assertThat(share).as("false rollbacks of %d canaries with x%s the errors", RELEASES, factor)
          .isLessThanOrEqualTo(1 - CONFIDENCE);
    }
  }

  /**
   * Why peers' repeated checks roll good releases back: the same good canaries, judged at every
   * scrape by a fixed-horizon test at the same confidence (a one-sided z-test of the two error
   * shares, with the same tolerance), which keeps its promise only when looked at once.
   */
  @Test
  void aFixedHorizonTestLookedAtEveryScrapeRollsGoodCanariesBackFarMoreOften() {
    double critical = new NormalDistribution().inverseCumulativeProbability(CONFIDENCE);
    double atTolerance = 0;
    for (double factor : new double[] {1.0, 1 + TOLERANCE}) {
      int falseRollbacks = 0;
      for (int seed = 0; seed < RELEASES; seed++) {
        Traffic traffic = new Traffic(seed, factor);
        double nc = 0, bc = 0, ns = 0, bs = 0;
        for (int look = 0; look < LOOKS; look++) {
          Served[] served = traffic.next(look);
          nc += served[0].requests();
          bc += served[0].bad();
          ns += served[1].requests();
          bs += served[1].bad();
          double pc = bc / nc, ps = bs / ns, rho0 = 1 + TOLERANCE;
          double se = Math.sqrt(pc * (1 - pc) / nc + rho0 * rho0 * ps * (1 - ps) / ns);
          if (se > 0 && (pc - rho0 * ps) / se > critical) {
            falseRollbacks++;
            break;
          }
        }
      }
      double share = falseRollbacks / (double) RELEASES;
      System.out.printf(Locale.ROOT, "judge_false_rollbacks{test=fixed-horizon-every-scrape,errors=x%s,releases=%d}: %.4f%n",
          factor, RELEASES, share);
      atTolerance = share;
    }
    assertThat(atTolerance).as("false rollbacks of canaries at the tolerance, by a fixed-horizon test looked at every scrape")
        .isGreaterThan(2 * (1 - CONFIDENCE));
  }

  @Test
  void badCanariesAreCaughtSoonerTheWorseTheyAre() {
    double[] factors = {1.5, 2, 5};
    double[] medians = new double[factors.length];
    for (int f = 0; f < factors.length; f++) {
      List<Integer> times = new ArrayList<>();
      for (int seed = 0; seed < RELEASES; seed++) {
        release(RELEASES + seed, factors[f]).worseAt().ifPresent(times::add);
      }
      double detected = times.size() / (double) RELEASES;
      medians[f] = median(times);
      System.out.printf(Locale.ROOT, "judge_detected{test=sequential,errors=x%s}: %.3f, median %ss%n", factors[f], detected,
          medians[f]);
      if (factors[f] >= 2) {
        assertThat(detected).as("bad canaries (errors x%s) caught within 10 minutes", factors[f]).isGreaterThanOrEqualTo(0.95);
      }
    }
    assertThat(medians[2]).as("median seconds to catch errors x5").isLessThanOrEqualTo(30);
    assertThat(medians[1]).as("median seconds to catch errors x2").isLessThan(medians[0]);
  }

  /**
   * Latency regressions as the test sees them: the share of requests slower than a bound (here the
   * stable side's p99, so 1% of its requests), with log-normal latencies (σ 0.4) whose every request
   * is 10%, 25% or 100% slower on the canary.
   */
  @Test
  void slowerCanariesAreCaughtByTheirShareOfSlowRequests() {
    NormalDistribution normal = new NormalDistribution();
    double z99 = normal.inverseCumulativeProbability(1 - BAD);
    double[] slower = {0.10, 0.25, 1.00};
    double[] detected = new double[slower.length];
    double[] medians = new double[slower.length];
    for (int k = 0; k < slower.length; k++) {
      double canarySlowShare = 1 - normal.cumulativeProbability(z99 - Math.log(1 + slower[k]) / 0.4);
      List<Integer> times = new ArrayList<>();
      for (int seed = 0; seed < RELEASES; seed++) {
        release(4 * RELEASES + seed, canarySlowShare / BAD).worseAt().ifPresent(times::add);
      }
      detected[k] = times.size() / (double) RELEASES;
      medians[k] = median(times);
      System.out.printf(Locale.ROOT, "judge_detected{test=sequential,latency=+%.0f%%}: %.3f, median %ss (slow share %.2f%% "
          + "against 1%%)%n", slower[k] * 100, detected[k], medians[k], canarySlowShare * 100);
    }
    assertThat(detected[2]).as("+100%% latency caught within 10 minutes").isEqualTo(1.0);
    assertThat(medians[2]).as("median seconds to catch +100%% latency").isLessThanOrEqualTo(20);
    assertThat(detected[1]).as("+25%% latency caught within 10 minutes").isGreaterThanOrEqualTo(0.95);
    assertThat(medians[0]).as("+10%% latency takes longer to show than +25%%").isGreaterThan(medians[1]);
  }

  @Test
  void aCanaryAsGoodAsStableIsShownNotWorseAndNeverWorse() {
    int notWorse = 0;
    for (int seed = 0; seed < 200; seed++) {
      Outcome o = release(3 * RELEASES + seed, 0.5);
      assertThat(o.worseAt()).isEmpty();
      if (o.notWorse()) {
        notWorse++;
      }
    }
    assertThat(notWorse).as("canaries with half the errors shown not worse within 10 minutes").isGreaterThanOrEqualTo(190);
  }

  @Test
  void noTrafficOrNoBadRequestsIsNoEvidence() {
    Evidence none = Evidence.none();
    Evidence quiet = MixtureSprt.update(none, new Served(500, 0), new Served(4500, 0), TOLERANCE);
    assertThat(MixtureSprt.verdict(quiet, CONFIDENCE)).isEqualTo(Verdict.UNDECIDED);
    assertThat(MixtureSprt.worseLikelihoodRatio(quiet)).isEqualTo(1.0);
    Evidence idle = MixtureSprt.update(none, new Served(0, 0), new Served(4500, 30), TOLERANCE);
    assertThat(MixtureSprt.worseLikelihoodRatio(idle)).isEqualTo(1.0);
    assertThat(idle.otherBad()).isEqualTo(30);
  }

  @Test
  void countsThatCannotBeAreRefusedWithTheReason() {
    assertThatThrownBy(() -> new Served(10, 11)).hasMessageContaining("the bad ones at most all of them");
    assertThatThrownBy(() -> new Served(-1, 0)).hasMessageContaining("not negative");
    assertThatThrownBy(() -> new Served(Double.NaN, 0)).hasMessageContaining("must be finite");
    assertThatThrownBy(() -> new Served(Double.POSITIVE_INFINITY, 0)).hasMessageContaining("must be finite");
  }

  record Outcome(OptionalInt worseAt, boolean notWorse) {}

  /** One release whose canary has {@code factor} times the stable side's share of bad requests. */
  private static Outcome release(int seed, double factor) {
    Traffic traffic = new Traffic(seed, factor);
    Evidence evidence = Evidence.none();
    boolean notWorse = false;
    for (int look = 0; look < LOOKS; look++) {
      Served[] served = traffic.next(look);
      evidence = MixtureSprt.update(evidence, served[0], served[1], TOLERANCE);
      Verdict verdict = MixtureSprt.verdict(evidence, CONFIDENCE);
      if (verdict == Verdict.WORSE) {
        return new Outcome(OptionalInt.of((look + 1) * SCRAPE_S), notWorse);
      }
      notWorse |= verdict == Verdict.NOT_WORSE;
    }
    return new Outcome(OptionalInt.empty(), notWorse);
  }

  /** Requests and bad requests of each side per scrape interval. */
  private static final class Traffic {
    private final RandomGenerator random;
    private final double factor;

    Traffic(int seed, double factor) {
      this.random = new Well19937c(seed);
      this.factor = factor;
    }

    Served[] next(int look) {
      int second = look * SCRAPE_S;
      double share = second < 120 ? 0.10 : second < 240 ? 0.25 : 0.50;
      return new Served[] {side(RPS * share * SCRAPE_S, BAD * factor), side(RPS * (1 - share) * SCRAPE_S, BAD)};
    }

    private Served side(double meanRequests, double bad) {
      int requests = new PoissonDistribution(random, meanRequests, PoissonDistribution.DEFAULT_EPSILON,
          PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample();
      int errors = requests == 0 ? 0 : new BinomialDistribution(random, requests, Math.min(1, bad)).sample();
      return new Served(requests, errors);
    }
  }

  private static double median(List<Integer> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Integer> sorted = values.stream().sorted().toList();
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2.0;
  }
}
