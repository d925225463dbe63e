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
  private final long startNanos;
  private final double speed;
  private final ZoneId zone;

  SimClock(Instant start, double speed) {
    this(start, System.nanoTime(), speed, ZoneOffset.UTC);
  }

  private SimClock(Instant start, long startNanos, double speed, ZoneId zone) {
    this.start = start;
    this.startNanos = startNanos;
    this.speed = speed;
    this.zone = zone;
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
    return zone;
  }

  /** The same time, shown in another zone. */
  @Override
  public Clock withZone(ZoneId other) {
    return new SimClock(start, startNanos, speed, other);
  }
}
