package io.vigie.analysis.judge;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Hodges–Lehmann estimate of how far the first sample sits from the second (the median of all
 * differences x − y) and its confidence interval: the differences at the ranks the normal
 * approximation of U's law gives, as R's {@code wilcox.test(conf.int = TRUE)} and Kayenta compute it.
 */
public record ShiftEstimate(double shift, double lower, double upper) {
  /** Differences an estimate may sort: 1,000 points a side at most (a range query's window holds far fewer). */
  public static final int MAX_POINTS = 1_000;
  private static final NormalDistribution NORMAL = new NormalDistribution();

  public static ShiftEstimate of(double[] x, double[] y, double confidence) {
    if (x.length == 0 || y.length == 0 || x.length > MAX_POINTS || y.length > MAX_POINTS) {
      throw new IllegalArgumentException("each side needs 1 to " + MAX_POINTS + " points, not " + x.length + " and " + y.length);
    }
    int n = x.length;
    int m = y.length;
    double[] d = new double[n * m];
    int k = 0;
    for (double xi : x) {
      for (double yj : y) {
        d[k++] = xi - yj;
      }
    }
    Arrays.sort(d);
    double shift = d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
    double z = NORMAL.inverseCumulativeProbability(1 - (1 - confidence) / 2);
    long c = (long) Math.floor(n * (double) m / 2 - z * Math.sqrt(n * (double) m * (n + m + 1) / 12.0));
    int rank = (int) Math.max(1, c);
    return new ShiftEstimate(shift, d[rank - 1], d[d.length - rank]);
  }

  /** The interval holds 0: no shift shown at this confidence. */
  public boolean includesZero() {
    return lower <= 0 && upper >= 0;
  }
}
