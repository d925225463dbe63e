package io.vigie.playground;

import java.util.Locale;
import java.util.Optional;

/** The playground's time compression, as given with --speed: simulated seconds per real second. */
final class Speed {
  /** Beyond this a simulated second is shorter than the operator's own reaction time: nothing would be measured. */
  static final double MAX = 600;

  private Speed() {}

  static Optional<String> problem(double speed) {
    if (Double.isNaN(speed) || speed <= 0 || speed > MAX) {
      return Optional.of(String.format(Locale.ROOT, "--speed %s: use a number of simulated seconds per real second above 0 and "
          + "at most %.0f, e.g. 10 (1 is real time)", Double.isNaN(speed) ? "NaN" : trim(speed), MAX));
    }
    return Optional.empty();
  }

  private static String trim(double speed) {
    return speed == Math.rint(speed) && !Double.isInfinite(speed) ? Long.toString((long) speed) : Double.toString(speed);
  }
}
