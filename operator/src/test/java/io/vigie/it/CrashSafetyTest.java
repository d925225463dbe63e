package io.vigie.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RevisionRecord.Verdict;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.RecordingDispatcher;
import io.vigie.testkit.RecordingDispatcher.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Kills the operator at every write it makes during a canary (with a baseline next to it) that is
 * promoted past a pause and then aborted, and starts a fresh operator at once. Each kill point is tried twice: killed just
 * before the write lands (the server refuses it), and killed with the write in flight, which lands
 * while its reply is lost (the operator sees a 503 and, dead, writes nothing more). Every run must
 * prove its kill happened, and end where an uninterrupted one ends, with no step repeated or
 * skipped, no lost abort and no traffic flap, judged from every write the API server recorded.
 */
class CrashSafetyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Kill { NONE, BEFORE, AFTER }

  /** What one run observed; {@code killed} when its kill fired (and, killed after, its write landed). */
  record Run(int operatorWrites, RolloutStatus status, List<Write> writes, boolean killed) {}

  private static final AtomicInteger KILLS = new AtomicInteger();
  private static final AtomicInteger KILL_POINTS = new AtomicInteger();

  @AfterAll
  static void report() {
    System.out.printf("crash safety: %d of %d kill points fired%n", KILLS.get(), KILL_POINTS.get());
  }

  @TestFactory
  Stream<DynamicTest> killingTheOperatorAtAnyWriteLosesNothing() {
    // Clean runs fix the kill points: the writes every one of them made. How many writes come after
    // the abort depends on timing, so the fewest of three clean runs are points every run reaches.
    int fewest = Integer.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      Run clean = run(-1, Kill.NONE);
      check(clean);
      assertThat(clean.killed()).isFalse();
      fewest = Math.min(fewest, clean.operatorWrites());
    }
    int points = fewest;
    System.out.printf("crash safety: %d operator writes in the shortest of 3 uninterrupted runs, %d kill points%n", points,
        2 * points);
    return IntStream.range(0, points).boxed().flatMap(k -> Stream.of(
        dynamicTest("killed before operator write " + k, () -> checkKilled(runUntilKilled(k, Kill.BEFORE))),
        dynamicTest("killed after operator write " + k + " landed", () -> checkKilled(runUntilKilled(k, Kill.AFTER)))));
  }

  /**
   * A run killed at write {@code k}. The last writes, after the abort, vary in number with timing: a
   * run that made fewer than {@code k + 1} was an uninterrupted run (checked as such) and is tried
   * again, up to three times.
   */
  private static Run runUntilKilled(int k, Kill kill) {
    Run run = run(k, kill);
    for (int attempt = 1; attempt < 3 && !run.killed(); attempt++) {
      check(run);
      run = run(k, kill);
    }
    return run;
  }

  /** A run that did not reach its kill point would silently be a clean run: it must have been killed. */
  private static void checkKilled(Run run) {
    KILL_POINTS.incrementAndGet();
    assertThat(run.killed()).as("the kill fired (the run made at least as many writes as the clean run's kill point)").isTrue();
    KILLS.incrementAndGet();
    check(run);
  }

  private static Run run(int killAt, Kill kill) {
    ExecutorService restarter = Executors.newSingleThreadExecutor();
    try (OperatorHarness k8s = OperatorHarness.start()) {
      RecordingDispatcher server = k8s.dispatcher();
      AtomicInteger operatorWrites = new AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
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

      k8s.createDeployment("web", "shop/web:v1", 4);
      k8s.createService("web", "web");
      k8s.createRolloutWithBaseline("web", "web", "web", null, CanaryStep.weight(25), CanaryStep.pauseUntilPromoted(),
          CanaryStep.weight(50), CanaryStep.pauseUntilPromoted());
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && "2/4".equals(s.getStep()));
      k8s.annotate("web", "vigie.io/promote", "true");
      k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Paused && "4/4".equals(s.getStep()));
      k8s.annotate("web", "vigie.io/abort", "true");
      RolloutStatus end = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.RolledBack
          && s.getRollbackReport() != null && s.getRollbackReport().getTrafficBackAt() != null);
      k8s.eventually(() -> {
        assertThat(k8s.deployment("web-canary").getSpec().getReplicas()).isZero();
        assertThat(k8s.deployment("web-baseline").getSpec().getReplicas()).isZero();
        assertThat(k8s.deployment("web").getSpec().getPaused()).isTrue();
        assertThat(k8s.rollout("web").getMetadata().getAnnotations()).doesNotContainKey("vigie.io/accepted-control");
      });
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

  private static void check(Run run) {
    RolloutStatus s = run.status();
    assertThat(s.getAbort().getReason()).as("the abort was not lost").isEqualTo("ManualAbort");
    assertThat(s.getHistory()).as("one verdict for the revision").singleElement()
        .satisfies(h -> assertThat(h.getVerdict()).isEqualTo(Verdict.RolledBack));
    assertThat(s.getLastControl().getAction()).isEqualTo("abort");

    List<String> steps = new ArrayList<>();
    List<Integer> canary = new ArrayList<>();
    List<Integer> baseline = new ArrayList<>();
    List<String> stableSelectors = new ArrayList<>();
    for (Write w : run.writes()) {
      if (w.status() >= 300) {
        continue;
      }
      JsonNode body = parse(w.body());
      if (w.path().endsWith("/rollouts/web/status")) {
        String step = body.path("status").path("step").asText(null);
        if (step != null && (steps.isEmpty() || !steps.get(steps.size() - 1).equals(step))) {
          steps.add(step);
        }
      } else if (!w.byOperator() || w.path().endsWith("/status")) {
        continue;
      } else if (w.path().contains("/deployments") && w.path().contains("web-canary")
          || (w.method().equals("POST") && w.path().endsWith("/deployments") && body.path("metadata").path("name").asText().equals("web-canary"))) {
        JsonNode replicas = body.path("spec").path("replicas");
        if (!replicas.isMissingNode() && (canary.isEmpty() || canary.get(canary.size() - 1) != replicas.asInt())) {
          canary.add(replicas.asInt());
        }
      } else if (w.path().contains("/deployments") && w.path().contains("web-baseline")
          || (w.method().equals("POST") && w.path().endsWith("/deployments") && body.path("metadata").path("name").asText().equals("web-baseline"))) {
        JsonNode replicas = body.path("spec").path("replicas");
        if (!replicas.isMissingNode() && (baseline.isEmpty() || baseline.get(baseline.size() - 1) != replicas.asInt())) {
          baseline.add(replicas.asInt());
        }
      } else if (w.path().contains("/services") && (w.path().endsWith("/web-stable")
          || body.path("metadata").path("name").asText().equals("web-stable"))) {
        stableSelectors.add(body.path("spec").path("selector").toString());
      }
    }
    // A restarted operator may pass two steps in one decision (the cluster is ahead of the status
    // it starts from), so a step can be missing from the recorded statuses; none may come back.
    assertThat(steps).as("steps in the order status recorded them: never one again after a later one")
        .isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates().endsWith("4/4");
    assertThat(canary).as("canary sizes written: they grow with the steps, then the abort takes them to 0")
        .containsExactly(1, 4, 0);
    assertThat(baseline).as("baseline sizes written: the canary's").containsExactly(1, 4, 0);
    assertThat(stableSelectors).as("the stable Service never left the stable pods").isNotEmpty().containsOnly(stableSelectors.get(0));
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }
}
