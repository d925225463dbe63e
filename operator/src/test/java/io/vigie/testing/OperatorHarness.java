package io.vigie.testing;

import io.vigie.testkit.RecordingDispatcher;
import io.vigie.testkit.MockCluster;
import io.vigie.testkit.MutableClock;
import io.vigie.simulator.SimulatedDeploymentController;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.CanaryStrategy;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.RolloutStrategy;
import io.vigie.api.v1alpha1.ServiceRef;
import io.vigie.api.v1alpha1.TargetKind;
import io.vigie.api.v1alpha1.WorkloadRef;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.runtime.VigieOperator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A cluster for integration tests: the mock API server, the simulated Deployment controller, a
 * simulated clock, and a real Vigie operator (the same wiring as `vigie operator`).
 */
public final class OperatorHarness implements AutoCloseable {
  public static final String NS = "shop";
  public static final Duration WAIT = Duration.ofSeconds(20);
  /**
   * The tests' metric endpoints are on loopback, which the operator refuses by default: the tests
   * allow it as an admin would, with --allowed-provider-hosts.
   */
  public static final List<String> LOOPBACK = List.of("127.0.0.1");

  private final MockCluster cluster;
  private final SimulatedDeploymentController controller;
  private final Clock operatorClock;
  private final MutableClock clock;
  private final AtomicInteger nudges = new AtomicInteger();
  private final AtomicInteger operatorsStarted = new AtomicInteger();
  private Duration operatorRequestTimeout = Duration.ofSeconds(5);
  private KubernetesClient operatorClient;
  private OperatorSettings settings = OperatorSettings.defaults("test-operator").withStopTimeout(Duration.ofMillis(500))
      .withAllowedProviderHosts(LOOPBACK);
  private VigieOperator operator;

  private OperatorHarness(Clock clock) {
    this.operatorClock = clock;
    this.clock = clock instanceof MutableClock mutable ? mutable : null;
    this.cluster = MockCluster.start();
    this.controller = new SimulatedDeploymentController(cluster.newClient("kube-controller-manager")).start();
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build();
    client().namespaces().resource(ns).create();
  }

  /** A cluster and an operator in simulated time, which moves only with {@link #advance}. */
  public static OperatorHarness start() {
    OperatorHarness harness = new OperatorHarness(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    harness.startOperator();
    return harness;
  }

  /** A cluster and an operator whose API requests time out after {@code requestTimeout}, in simulated time. */
  public static OperatorHarness startWithRequestTimeout(Duration requestTimeout) {
    OperatorHarness harness = new OperatorHarness(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    harness.operatorRequestTimeout = requestTimeout;
    harness.startOperator();
    return harness;
  }

  /** A cluster and an operator with these settings, in simulated time. */
  public static OperatorHarness start(OperatorSettings settings) {
    OperatorHarness harness = new OperatorHarness(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    harness.settings(settings);
    harness.startOperator();
    return harness;
  }

  /** A cluster and an operator in real time, e.g. to measure a real Prometheus. */
  public static OperatorHarness startInRealTime(OperatorSettings settings) {
    OperatorHarness harness = new OperatorHarness(Clock.systemUTC());
    harness.settings(settings);
    harness.startOperator();
    return harness;
  }

  public void startOperator() {
    operatorClient = cluster.newClient("operator-" + operatorsStarted.incrementAndGet(), operatorRequestTimeout);
    operator = VigieOperator.start(operatorClient, operatorClock, settings);
  }

  /** The settings the next {@link #startOperator()} uses. */
  public void settings(OperatorSettings settings) {
    this.settings = settings.withStopTimeout(Duration.ofMillis(500));
  }

  private final java.util.List<Thread> stopping = new java.util.ArrayList<>();

  /**
   * The operator dies and a new one starts at once, as a new pod would: the dead one is stopped in
   * the background (its writes must already be refused by the test's server).
   */
  public synchronized void replaceOperator() {
    VigieOperator dead = operator;
    KubernetesClient deadClient = operatorClient;
    startOperator();
    Thread stop = new Thread(() -> {
      dead.close();
      deadClient.close();
    }, "stop-dead-operator");
    stopping.add(stop);
    stop.start();
  }

  /** The operator started last: its metrics and health checks. */
  public VigieOperator operator() {
    return operator;
  }

  public void stopOperator() {
    operator.close();
    operatorClient.close();
    operator = null;
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  public RecordingDispatcher dispatcher() {
    return cluster.dispatcher();
  }

  /** The actor name of the operator started last, as recorded with its writes. */
  public String operatorActor() {
    return "operator-" + operatorsStarted.get();
  }

  public MutableClock clock() {
    if (clock == null) {
      throw new IllegalStateException("this harness runs in real time");
    }
    return clock;
  }

  public SimulatedDeploymentController controller() {
    return controller;
  }

  private io.vigie.simulator.SimulatedJobController jobs;

  /** The HPA controller, acting in its own name (its writes of the target's replicas are not the operator's). */
  public io.vigie.simulator.SimulatedHorizontalPodAutoscaler autoscaler() {
    return new io.vigie.simulator.SimulatedHorizontalPodAutoscaler(cluster.newClient("horizontal-pod-autoscaler"), operatorClock);
  }

  /** The Job controller, started on first use: a Job runs {@code runTime} of simulated time, then ends as its image says. */
  public synchronized io.vigie.simulator.SimulatedJobController jobController(Duration runTime) {
    if (jobs == null) {
      jobs = new io.vigie.simulator.SimulatedJobController(cluster.newClient("kube-controller-manager-jobs"))
          .withRunTime(operatorClock, runTime).start();
    }
    return jobs;
  }

  // ---- the user's objects --------------------------------------------------------------------

  public Deployment createDeployment(String name, String image, int replicas) {
    Deployment d = new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
        .endTemplate()
        .endSpec()
        .build();
    return client().apps().deployments().inNamespace(NS).resource(d).create();
  }

  public Service createService(String name, String app) {
    Service s = new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().addToSelector("app", app).addNewPort().withName("http").withPort(80).withNewTargetPort(8080).endPort().endSpec()
        .build();
    return client().services().inNamespace(NS).resource(s).create();
  }

  public Rollout createRollout(String name, String target, String service, CanaryStep... steps) {
    return createRollout(name, target, service, null, steps);
  }

  /** A Rollout whose traffic goes through a router (null: replica-ratio routing). */
  public Rollout createRollout(String name, String target, String service, io.vigie.api.v1alpha1.TrafficRouting routing,
      CanaryStep... steps) {
    return createRollout(name, java.util.Map.of(), target, service, routing, steps);
  }

  /** A Rollout created with these labels (e.g. the shard an operator selects it by). */
  public Rollout createRollout(String name, java.util.Map<String, String> labels, String target, String service,
      io.vigie.api.v1alpha1.TrafficRouting routing, CanaryStep... steps) {
    return client().resources(Rollout.class).inNamespace(NS).resource(rollout(name, labels, target, service, routing, steps)).create();
  }

  /** A blue-green Rollout (spec.strategy.blueGreen), through a router or not (null). */
  public Rollout createBlueGreenRollout(String name, String target, String service, io.vigie.api.v1alpha1.TrafficRouting routing,
      io.vigie.api.v1alpha1.BlueGreenStrategy blueGreen) {
    Rollout r = rollout(name, java.util.Map.of(), target, service, routing, CanaryStep.weight(1));
    r.getSpec().getStrategy().setCanary(null);
    r.getSpec().getStrategy().setBlueGreen(blueGreen);
    return client().resources(Rollout.class).inNamespace(NS).resource(r).create();
  }

  /** A Rollout whose canary runs a baseline next to it. */
  public Rollout createRolloutWithBaseline(String name, String target, String service, io.vigie.api.v1alpha1.TrafficRouting routing,
      CanaryStep... steps) {
    Rollout r = rollout(name, java.util.Map.of(), target, service, routing, steps);
    r.getSpec().getStrategy().getCanary().setBaseline(new io.vigie.api.v1alpha1.Baseline(true));
    return client().resources(Rollout.class).inNamespace(NS).resource(r).create();
  }

  private static Rollout rollout(String name, java.util.Map<String, String> labels, String target, String service,
      io.vigie.api.v1alpha1.TrafficRouting routing, CanaryStep... steps) {
    Rollout r = new Rollout();
    r.getMetadata().setName(name);
    if (!labels.isEmpty()) {
      r.getMetadata().setLabels(labels);
    }
    r.getMetadata().setNamespace(NS);
    RolloutSpec spec = new RolloutSpec();
    spec.setTargetRef(new WorkloadRef(TargetKind.Deployment, target));
    spec.setService(new ServiceRef(service, 80));
    spec.setTrafficRouting(routing);
    RolloutStrategy strategy = new RolloutStrategy();
    CanaryStrategy canary = new CanaryStrategy();
    canary.setSteps(List.of(steps));
    strategy.setCanary(canary);
    spec.setStrategy(strategy);
    r.setSpec(spec);
    return r;
  }

  /** What `kubectl set image deployment/NAME app=IMAGE` does. */
  public void setImage(String deployment, String image) {
    onConflictRetry(() -> client().apps().deployments().inNamespace(NS).withName(deployment).edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
      return d;
    }));
  }

  /** What `kubectl annotate vro NAME KEY=VALUE` does. */
  public void annotate(String rollout, String key, String value) {
    onConflictRetry(() -> client().resources(Rollout.class).inNamespace(NS).withName(rollout).edit(r -> {
      r.getMetadata().getAnnotations().put(key, value);
      return r;
    }));
  }

  /** What `kubectl edit vro NAME` does: read, change, write back, again if the operator wrote first. */
  public void editRollout(String rollout, java.util.function.UnaryOperator<Rollout> change) {
    onConflictRetry(() -> client().resources(Rollout.class).inNamespace(NS).withName(rollout).edit(change));
  }

  /** Edits read, change and write back; like kubectl, try again when another writer got there first. */
  private static void onConflictRetry(Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 20) {
          throw e;
        }
      }
    }
  }

  /** Touches the Rollout so that the operator reconciles it now, e.g. after the clock moved. */
  public void nudge(String rollout) {
    annotate(rollout, "test.vigie.io/nudge", Integer.toString(nudges.incrementAndGet()));
  }

  /** Reconciles the operator started last has finished (JOSDK's reconcile timer). */
  public long reconciles() {
    return operator.metrics().registry().getMeters().stream()
        .filter(m -> m instanceof io.micrometer.core.instrument.Timer && m.getId().getName().contains("reconcile"))
        .mapToLong(m -> ((io.micrometer.core.instrument.Timer) m).count()).sum();
  }

  /**
   * Does what the test says, touches the Rollout, and waits until the operator has finished two
   * reconciles since: the first may have started before the action, the second started after it.
   * For checks that something did not happen, which a status read at once would pass on a stale state.
   */
  public void afterReconciles(String rollout, Runnable action) {
    long before = reconciles();
    action.run();
    nudge(rollout);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> reconciles() > before);
    // That one may have started before the action; the next starts after this second touch.
    long mid = reconciles();
    nudge(rollout);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> reconciles() > mid);
  }

  /** Moves simulated time and lets the operator see it. */
  public void advance(String rollout, Duration duration) {
    clock().advance(duration);
    nudge(rollout);
  }

  // ---- reading -------------------------------------------------------------------------------

  public Rollout rollout(String name) {
    return client().resources(Rollout.class).inNamespace(NS).withName(name).get();
  }

  public RolloutStatus status(String name) {
    Rollout r = rollout(name);
    return r == null || r.getStatus() == null ? new RolloutStatus() : r.getStatus();
  }

  public Deployment deployment(String name) {
    return client().apps().deployments().inNamespace(NS).withName(name).get();
  }

  public Service service(String name) {
    return client().services().inNamespace(NS).withName(name).get();
  }

  public RolloutStatus awaitStatus(String rollout, Predicate<RolloutStatus> condition) {
    try {
      return await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> status(rollout), condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      RolloutStatus last = status(rollout);
      throw new AssertionError("Rollout " + rollout + " did not reach the awaited status within " + WAIT.toSeconds() + "s; it is "
          + (last == null ? "without status" : last.getPhase() + " at step " + last.getStep() + ", weight "
          + last.getCanaryWeight() + ": " + last.getMessage()), e);
    }
  }

  public RolloutStatus awaitPhase(String rollout, RolloutPhase phase) {
    return awaitStatus(rollout, s -> s.getPhase() == phase);
  }

  /**
   * Asserts what the cluster shows once the operator has acted: it writes status first, then the
   * cluster, then Events, so what follows a status change is awaited, never read at once.
   */
  public void eventually(org.awaitility.core.ThrowingRunnable assertion) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(assertion);
  }

  /** The reasons of the Events on a Rollout, oldest first. */
  public List<String> eventReasons(String rollout) {
    return events(rollout).stream().map(Event::getReason).toList();
  }

  public List<Event> events(String rollout) {
    return client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> rollout.equals(e.getInvolvedObject().getName()) && "Rollout".equals(e.getInvolvedObject().getKind()))
        .sorted(Comparator.comparing((Event e) -> Integer.parseInt(e.getMetadata().getResourceVersion())))
        .toList();
  }

  /** A client of the same cluster whose writes are recorded as made by {@code actor}. */
  public KubernetesClient clientAs(String actor) {
    return cluster.newClient(actor);
  }

  /**
   * Stops everything; then, whatever the test did, checks invariant 5 on every write the API
   * server recorded: the operator wrote nothing of a user's Deployment but spec.paused and its mark.
   */
  @Override
  public void close() {
    if (operator != null) {
      stopOperator();
    }
    List<String> violations = TargetWrites.violations(cluster.dispatcher().writes());
    for (Thread stop : stopping) {
      try {
        stop.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    controller.close();
    if (jobs != null) {
      jobs.close();
    }
    cluster.close();
    if (!violations.isEmpty()) {
      throw new AssertionError("invariant 5: the operator wrote more than spec.paused of a user's Deployment: " + violations);
    }
  }
}
