package io.vigie.playground;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The playground's time: real time sped up {@code speed} times, from a fixed start. The operator,
 * the load and the metrics all read it, so ten simulated minutes of a release pass in seconds.
 */
final class SimClock extends Clock {
  private final Instant start;
  private final long startNanos = System.nanoTime();
  private final double speed;

  SimClock(Instant start, double speed) {
    this.start = start;
    this.speed = speed;
  }

  double speed() {
    return speed;
  }

  /** Simulated time elapsed since the start. */
  Duration elapsed() {
    return Duration.ofNanos((long) ((System.nanoTime() - startNanos) * speed));
  }

  /** Real time for a simulated duration. */
  Duration real(Duration simulated) {
    return Duration.ofNanos((long) (simulated.toNanos() / speed));
  }

  @Override
  public Instant instant() {
    return start.plus(elapsed());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the playground clock is UTC");
  }
}
