package io.vigie.playground;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Records what the playground's metrics backend shows, every scrape interval of simulated time, as
 * the CSV `vigie simulate` replays (docs/cli.md): the Service's request rate ({@code guards.surge}),
 * the canary's error rate and p99 over the last minute with their request counts. A metrics outage
 * is a gap (empty values), as in a real recording.
 */
final class SeriesRecorder implements AutoCloseable {
  private static final long WINDOW = 60;
  private final DataPlane dataPlane;
  private final SimClock clock;
  private final Duration every;
  private final StringBuilder csv = new StringBuilder("time,series,value\n");
  private final Thread thread;
  private volatile boolean running = true;

  SeriesRecorder(DataPlane dataPlane, SimClock clock, long scrapeSeconds) {
    this.dataPlane = dataPlane;
    this.clock = clock;
    this.every = Duration.ofSeconds(scrapeSeconds);
    this.thread = new Thread(this::run, "series-recorder");
    this.thread.setDaemon(true);
  }

  SeriesRecorder start() {
    thread.start();
    return this;
  }

  private void run() {
    Instant next = clock.instant();
    while (running) {
      if (!clock.instant().isBefore(next)) {
        sample(next);
        next = next.plus(every);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void sample(Instant at) {
    var all = dataPlane.served(EnumSet.allOf(DataPlane.Role.class), WINDOW);
    var canary = dataPlane.served(Set.of(DataPlane.Role.CANARY), WINDOW);
    row(at, "guards.surge", all.map(s -> (double) s.requests / WINDOW).orElse(null));
    Double errorRate = canary.filter(s -> s.requests > 0).map(s -> (double) s.errors / s.requests).orElse(null);
    Double p99 = canary.filter(s -> s.requests > 0).map(s -> s.quantile(0.99)).orElse(null);
    Double requests = canary.map(s -> (double) s.requests).orElse(null);
    row(at, "error-rate", errorRate);
    row(at, "error-rate/requests", requests);
    row(at, "latency-p99", p99);
    row(at, "latency-p99/requests", requests);
  }

  private void row(Instant at, String series, Double value) {
    csv.append(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append(',').append(series).append(',')
        .append(value == null ? "" : new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros()
            .toPlainString()).append('\n');
  }

  /** A comment line in the recording (replays skip it), e.g. when the release happened. */
  synchronized void note(String text) {
    csv.append("# ").append(text).append('\n');
  }

  /** Writes what was recorded so far. */
  synchronized void write(Path file) throws IOException {
    Files.writeString(file, csv);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
