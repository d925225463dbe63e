package io.vigie.analysis.judge;

import java.util.Arrays;

/**
 * An anytime-valid test of whether the canary's share of bad requests (errors, or requests slower
 * than a bound) is more than {@code 1 + tolerance} times the comparison side's: a mixture sequential
 * probability ratio test on the bad requests, conditioned on the traffic each side served.
 *
 * <p>Between two scrapes the canary served a share π of the requests. If both sides' bad requests
 * arrive at rates in the ratio ρ (canary over comparison), each bad request of that interval is the
 * canary's with probability θ(ρ) = πρ / (πρ + 1 − π), whatever the traffic. The test multiplies,
 * interval after interval, the likelihood of what it saw under alternatives ρ₁..ρ₆ above
 * ρ₀ = 1 + tolerance against its likelihood under ρ₀, and averages over the alternatives (the
 * mixture). Under any ρ ≤ ρ₀ that average is a non-negative supermartingale starting at 1, so by
 * Ville's inequality it ever reaches 1/α with probability at most α: the test may look after every
 * scrape, for as long as the canary runs, and still roll back a good canary with probability at
 * most α = 1 − confidence. A test with a fixed horizon (a z-test of two proportions, a threshold on
 * the error rate) keeps that promise only if it is looked at once; looked at every interval, each
 * look is a new chance of a false alarm, and they add up (the tests measure by how much).
 *
 * <p>The mirror test (alternatives at or below 1 against ρ₀) says when the canary is shown not
 * worse than the tolerance, with the same guarantee.
 */
public final class MixtureSprt {
  /** The alternatives, as multiples of ρ₀: from a 20% rise beyond the tolerance to ten times. */
  private static final double[] WORSE = {1.2, 1.5, 2, 3, 5, 10};
  /** The alternatives of the mirror test, as ratios of bad-request rates (1: as good as the other side). */
  private static final double[] NOT_WORSE = {1.0, 0.75, 0.5};

  private MixtureSprt() {}

  /** What one side served between two scrapes. */
  public record Served(double requests, double bad) {
    public Served {
      if (!(requests >= 0) || !(bad >= 0) || bad > requests || Double.isInfinite(requests)) {
        throw new IllegalArgumentException("a side served " + requests + " requests of which " + bad + " bad: counts must be "
            + "finite, not negative, and the bad ones at most all of them");
      }
    }
  }

  /**
   * The evidence so far: the log likelihood ratio of each alternative, and the totals served.
   * Kept in status between measurements, so that a restarted operator goes on from it.
   */
  public record Evidence(double[] worse, double[] notWorse, double canaryRequests, double canaryBad, double otherRequests,
      double otherBad) {
    public static Evidence none() {
      return new Evidence(new double[WORSE.length], new double[NOT_WORSE.length], 0, 0, 0, 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Evidence e && Arrays.equals(worse, e.worse) && Arrays.equals(notWorse, e.notWorse)
          && canaryRequests == e.canaryRequests && canaryBad == e.canaryBad && otherRequests == e.otherRequests
          && otherBad == e.otherBad;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(worse) * 31 + Arrays.hashCode(notWorse);
    }

    @Override
    public String toString() {
      return "Evidence[canary " + canaryBad + "/" + canaryRequests + ", other " + otherBad + "/" + otherRequests + "]";
    }
  }

  public enum Verdict { WORSE, NOT_WORSE, UNDECIDED }

  /** The evidence after one more interval in which the canary and the other side served this. */
  public static Evidence update(Evidence before, Served canary, Served other, double tolerance) {
    double[] worse = before.worse().clone();
    double[] notWorse = before.notWorse().clone();
    double total = canary.requests() + other.requests();
    double bad = canary.bad() + other.bad();
    if (canary.requests() > 0 && other.requests() > 0 && bad > 0) {
      double share = canary.requests() / total;
      double rho0 = 1 + tolerance;
      double theta0 = theta(share, rho0);
      for (int i = 0; i < WORSE.length; i++) {
        worse[i] += logRatio(theta(share, rho0 * WORSE[i]), theta0, canary.bad(), other.bad());
      }
      for (int i = 0; i < NOT_WORSE.length; i++) {
        notWorse[i] += logRatio(theta(share, NOT_WORSE[i]), theta0, canary.bad(), other.bad());
      }
    }
    return new Evidence(worse, notWorse, before.canaryRequests() + canary.requests(), before.canaryBad() + canary.bad(),
        before.otherRequests() + other.requests(), before.otherBad() + other.bad());
  }

  /** WORSE or NOT_WORSE once the mixture's likelihood ratio reaches 1/(1 − confidence); else UNDECIDED. */
  public static Verdict verdict(Evidence evidence, double confidence) {
    double bound = Math.log(1 / (1 - confidence));
    if (logMixture(evidence.worse()) >= bound) {
      return Verdict.WORSE;
    }
    return logMixture(evidence.notWorse()) >= bound ? Verdict.NOT_WORSE : Verdict.UNDECIDED;
  }

  /** The weight of the evidence that the canary is worse: the mixture's likelihood ratio, 1 with no evidence. */
  public static double worseLikelihoodRatio(Evidence evidence) {
    return Math.exp(logMixture(evidence.worse()));
  }

  private static double theta(double share, double rho) {
    return share * rho / (share * rho + 1 - share);
  }

  private static double logRatio(double theta, double theta0, double canaryBad, double otherBad) {
    return canaryBad * Math.log(theta / theta0) + otherBad * Math.log((1 - theta) / (1 - theta0));
  }

  /** log of the mean of exp(l_i), computed without overflow. */
  private static double logMixture(double[] logRatios) {
    double max = Arrays.stream(logRatios).max().orElse(0);
    double sum = 0;
    for (double l : logRatios) {
      sum += Math.exp(l - max);
    }
    return max + Math.log(sum / logRatios.length);
  }
}
