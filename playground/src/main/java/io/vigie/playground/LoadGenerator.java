package io.vigie.playground;

import java.time.Duration;

/** Users: a steady {@code rps} requests per simulated second through the data plane. */
final class LoadGenerator implements AutoCloseable {
  private final DataPlane dataPlane;
  private final SimClock clock;
  private final double rps;
  private final Thread thread;
  private volatile boolean running = true;

  LoadGenerator(DataPlane dataPlane, SimClock clock, double rps) {
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
      owed += (now.minus(last).toNanos() / 1e9) * rps;
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
