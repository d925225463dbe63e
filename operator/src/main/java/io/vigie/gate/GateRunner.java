package io.vigie.gate;

import io.vigie.analysis.provider.SecretReader;
import io.vigie.api.v1alpha1.Gate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Calls gates off the reconcile thread, as measurements are taken: a reconcile hands over the gates
 * due and collects the answers that came back since; an answer asks for a reconcile of its Rollout.
 * A gate that hangs until its timeout (60s at most) holds one thread, never a reconcile. At most
 * {@link #PER_ROLLOUT} calls of one Rollout are in flight. Answers live in memory only: after a
 * restart the gates due are asked again, so a gate must answer the same question the same way.
 */
public final class GateRunner implements AutoCloseable {
  static final int PER_ROLLOUT = 4;

  private final GateCalls calls;
  private final ExecutorService pool;
  private final Consumer<String> onAnswered;
  private final Map<String, Map<Key, Future<?>>> inFlight = new HashMap<>();
  private final Map<String, List<GateAnswer>> answered = new HashMap<>();

  /** One opening of one gate: a gate reached again (a new revision, a new step) is another. */
  record Key(String gate, Integer step, String openedAt) {}

  /** A gate to call now, with its payload and the Secrets its headers may read. */
  public record Due(Gate gate, Integer step, String openedAt, String payload, SecretReader secrets) {
    Key key() {
      return new Key(gate.getName(), step, openedAt);
    }
  }

  public GateRunner(GateCalls calls, int threads, Consumer<String> onAnswered) {
    this.calls = calls;
    this.onAnswered = onAnswered;
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "vigie-gate-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.allowCoreThreadTimeOut(true);
    this.pool = executor;
  }

  /** The answers of this Rollout's gates since the last call; starts the calls due that are not in flight. */
  public synchronized List<GateAnswer> exchange(String rollout, List<Due> due, Instant now) {
    List<GateAnswer> done = answered.containsKey(rollout) ? answered.remove(rollout) : List.of();
    Map<Key, Future<?>> running = inFlight.computeIfAbsent(rollout, k -> new HashMap<>());
    for (Due d : due) {
      Key key = d.key();
      boolean justAnswered = done.stream().anyMatch(a -> new Key(a.gate(), a.step(), a.openedAt()).equals(key));
      if (running.size() >= PER_ROLLOUT) {
        break;
      }
      if (running.containsKey(key) || justAnswered) {
        continue;
      }
      running.put(key, pool.submit(() -> {
        GateCalls.Answer answer = calls.call(d.gate(), d.payload(), d.secrets());
        finish(rollout, key, new GateAnswer(key.gate(), key.step(), key.openedAt(), now, answer.passed(), answer.answer()));
      }));
    }
    if (running.isEmpty()) {
      inFlight.remove(rollout);
    }
    return done;
  }

  private void finish(String rollout, Key key, GateAnswer answer) {
    synchronized (this) {
      Map<Key, Future<?>> running = inFlight.get(rollout);
      if (running == null || running.remove(key) == null) {
        return;
      }
      answered.computeIfAbsent(rollout, k -> new ArrayList<>()).add(answer);
    }
    onAnswered.accept(rollout);
  }

  /** The Rollout is gone: its calls in flight are cancelled, their answers dropped. */
  public synchronized void forget(String rollout) {
    Map<Key, Future<?>> running = inFlight.remove(rollout);
    if (running != null) {
      running.values().forEach(f -> f.cancel(true));
    }
    answered.remove(rollout);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
