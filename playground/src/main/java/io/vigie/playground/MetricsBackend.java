package io.vigie.playground;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the playground's analysis reads the app's metrics: a real Prometheus scraping the data
 * plane when one is installed, else the data plane's own JSON statistics through the web provider.
 */
interface MetricsBackend extends AutoCloseable {
  /** One line for the demo's header. */
  String describe();

  /** Settings word for the bench's output: {@code prometheus} or {@code web}. */
  String kind();

  /** The {@code provider:} of the canary's error-rate metric, as a YAML flow map. */
  String errorRateProvider();

  /** The {@code provider:} of the canary's p99 latency metric, as a YAML flow map. */
  String latencyProvider();

  /**
   * The {@code provider:} of an errorRate metric whose bad requests are these, read as counters of
   * each side ({@code {{side}}}); empty for a backend without counters (the data plane's statistics).
   */
  Optional<String> sideCountersProvider(BadRequests bad);

  /**
   * What a compare metric reads: the window and step of its points (in the backend's time) and the
   * providers of the p99 and the error ratio, each with {@code {{side}}}; empty for a backend that
   * keeps no series (the data plane's statistics).
   */
  default Optional<ComparePoints> comparePoints() {
    return Optional.empty();
  }

  /** See {@link #comparePoints()}. */
  record ComparePoints(String initialDelay, String window, String step, String latencyProvider, String errorProvider) {}

  /** What an errorRate metric counts as bad: 5xx responses, or requests slower than 0.3 s. */
  enum BadRequests { ERRORS, SLOW }

  /** The backend stops answering, as in the metrics-outage scenario. */
  void goDown();

  @Override
  void close();

  /** Which backend `--metrics` asks for. */
  enum Choice {
    /** Prometheus when it is on PATH, else the data plane's statistics. */
    AUTO,
    PROMETHEUS,
    WEB;

    static Choice of(String word) {
      for (Choice c : values()) {
        if (c.name().toLowerCase(Locale.ROOT).equals(word)) {
          return c;
        }
      }
      throw new IllegalArgumentException("no metrics backend '" + word + "': use auto, prometheus or web");
    }
  }

  /** The Prometheus binary: $VIGIE_PROMETHEUS, then PATH. */
  static Optional<Path> prometheusBinary() {
    return io.vigie.testkit.PrometheusServer.find();
  }
}
