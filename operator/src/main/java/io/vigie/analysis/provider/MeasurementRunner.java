package io.vigie.analysis.provider;

import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.SidePlaceholder;
import io.vigie.api.v1alpha1.Metric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Takes measurements off the reconcile thread: a reconcile hands over the metrics that are due and
 * collects the measurements finished since the last one; a finished measurement asks for a
 * reconcile of its Rollout. So a slow or dead provider (up to its timeout, at most 60s) never holds
 * a reconcile: an abort or a deletion is applied at once, and other Rollouts go on.
 *
 * <p>Bounded: a pool of threads for all Rollouts, at most {@link #PER_ROLLOUT} measurements in
 * flight per Rollout, so that one Rollout with many slow metrics cannot take every thread, and at
 * most {@link #PER_PROVIDER} per provider (a Prometheus, a web host), so that a provider that hangs
 * until its timeout holds a few threads, never the ones other providers' measurements need. A
 * measurement held back by a limit is started by the reconcile that follows a slot freeing. Results
 * live in memory only: after a restart the metrics due are measured again.
 */
public final class MeasurementRunner implements AutoCloseable {
  /** Measurements in flight for one Rollout at most. */
  public static final int PER_ROLLOUT = 4;
  /** Measurements in flight against one provider (scheme, host and port) at most, all Rollouts together. */
  public static final int PER_PROVIDER = 8;

  private final MetricProviders providers;
  private final ExecutorService pool;
  private final Consumer<String> onFinished;
  private final Map<String, Map<Key, Running>> inFlight = new HashMap<>();
  private final Map<String, List<Finished>> finished = new HashMap<>();
  private final Map<String, Integer> perProvider = new HashMap<>();
  /** Rollouts with a measurement held back by a provider's limit, by provider: told when a slot frees. */
  private final Map<String, Set<String>> waiting = new HashMap<>();

  /** A measurement in flight, and the provider it holds a slot of. */
  private record Running(Future<?> future, String provider) {}

  /** One measurement of one metric of one analysis run, the run known by its start. */
  public record Key(String run, String runStartedAt, String metric) {}

  /**
   * A metric to measure now, for the run that started at {@code runStartedAt}, reading Secrets with
   * this reader, the canary compared with this side.
   */
  public record Due(String run, String runStartedAt, Metric metric, SecretReader secrets, SidePlaceholder comparison,
      Optional<JobMetricProvider.Owner> owner) {
    public Due(String run, String runStartedAt, Metric metric, SecretReader secrets) {
      this(run, runStartedAt, metric, secrets, SidePlaceholder.STABLE);
    }

    public Due(String run, String runStartedAt, Metric metric, SecretReader secrets, SidePlaceholder comparison) {
      this(run, runStartedAt, metric, secrets, comparison, Optional.empty());
    }

    Key key() {
      return new Key(run, runStartedAt, metric.getName());
    }
  }

  /** A measurement taken, for the run that started at {@code runStartedAt}. */
  public record Finished(String runStartedAt, RawMeasurement measurement) {
    Key key() {
      return new Key(measurement.run(), runStartedAt, measurement.metric());
    }
  }

  /**
   * @param threads measurements in flight for all Rollouts at most
   * @param onFinished called with the Rollout's key when one of its measurements is done
   */
  public MeasurementRunner(MetricProviders providers, int threads, Consumer<String> onFinished) {
    this.providers = providers;
    this.onFinished = onFinished;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "vigie-measure-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ((ThreadPoolExecutor) pool).allowCoreThreadTimeOut(true);
  }

  /**
   * The measurements of this Rollout finished since the last call, and starts those due that are
   * neither in flight nor among them.
   *
   * @param rollout the Rollout's key, namespace/name
   * @param due what the Rollout's status says is due now (before folding what is returned)
   */
  public synchronized List<Finished> exchange(String rollout, List<Due> due, Instant now) {
    List<Finished> done = finished.containsKey(rollout) ? finished.remove(rollout) : List.of();
    Set<Key> answered = done.stream().map(Finished::key).collect(Collectors.toSet());
    Map<Key, Running> running = inFlight.computeIfAbsent(rollout, k -> new HashMap<>());
    for (Due d : due) {
      Key key = d.key();
      if (running.size() >= PER_ROLLOUT) {
        break;
      }
      if (running.containsKey(key) || answered.contains(key)) {
        continue;
      }
      String provider = providerOf(d.metric());
      if (perProvider.getOrDefault(provider, 0) >= PER_PROVIDER) {
        waiting.computeIfAbsent(provider, p -> new java.util.LinkedHashSet<>()).add(rollout);
        continue;
      }
      perProvider.merge(provider, 1, Integer::sum);
      running.put(key, new Running(pool.submit(() -> {
        RawMeasurement m;
        try {
          m = d.owner().isPresent() && io.vigie.analysis.JobMetrics.isJob(d.metric())
              ? providers.measureJob(d.run(), d.runStartedAt(), d.metric(), now, d.owner().get())
              : providers.measure(d.run(), d.metric(), now, d.secrets(), d.comparison());
        } catch (RuntimeException | Error e) {
          m = RawMeasurement.error(d.run(), d.metric().getName(), now, "the measurement failed: " + e);
        }
        finish(rollout, key, new Finished(d.runStartedAt(), m));
      }), provider));
    }
    if (running.isEmpty()) {
      inFlight.remove(rollout);
    }
    return done;
  }

  private void finish(String rollout, Key key, Finished result) {
    Set<String> toTell;
    synchronized (this) {
      Map<Key, Running> running = inFlight.get(rollout);
      Running done = running == null ? null : running.remove(key);
      if (done == null) {
        return;
      }
      finished.computeIfAbsent(rollout, k -> new ArrayList<>()).add(result);
      toTell = release(done.provider());
    }
    onFinished.accept(rollout);
    toTell.stream().filter(r -> !r.equals(rollout)).forEach(onFinished);
  }

  /** Frees a slot of the provider; the Rollouts that waited for one, to be reconciled. */
  private Set<String> release(String provider) {
    perProvider.computeIfPresent(provider, (p, n) -> n > 1 ? n - 1 : null);
    Set<String> waited = waiting.remove(provider);
    return waited == null ? Set.of() : waited;
  }

  /** Where a metric's requests go: the provider whose slots it takes (all Jobs share one: the API server's). */
  static String providerOf(Metric metric) {
    if (io.vigie.analysis.JobMetrics.isJob(metric)) {
      return "jobs";
    }
    String url = metric.getProvider() == null ? null : metric.getProvider().getPrometheus() != null
        ? metric.getProvider().getPrometheus().getAddress()
        : metric.getProvider().getWeb() == null ? null : metric.getProvider().getWeb().getUrl();
    if (url == null) {
      return "";
    }
    try {
      java.net.URI uri = java.net.URI.create(url.trim());
      return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    } catch (IllegalArgumentException e) {
      return url;
    }
  }

  /**
   * The runs of this Rollout that still measure, by name and start: a measurement in flight for any
   * other (the analysis ended with a rollback or a promotion, or started again) is cancelled, so that
   * a Job it waits on is deleted now rather than left running.
   */
  public void keepOnly(String rollout, Map<String, String> liveRuns) {
    Set<String> toTell = new java.util.LinkedHashSet<>();
    synchronized (this) {
      Map<Key, Running> running = inFlight.get(rollout);
      if (running == null) {
        return;
      }
      for (var it = running.entrySet().iterator(); it.hasNext();) {
        var entry = it.next();
        if (!entry.getKey().runStartedAt().equals(liveRuns.get(entry.getKey().run()))) {
          entry.getValue().future().cancel(true);
          toTell.addAll(release(entry.getValue().provider()));
          it.remove();
        }
      }
      if (running.isEmpty()) {
        inFlight.remove(rollout);
      }
    }
    toTell.remove(rollout);
    toTell.forEach(onFinished);
  }

  /** How many measurements of this Rollout are in flight. */
  public synchronized int inFlight(String rollout) {
    return inFlight.getOrDefault(rollout, Map.of()).size();
  }

  /** The Rollout is gone: its measurements in flight are cancelled, their results dropped. */
  public void forget(String rollout) {
    Set<String> toTell = new java.util.LinkedHashSet<>();
    synchronized (this) {
      Map<Key, Running> running = inFlight.remove(rollout);
      if (running != null) {
        for (Running r : running.values()) {
          r.future().cancel(true);
          toTell.addAll(release(r.provider()));
        }
      }
      finished.remove(rollout);
      waiting.values().forEach(w -> w.remove(rollout));
    }
    toTell.remove(rollout);
    toTell.forEach(onFinished);
  }

  @Override
  public void close() {
    providers.stop();
    pool.shutdownNow();
  }
}
