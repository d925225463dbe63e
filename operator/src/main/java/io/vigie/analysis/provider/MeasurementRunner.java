package io.vigie.analysis.provider;

import io.vigie.analysis.RawMeasurement;
import io.vigie.api.v1alpha1.Metric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Bounded: a pool of threads for all Rollouts, and at most {@link #PER_ROLLOUT} measurements in
 * flight per Rollout, so that one Rollout with many slow metrics cannot take every thread. Results
 * live in memory only: after a restart the metrics due are measured again.
 */
public final class MeasurementRunner implements AutoCloseable {
  /** Measurements in flight for one Rollout at most. */
  public static final int PER_ROLLOUT = 4;

  private final MetricProviders providers;
  private final ExecutorService pool;
  private final Consumer<String> onFinished;
  private final Map<String, Map<Key, Future<?>>> inFlight = new HashMap<>();
  private final Map<String, List<Finished>> finished = new HashMap<>();

  /** One measurement of one metric of one analysis run, the run known by its start. */
  public record Key(String run, String runStartedAt, String metric) {}

  /** A metric to measure now, for the run that started at {@code runStartedAt}, reading Secrets with this reader. */
  public record Due(String run, String runStartedAt, Metric metric, SecretReader secrets) {
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
    Map<Key, Future<?>> running = inFlight.computeIfAbsent(rollout, k -> new HashMap<>());
    for (Due d : due) {
      Key key = d.key();
      if (running.size() >= PER_ROLLOUT) {
        break;
      }
      if (running.containsKey(key) || answered.contains(key)) {
        continue;
      }
      running.put(key, pool.submit(() -> {
        RawMeasurement m;
        try {
          m = providers.measure(d.run(), d.metric(), now, d.secrets());
        } catch (RuntimeException | Error e) {
          m = RawMeasurement.error(d.run(), d.metric().getName(), now, "the measurement failed: " + e);
        }
        finish(rollout, key, new Finished(d.runStartedAt(), m));
      }));
    }
    if (running.isEmpty()) {
      inFlight.remove(rollout);
    }
    return done;
  }

  private void finish(String rollout, Key key, Finished result) {
    synchronized (this) {
      Map<Key, Future<?>> running = inFlight.get(rollout);
      if (running == null || running.remove(key) == null) {
        return;
      }
      finished.computeIfAbsent(rollout, k -> new ArrayList<>()).add(result);
    }
    onFinished.accept(rollout);
  }

  /** How many measurements of this Rollout are in flight. */
  public synchronized int inFlight(String rollout) {
    return inFlight.getOrDefault(rollout, Map.of()).size();
  }

  /** The Rollout is gone: its measurements in flight are cancelled, their results dropped. */
  public synchronized void forget(String rollout) {
    Map<Key, Future<?>> running = inFlight.remove(rollout);
    if (running != null) {
      running.values().forEach(f -> f.cancel(true));
    }
    finished.remove(rollout);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
