package io.vigie.analysis.judge;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * The two-sided Mann–Whitney U test of two samples, with the normal approximation corrected for
 * continuity and for ties: the test Kayenta's judge runs on canary and baseline points.
 * (commons-math3's own {@code MannWhitneyUTest} leaves both corrections out.)
 *
 * @param u the U statistic of the first sample: how many of its points exceed the second's (ties count half)
 * @param pValue the chance of a U at least this far from its mean if both samples come from one law
 */
public record MannWhitney(double u, double pValue) {
  private static final NormalDistribution NORMAL = new NormalDistribution();

  public static MannWhitney test(double[] x, double[] y) {
    if (x.length == 0 || y.length == 0) {
      throw new IllegalArgumentException("each side needs at least one point");
    }
    int n = x.length;
    int m = y.length;
    double[] all = new double[n + m];
    System.arraycopy(x, 0, all, 0, n);
    System.arraycopy(y, 0, all, n, m);
    double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(all);
    double rankSum = 0;
    for (int i = 0; i < n; i++) {
      rankSum += ranks[i];
    }
    double u = rankSum - n * (n + 1) / 2.0;
    double mean = n * (double) m / 2.0;
    int total = n + m;
    double variance = n * (double) m / 12.0 * ((total + 1) - tieTerm(all) / (total * (total - 1.0)));
    if (!(variance > 0)) {
      // Every point equal: nothing tells the samples apart.
      return new MannWhitney(u, 1.0);
    }
    double z = (Math.max(u, n * (double) m - u) - mean - 0.5) / Math.sqrt(variance);
    return new MannWhitney(u, Math.min(1.0, 2 * (1 - NORMAL.cumulativeProbability(z))));
  }

  /** The sum over groups of tied points of t³ − t. */
  private static double tieTerm(double[] points) {
    double[] sorted = points.clone();
    java.util.Arrays.sort(sorted);
    double sum = 0;
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
        j++;
      }
      double t = j - i + 1.0;
      sum += t * t * t - t;
      i = j + 1;
    }
    return sum;
  }
}
