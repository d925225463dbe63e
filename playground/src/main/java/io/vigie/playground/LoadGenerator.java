package io.vigie.playground;

import java.time.Duration;

/**
 * Users: {@code rps} requests per simulated second through the data plane; with a day's cycle, the
 * rate rises and falls by half around it, a simulated day being {@link #DAY} long.
 */
final class LoadGenerator implements AutoCloseable {
  static final Duration DAY = Duration.ofMinutes(20);
  private final DataPlane dataPlane;
  private final SimClock clock;
  private final double rps;
  private final boolean daily;
  private final Thread thread;
  private volatile boolean running = true;
  /** A surge multiplies the users' rate (1: none). */
  private volatile double surge = 1;

  LoadGenerator(DataPlane dataPlane, SimClock clock, double rps, boolean daily) {
    this.daily = daily;
    this.dataPlane = dataPlane;
    this.clock = clock;
    this.rps = rps;
    this.thread = new Thread(this::run, "load-generator");
    this.thread.setDaemon(true);
  }

  LoadGenerator start() {
    thread.start();
    return this;
  }

  private void run() {
    Duration last = clock.elapsed();
    double owed = 0;
    while (running) {
      Duration now = clock.elapsed();
      double rate = surge * (daily ? rps * (1 + 0.5 * Math.sin(2 * Math.PI * now.toMillis() / DAY.toMillis())) : rps);
      owed += (now.minus(last).toNanos() / 1e9) * rate;
      last = now;
      for (; owed >= 1; owed--) {
        dataPlane.serve();
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The users' rate becomes {@code factor} times its usual (1 ends the surge). */
  void surge(double factor) {
    surge = factor;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
