package io.vigie.playground;

/**
 * One second of requests of one side (canary or stable): counts and a latency histogram in 10 ms
 * buckets, merged over a window for the data plane's /stats.
 */
final class SecondOfRequests {
  private static final int LATENCY_BUCKETS = 300;
  private static final double BUCKET_SECONDS = 0.01;

  long requests;
  long errors;
  final long[] latency = new long[LATENCY_BUCKETS];

  synchronized void add(AppVersion.Response r) {
    requests++;
    if (r.status() >= 500) {
      errors++;
    }
    latency[Math.min(LATENCY_BUCKETS - 1, (int) (r.latencySeconds() / BUCKET_SECONDS))]++;
  }

  synchronized void merge(SecondOfRequests other) {
    synchronized (other) {
      requests += other.requests;
      errors += other.errors;
      for (int i = 0; i < LATENCY_BUCKETS; i++) {
        latency[i] += other.latency[i];
      }
    }
  }

  double quantile(double q) {
    long rank = (long) Math.ceil(q * requests);
    long seen = 0;
    for (int i = 0; i < LATENCY_BUCKETS; i++) {
      seen += latency[i];
      if (seen >= rank) {
        return (i + 1) * BUCKET_SECONDS;
      }
    }
    return LATENCY_BUCKETS * BUCKET_SECONDS;
  }
}
