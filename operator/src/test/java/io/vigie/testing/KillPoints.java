package io.vigie.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testkit.RecordingDispatcher;
import io.vigie.testkit.RecordingDispatcher.Write;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Kills the operator at every write it makes during a scenario, and starts a fresh operator at once.
 * Each kill point is tried twice: killed just before the write lands (the server refuses it), and
 * killed with the write in flight, which lands while its reply is lost (the operator sees a 503 and,
 * dead, writes nothing more). Every run must prove its kill happened, and pass the scenario's check,
 * judged from every write the API server recorded.
 */
public final class KillPoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Runs tried for a kill point near the end, whose writes vary in number with timing. */
  static final int ATTEMPTS = 6;

  public enum Kill { NONE, BEFORE, AFTER }

  /** What one run observed; {@code killed} when its kill fired (and, killed after, its write landed). */
  public record Run(int operatorWrites, RolloutStatus status, List<Write> writes, boolean killed) {}

  /** A scenario on a fresh cluster and operator; it returns the Rollout's status at its end. */
  public interface Scenario {
    RolloutStatus play(OperatorHarness k8s);
  }

  private final AtomicInteger kills = new AtomicInteger();
  private final AtomicInteger points = new AtomicInteger();

  public void report(String what) {
    System.out.printf("%s: %d of %d kill points fired%n", what, kills.get(), points.get());
  }

  /**
   * Clean runs fix the kill points: the writes every one of them made. How many writes come at the
   * end depends on timing, so the fewest of three clean runs are points every run reaches.
   */
  public Stream<DynamicTest> atEveryWrite(String what, Scenario scenario, Consumer<Run> check) {
    int fewest = Integer.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      Run clean = run(-1, Kill.NONE, scenario);
      check.accept(clean);
      assertThat(clean.killed()).isFalse();
      fewest = Math.min(fewest, clean.operatorWrites());
    }
    int count = fewest;
    System.out.printf("%s: %d operator writes in the shortest of 3 uninterrupted runs, %d kill points%n", what, count, 2 * count);
    return IntStream.range(0, count).boxed().flatMap(k -> Stream.of(
        dynamicTest("killed before operator write " + k, () -> checkKilled(runUntilKilled(k, Kill.BEFORE, scenario, check), check)),
        dynamicTest("killed after operator write " + k + " landed",
            () -> checkKilled(runUntilKilled(k, Kill.AFTER, scenario, check), check))));
  }

  /**
   * A run killed at write {@code k}. The last writes vary in number with timing (on a loaded machine two
   * of them can merge into one): a run that made fewer than {@code k + 1} was an uninterrupted run
   * (checked as such) and is tried again, up to {@link #ATTEMPTS} times.
   */
  private static Run runUntilKilled(int k, Kill kill, Scenario scenario, Consumer<Run> check) {
    Run run = run(k, kill, scenario);
    for (int attempt = 1; attempt < ATTEMPTS && !run.killed(); attempt++) {
      check.accept(run);
      run = run(k, kill, scenario);
    }
    return run;
  }

  /** A run that did not reach its kill point would silently be a clean run: it must have been killed. */
  private void checkKilled(Run run, Consumer<Run> check) {
    points.incrementAndGet();
    assertThat(run.killed()).as("the kill fired (the run made at least as many writes as the clean run's kill point)").isTrue();
    kills.incrementAndGet();
    check.accept(run);
  }

  private static Run run(int killAt, Kill kill, Scenario scenario) {
    ExecutorService restarter = Executors.newSingleThreadExecutor();
    try (OperatorHarness k8s = OperatorHarness.start()) {
      RecordingDispatcher server = k8s.dispatcher();
      AtomicInteger operatorWrites = new AtomicInteger();
      AtomicBoolean killed = new AtomicBoolean();
      AtomicInteger landed = new AtomicInteger(-1);
      Set<String> dead = ConcurrentHashMap.newKeySet();
      Set<Integer> dieAfter = ConcurrentHashMap.newKeySet();
      Runnable replace = () -> restarter.submit(k8s::replaceOperator);
      server.before((w, applied) -> {
        if (!w.byOperator()) {
          return Optional.empty();
        }
        if (dead.contains(w.actor())) {
          return Optional.of(RecordingDispatcher.status(503, "ServiceUnavailable"));
        }
        int n = operatorWrites.getAndIncrement();
        if (n == killAt && kill == Kill.BEFORE) {
          killed.set(true);
          dead.add(w.actor());
          replace.run();
          return Optional.of(RecordingDispatcher.status(503, "ServiceUnavailable"));
        }
        if (n == killAt && kill == Kill.AFTER) {
          dieAfter.add(w.seq());
        }
        return Optional.empty();
      });
      server.after((w, applied) -> {
        if (dieAfter.remove(w.seq())) {
          landed.set(w.seq());
          dead.add(w.actor());
          replace.run();
          return Optional.of(RecordingDispatcher.status(503, "ServiceUnavailable"));
        }
        return Optional.empty();
      });
      RolloutStatus end = scenario.play(k8s);
      List<Write> writes = server.writes();
      // Killed after: the write must have landed (a 2xx recorded) though its reply was lost.
      boolean afterLanded = landed.get() >= 0 && writes.stream().anyMatch(w -> w.seq() == landed.get() && w.status() < 300);
      return new Run(operatorWrites.get(), end, writes, kill == Kill.BEFORE ? killed.get() : afterLanded);
    } finally {
      restarter.shutdown();
      try {
        restarter.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }
}
