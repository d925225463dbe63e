package io.vigie.playground;

import java.util.Random;

/**
 * How the playground's app behaves, from its image tag. {@code v1} and other plain tags are healthy
 * (0.1% errors, 50 to 110 ms, 1% of requests 100 ms slower). Bad releases, obvious and subtle:
 * <ul>
 *   <li>{@code *-errors}: 20% of requests answer 503;</li>
 *   <li>{@code *-slow}: every request takes 400 ms longer;</li>
 *   <li>{@code *-errors-1pct}: 1% errors instead of 0.1%;</li>
 *   <li>{@code *-p99-20pct}: every request takes 20% longer (the p99 rises by a fifth);</li>
 *   <li>{@code *-endpoint-2pct}: one endpoint (a tenth of the requests) fails 2% of its requests;</li>
 *   <li>{@code *-crash}: never becomes ready (the simulated kubelet sees to that).</li>
 * </ul>
 * A noisy app ({@link Noise}) adds what production adds to any version: error bursts, GC-like
 * latency spikes, and a warm-up on new pods.
 */
record AppVersion(double errorRatio, double extraLatencySeconds, double latencyFactor, double endpointShare,
    double endpointErrorRatio) {
  /** Latency above which a request counts as bad for the benchmark: the app's objective. */
  static final double SLO_SECONDS = 0.3;
  private static final double BASE_ERROR_RATIO = 0.001;

  static AppVersion of(String image) {
    String tag = image.substring(image.lastIndexOf(':') + 1);
    double errors = tag.endsWith("-errors") ? 0.20 : tag.endsWith("-errors-1pct") ? 0.01 : BASE_ERROR_RATIO;
    double extra = tag.endsWith("-slow") ? 0.4 : 0;
    double factor = tag.endsWith("-p99-20pct") ? 1.2 : 1;
    boolean endpoint = tag.endsWith("-endpoint-2pct");
    return new AppVersion(errors, extra, factor, endpoint ? 0.1 : 0, endpoint ? 0.02 : 0);
  }

  /**
   * What production adds to every version of a noisy app, as time goes (seconds since the start):
   * for 20 s of every 5 minutes 6% more errors (a dependency's hiccup); for 10 s of every 2 minutes
   * 2% of requests 600 ms slower (garbage collection) ({@code bursts}); on a pod ready for less than
   * 60 s, 150 ms more (caches and JIT warming up: {@code warmUp}, which a quiet app may have alone).
   */
  record Noise(boolean bursts, boolean warmUp) {
    static final Noise NONE = new Noise(false, false);

    double extraErrors(double seconds) {
      return bursts && seconds % 300 < 20 ? 0.06 : 0;
    }

    double extraLatency(double seconds, double podAgeSeconds, Random random) {
      double gc = bursts && seconds % 120 < 10 && random.nextDouble() < 0.02 ? 0.6 : 0;
      return gc + (warmUp && podAgeSeconds < 60 ? 0.15 : 0);
    }
  }

  /** One request, at this time, on a pod ready for this long: its status code and latency. */
  Response serve(Random random, Noise noise, double seconds, double podAgeSeconds) {
    double latency = (0.05 + 0.06 * random.nextDouble() + (random.nextDouble() < 0.01 ? 0.1 : 0)) * latencyFactor
        + extraLatencySeconds + noise.extraLatency(seconds, podAgeSeconds, random);
    double errors = errorRatio + noise.extraErrors(seconds)
        + (endpointShare > 0 && random.nextDouble() < endpointShare ? endpointErrorRatio : 0);
    int status = random.nextDouble() < errors ? 503 : 200;
    return new Response(status, latency);
  }

  record Response(int status, double latencySeconds) {
    boolean bad() {
      return status >= 500 || latencySeconds > SLO_SECONDS;
    }
  }
}
