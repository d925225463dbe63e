package io.vigie.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.vigie.health.OperatorHealth;
import io.vigie.metrics.OperatorMetrics;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.reconciler.RolloutReconciler;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running operator: the JOSDK Operator with the Rollout controller registered. */
public final class VigieOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VigieOperator.class);

  private final Operator operator;
  private final RolloutReconciler reconciler;
  private final OperatorMetrics metrics;
  private final OperatorHealth health;
  private final AtomicBoolean stopping;

  private VigieOperator(Operator operator, RolloutReconciler reconciler, OperatorMetrics metrics, OperatorHealth health,
      AtomicBoolean stopping) {
    this.operator = operator;
    this.reconciler = reconciler;
    this.metrics = metrics;
    this.health = health;
    this.stopping = stopping;
  }

  /** Starts watching Rollouts, with metrics and health of its own. */
  public static VigieOperator start(KubernetesClient client, Clock clock, OperatorSettings settings) {
    return start(client, clock, settings, new OperatorMetrics(), new OperatorHealth(settings.leaderElection().isPresent()));
  }

  /**
   * Starts watching Rollouts, reporting to these metrics and health checks (which may already be
   * served, so that probes answer while the informers sync).
   */
  public static VigieOperator start(KubernetesClient client, Clock clock, OperatorSettings settings, OperatorMetrics metrics,
      OperatorHealth health) {
    Set<String> namespaces = settings.namespaces();
    metrics.leader(health::isLeading);
    AtomicBoolean stopping = new AtomicBoolean();
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(metrics.reconciles())
          .withCloseClientOnStop(false)
          // Read-after-write also when the informer is at neither side of a write (a status written on
          // a fresh copy after a conflict): the cache keeps the newer of the two resourceVersions.
          // They are opaque to clients in principle, but integers on every etcd-backed API server.
          .withParseResourceVersions(true)
          .withUseSSAToPatchPrimaryResource(false)
          .withResourceCloner(new RolloutCloner(client.getKubernetesSerialization()))
          // JOSDK's default exits the process when an informer stops after its first sync. Every
          // Rollout reads (its spec and status leniently), so that is not one bad object; the
          // health check reports the stopped informer and the liveness probe restarts the pod.
          .withInformerStoppedHandler((informer, error) -> {
            if (error != null && informer.hasSynced()) {
              LOG.error("an informer stopped ({}): the operator reports itself unhealthy until it is restarted", error.toString());
            }
          })
          .withReconciliationTerminationTimeout(settings.stopTimeout());
      settings.leaderElection().ifPresent(le -> o.withLeaderElectionConfiguration(
          LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(le.leaseName())
              .withLeaseNamespace(le.leaseNamespace())
              .withIdentity(settings.instance())
              .withLeaseDuration(le.leaseDuration())
              .withRenewDeadline(le.renewDeadline())
              .withRetryPeriod(le.retryPeriod())
              // Exiting on a lost lease is done here rather than by JOSDK, whose System.exit would
              // also fire when a stop (a SIGTERM's shutdown hook) cancels the election, and hang it.
              .withExitOnStopLeading(false)
              .withLeaderCallbacks(new LeaderCallbacks(() -> health.leading(true), () -> {
                health.leading(false);
                if (le.exitOnLoss() && !stopping.get()) {
                  LOG.error("lost the lease {}/{}: exiting so that this pod restarts as a standby", le.leaseNamespace(), le.leaseName());
                  System.exit(1);
                }
              }, leader -> { }))
              .build()));
    });
    // A rollback must not give up: retry failed reconciles without a limit, backing off to a minute.
    GenericRetry retry = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2).setMaxInterval(60_000)
        .withoutMaxAttempts();
    health.watch(operator);
    RolloutReconciler reconciler = new RolloutReconciler(client, clock, settings, metrics.rollouts());
    operator.register(reconciler, c -> {
      c.withRetry(retry);
      c.withOnUpdateFilter(RolloutReconciler.UPDATE_FILTER);
      if (namespaces.isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(namespaces);
      }
      // A shard: the informer, hence the operator, knows only the Rollouts the selector selects.
      settings.shardSelector().ifPresent(c::withLabelSelector);
    });
    operator.start();
    LOG.info("operator started instance={} namespaces={} shard={} prometheus={} leaderElection={}", settings.instance(),
        namespaces.isEmpty() ? "all" : namespaces, settings.shardSelector().orElse("all Rollouts"),
        settings.prometheusAddress().orElse("(none)"),
        settings.leaderElection().map(le -> le.leaseNamespace() + "/" + le.leaseName()).orElse("off"));
    return new VigieOperator(operator, reconciler, metrics, health, stopping);
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public OperatorHealth health() {
    return health;
  }

  @Override
  public void close() {
    stopping.set(true);
    // First: no reconcile that starts from now on acts, whatever JOSDK still has queued or scheduled.
    reconciler.stopReconciling();
    operator.stop();
    reconciler.close();
    LOG.info("operator stopped: no reconcile in flight, measurements cancelled");
  }
}
