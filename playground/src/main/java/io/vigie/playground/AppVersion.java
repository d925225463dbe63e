package io.vigie.playground;

import java.util.Random;

/**
 * How the playground's app behaves, from its image tag: {@code v1} and other plain tags are healthy,
 * {@code *-errors} answers 20% of requests with a 5xx, {@code *-slow} takes 400 ms longer, and
 * {@code *-crash} never becomes ready (the simulated kubelet sees to that).
 */
record AppVersion(double errorRatio, double extraLatencySeconds) {
  /** Latency above which a request counts as bad for the benchmark: the app's objective. */
  static final double SLO_SECONDS = 0.3;
  private static final double BASE_ERROR_RATIO = 0.001;

  static AppVersion of(String image) {
    String tag = image.substring(image.lastIndexOf(':') + 1);
    double errors = tag.endsWith("-errors") ? 0.20 : BASE_ERROR_RATIO;
    double extra = tag.endsWith("-slow") ? 0.4 : 0;
    return new AppVersion(errors, extra);
  }

  /** One request: its status code and latency. */
  Response serve(Random random) {
    double latency = 0.05 + 0.06 * random.nextDouble() + extraLatencySeconds + (random.nextDouble() < 0.01 ? 0.1 : 0);
    int status = random.nextDouble() < errorRatio ? 503 : 200;
    return new Response(status, latency);
  }

  record Response(int status, double latencySeconds) {
    boolean bad() {
      return status >= 500 || latencySeconds > SLO_SECONDS;
    }
  }
}
