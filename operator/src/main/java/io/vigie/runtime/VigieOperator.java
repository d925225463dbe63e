package io.vigie.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.reconciler.RolloutReconciler;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running operator: the JOSDK Operator with the Rollout controller registered. */
public final class VigieOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VigieOperator.class);

  private final Operator operator;

  private VigieOperator(Operator operator) {
    this.operator = operator;
  }

  /** Starts watching Rollouts. */
  public static VigieOperator start(KubernetesClient client, Clock clock, OperatorSettings settings) {
    Set<String> namespaces = settings.namespaces();
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false)
          .withReconciliationTerminationTimeout(settings.stopTimeout());
      settings.leaderElection().ifPresent(le -> o.withLeaderElectionConfiguration(
          LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(le.leaseName())
              .withLeaseNamespace(le.leaseNamespace())
              .withIdentity(settings.instance())
              .withLeaseDuration(le.leaseDuration())
              .withRenewDeadline(le.renewDeadline())
              .withRetryPeriod(le.retryPeriod())
              .withExitOnStopLeading(le.exitOnLoss())
              .build()));
    });
    // A rollback must not give up: retry failed reconciles without a limit, backing off to a minute.
    GenericRetry retry = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2).setMaxInterval(60_000)
        .withoutMaxAttempts();
    operator.register(new RolloutReconciler(client, clock, settings), c -> {
      c.withRetry(retry);
      if (namespaces.isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(namespaces);
      }
    });
    operator.start();
    LOG.info("operator started instance={} namespaces={} prometheus={} leaderElection={}", settings.instance(),
        namespaces.isEmpty() ? "all" : namespaces, settings.prometheusAddress().orElse("(none)"),
        settings.leaderElection().map(le -> le.leaseNamespace() + "/" + le.leaseName()).orElse("off"));
    return new VigieOperator(operator);
  }

  @Override
  public void close() {
    operator.stop();
  }
}
