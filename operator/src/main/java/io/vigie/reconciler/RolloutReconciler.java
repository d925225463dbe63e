package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.vigie.analysis.provider.AddressPolicy;
import io.vigie.analysis.provider.MeasurementRunner;
import io.vigie.analysis.provider.MetricProviders;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.core.Action;
import io.vigie.domain.Names;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.Decision;
import io.vigie.core.RolloutEvent;
import io.vigie.core.RolloutMachine;
import io.vigie.metrics.RolloutMetrics;
import io.vigie.notify.EventRecorder;
import io.vigie.traffic.IstioRouter;
import io.vigie.traffic.RouteObjects;
import io.vigie.workload.Labels;
import io.vigie.workload.VigieServices;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The imperative shell: observe the cluster, ask {@link RolloutMachine} what to do, do it:
 * the cluster writes in the decision's order (traffic, then scale), then status, then Events.
 */
@ControllerConfiguration(
    name = RolloutReconciler.NAME,
    generationAwareEventProcessing = false,
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 60, timeUnit = TimeUnit.SECONDS))
public class RolloutReconciler implements Reconciler<Rollout>, Cleaner<Rollout>, AutoCloseable {
  public static final String NAME = "rollout";
  static final String TARGET_INDEX = "vigie-target";
  static final String SERVICE_INDEX = "vigie-service";
  static final String ROUTE_INDEX = "vigie-route";
  private static final Logger LOG = LoggerFactory.getLogger(RolloutReconciler.class);
  /** How soon a decision made on a stale status is made again: about a watch event's delay. */
  private static final java.time.Duration STALE_RETRY = java.time.Duration.ofMillis(100);
  /** Measurements in flight for all Rollouts at most (each bounded by its provider's timeout, at most 60s). */
  private static final int MEASUREMENT_THREADS = 32;
  /** Gate calls in flight for all Rollouts at most: a gate is asked at a step's edge, seldom. */
  private static final int GATE_THREADS = 8;

  private final KubernetesClient client;
  private final Clock clock;
  private final ClusterObserver observer;
  private final ActionExecutor executor;
  private final ControlIntake controls;
  private final EventRecorder events;
  private final StatusWriter statusWriter;
  private final double clockSpeed;
  private final RolloutMetrics metrics;
  private final MeasurementRunner measurements;
  private final io.vigie.gate.GateRunner gateRunner;
  private final Optional<io.vigie.api.v1alpha1.NotificationSubscription> defaultNotifications;
  private final io.vigie.notify.Notifier notifier;
  // Set when JOSDK asks for the event sources, after construction.
  /** Reconciles asked for by name: a measurement done, a Deployment given back. */
  private volatile SimpleInboundEventSource<Rollout> wakeUps;
  private volatile IndexerResourceCache<Rollout> rollouts;
  private volatile ClusterCaches caches;

  /** Which Rollout updates wake a reconcile (JOSDK's controller filter): see {@link RelevantChanges#rollout}. */
  public static final io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter<Rollout> UPDATE_FILTER =
      RelevantChanges::rollout;

  public RolloutReconciler(KubernetesClient client, Clock clock, OperatorSettings settings) {
    this(client, clock, settings, new RolloutMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
  }

  public RolloutReconciler(KubernetesClient client, Clock clock, OperatorSettings settings, RolloutMetrics metrics) {
    this.metrics = metrics;
    this.client = client;
    this.clock = clock;
    AddressPolicy policy = AddressPolicy.of(settings.allowedProviderHosts(),
        Optional.ofNullable(client.getConfiguration().getMasterUrl()).map(java.net.URI::create));
    MetricProviders providers = new MetricProviders(policy, Optional.of(new io.vigie.analysis.provider.JobMetricProvider(client)));
    this.measurements = new MeasurementRunner(providers, MEASUREMENT_THREADS, this::measured);
    this.notifier = new io.vigie.notify.Notifier(client, policy, this::measured, metrics::notificationSent, metrics::notificationFailed);
    io.vigie.gate.GateCalls gateCalls = new io.vigie.gate.GateCalls(policy);
    this.gateRunner = new io.vigie.gate.GateRunner(gateCalls, GATE_THREADS, this::measured);
    this.observer = new ClusterObserver(new AnalysisObserver(client, providers, measurements, settings.prometheusAddress(),
        settings.namespacedJobMetrics()),
        Optional.of(new GateObserver(client, gateCalls, gateRunner)), this::rolloutExists, Optional.of(new ConfigObserver(client)));
    this.executor = new ActionExecutor(client, new VigieServices(client));
    this.controls = new ControlIntake(client);
    this.events = new EventRecorder(client, clock, settings.instance());
    this.statusWriter = new StatusWriter(client);
    this.clockSpeed = settings.clockSpeed() > 0 ? settings.clockSpeed() : 1;
    this.defaultNotifications = settings.defaultNotifications();
    this.sharded = settings.shardSelector().isPresent();
  }

  private volatile boolean closed;
  /** A shard's install (--shard-selector): its Rollout cache holds only the Rollouts it drives. */
  private final boolean sharded;

  /** A measurement, a gate's answer or a notification of this Rollout ("namespace/name") finished: look at it again. */
  private void measured(String key) {
    int slash = key.indexOf('/');
    wake(new ResourceID(key.substring(slash + 1), key.substring(0, slash)));
  }

  private void wake(ResourceID rollout) {
    SimpleInboundEventSource<Rollout> source = wakeUps;
    if (source != null && !closed) {
      source.propagateEvent(rollout);
    }
  }

  private boolean rolloutExists(String namespace, String name) {
    IndexerResourceCache<Rollout> cache = rollouts;
    if (cache == null || cache.get(new ResourceID(name, namespace)).isPresent()) {
      return true;
    }
    // A shard's cache holds only its own Rollouts: one of another shard that marked the Deployment
    // is not gone. Asked only for a mark naming an unknown Rollout, so rarely.
    return sharded && client.resources(Rollout.class).inNamespace(namespace).withName(name).get() != null;
  }

  @Override
  public List<EventSource<?, Rollout>> prepareEventSources(EventSourceContext<Rollout> context) {
    IndexerResourceCache<Rollout> rollouts = context.getPrimaryCache();
    this.rollouts = rollouts;
    rollouts.addIndexer(TARGET_INDEX, r -> r.getSpec() == null || r.getSpec().getTargetRef() == null
        ? List.of() : List.of(key(r.getMetadata().getNamespace(), r.getSpec().getTargetRef().getName())));
    rollouts.addIndexer(SERVICE_INDEX, r -> r.getSpec() == null || r.getSpec().getService() == null
        ? List.of() : List.of(key(r.getMetadata().getNamespace(), r.getSpec().getService().getName())));
    var deploymentConfig = InformerEventSourceConfiguration.from(Deployment.class, Rollout.class)
        .withName("deployments")
        .withSecondaryToPrimaryMapper(d -> rolloutsOf(d, rollouts, TARGET_INDEX, d.getMetadata().getName()))
        .withOnUpdateFilter(RelevantChanges::deployment)
        .withOnAddFilter(RelevantChanges::createdByOthers)
        .withItemStore(PrunedStore.deployments())
        .build();
    var serviceConfig = InformerEventSourceConfiguration.from(Service.class, Rollout.class)
        .withName("services")
        .withSecondaryToPrimaryMapper(s -> rolloutsOf(s, rollouts, SERVICE_INDEX, s.getMetadata().getName()))
        .withOnUpdateFilter(RelevantChanges::service)
        .withOnAddFilter(RelevantChanges::createdByOthers)
        .withItemStore(PrunedStore.services())
        .build();
    // A ReplicaSet concerns the Rollouts of the Deployment that owns it.
    // Only the targets' ReplicaSets are read: a canary's (its pods labelled vigie.io/role) is left
    // out of the cache, a third of a cluster's Vigie ReplicaSets and their templates.
    var replicaSetConfig = InformerEventSourceConfiguration.from(ReplicaSet.class, Rollout.class)
        .withName("replicasets")
        .withLabelSelector("!" + Labels.ROLE)
        .withSecondaryToPrimaryMapper(rs -> ClusterCaches.ownerDeployment(rs)
            .map(owner -> rolloutsOf(rs, rollouts, TARGET_INDEX, owner.getName())).orElse(Set.of()))
        .withOnUpdateFilter(RelevantChanges::replicaSet)
        .withItemStore(PrunedStore.replicaSets())
        .build();
    InformerEventSource<Deployment, Rollout> deployments = new InformerEventSource<>(deploymentConfig, context);
    InformerEventSource<Service, Rollout> services = new InformerEventSource<>(serviceConfig, context);
    InformerEventSource<ReplicaSet, Rollout> replicaSets = new InformerEventSource<>(replicaSetConfig, context);
    replicaSets.addIndexers(ClusterCaches.replicaSetIndexers());
    List<EventSource<?, Rollout>> sources = new java.util.ArrayList<>(List.of(deployments, services, replicaSets));

    // The route kinds whose API the cluster serves at start are watched; a kind installed later is
    // read from the API server at each reconcile until the operator restarts.
    rollouts.addIndexer(ROUTE_INDEX, RouteInformers::routeKeys);
    Optional<InformerEventSource<HTTPRoute, Rollout>> httpRoutes = RouteInformers.served(() -> client.supports(HTTPRoute.class))
        ? Optional.of(new InformerEventSource<>(RouteInformers.config(InformerEventSourceConfiguration.from(HTTPRoute.class, Rollout.class),
            "httproutes", rollouts), context)) : Optional.empty();
    Optional<InformerEventSource<GenericKubernetesResource, Rollout>> virtualServices =
        RouteInformers.served(() -> client.supports(IstioRouter.VIRTUAL_SERVICE.getGroup() + "/" + IstioRouter.VIRTUAL_SERVICE.getVersion(),
            IstioRouter.VIRTUAL_SERVICE.getKind()))
        ? Optional.of(new InformerEventSource<>(RouteInformers.config(InformerEventSourceConfiguration.from(new GroupVersionKind(
            IstioRouter.VIRTUAL_SERVICE.getGroup(), IstioRouter.VIRTUAL_SERVICE.getVersion(), IstioRouter.VIRTUAL_SERVICE.getKind()),
            Rollout.class), "virtualservices", rollouts), context)) : Optional.empty();
    // networking.k8s.io/v1 Ingress is served by every Kubernetes Vigie supports (1.19 and later).
    Optional<InformerEventSource<Ingress, Rollout>> ingresses = Optional.of(new InformerEventSource<>(
        RouteInformers.config(InformerEventSourceConfiguration.from(Ingress.class, Rollout.class), "ingresses", rollouts), context));
    httpRoutes.ifPresent(sources::add);
    virtualServices.ifPresent(sources::add);
    ingresses.ifPresent(sources::add);
    LOG.info("route objects from informers: httproutes={} virtualservices={} ingresses={} (the others from the API server)",
        httpRoutes.isPresent(), virtualServices.isPresent(), ingresses.isPresent());
    this.caches = ClusterCaches.of(deployments, services, replicaSets, new RouteObjects(client,
        httpRoutes.map(ClusterCaches::routeCache), virtualServices.map(ClusterCaches::routeCache),
        ingresses.map(ClusterCaches::routeCache)));

    SimpleInboundEventSource<Rollout> wakeUps = new SimpleInboundEventSource<>("wake-ups");
    this.wakeUps = wakeUps;
    sources.add(wakeUps);
    return sources;
  }

  /** The Rollouts that own this object, or that reference it by name. */
  static Set<ResourceID> rolloutsOf(HasMetadata object, IndexerResourceCache<Rollout> rollouts, String index,
      String referencedName) {
    Set<ResourceID> ids = new HashSet<>();
    String namespace = object.getMetadata().getNamespace();
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    if (owners != null) {
      owners.stream()
          .filter(o -> "Rollout".equals(o.getKind()) && o.getApiVersion() != null && o.getApiVersion().startsWith(Rollout.GROUP + "/"))
          .forEach(o -> ids.add(new ResourceID(o.getName(), namespace)));
    }
    rollouts.byIndex(index, key(namespace, referencedName))
        .forEach(r -> ids.add(ResourceID.fromResource(r)));
    return ids;
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public UpdateControl<Rollout> reconcile(Rollout resource, Context<Rollout> context) {
    if (closed) {
      return UpdateControl.noUpdate();
    }
    MDC.put("rollout", key(resource.getMetadata().getNamespace(), resource.getMetadata().getName()));
    try {
      // From JOSDK's cache, which holds this operator's own last writes of the Rollout (read-after-write).
      if (resource.getMetadata().getDeletionTimestamp() != null) {
        return UpdateControl.noUpdate();
      }
      Rollout rollout = controls.accept(resource, context);
      ClusterCaches caches = this.caches;
      ClusterSnapshot snapshot = observer.observe(rollout, caches, clock.instant());
      Decision decision = RolloutMachine.decide(rollout.getMetadata().getNamespace(), rollout.getSpec(),
          rollout.getStatus(), snapshot.observation());
      // The cluster first, then status: status never claims what the cluster does not show yet
      // (a Rollout reads Healthy only once its Deployment is paused again). The rollout logic
      // copes with the converse, a cluster ahead of status after a crash.
      executor.apply(rollout, snapshot, decision.actions(), caches);
      RolloutStatus status = decision.status();
      ReconcileErrors.clear(status);
      String key = key(rollout.getMetadata().getNamespace(), rollout.getMetadata().getName());
      io.vigie.notify.Notifier.Settled settled = notifier.settled(key);
      status.setNotifications(io.vigie.notify.Outbox.next(rollout.getSpec(),
          io.vigie.notify.Outbox.defaultFor(rollout.getMetadata(), defaultNotifications), rollout.getStatus(),
          status, decision.events(), settled.keys(), clock.instant()));
      Optional<Rollout> stored = statusWriter.write(rollout, status, (written, previous) -> context.eventSourceRetriever()
          .getControllerEventSource().handleRecentResourceUpdate(ResourceID.fromResource(written), written, previous));
      if (stored.isEmpty()) {
        LOG.info("rollout={}: its status moved on since this decision read it (the cache was behind): deciding again", key);
        return UpdateControl.<Rollout>noUpdate().rescheduleAfter(STALE_RETRY);
      }
      Rollout written = stored.get();
      metrics.reconciled(rollout, status);
      for (RolloutEvent event : decision.events()) {
        events.record(written, event);
      }
      settled.failures().forEach(f -> events.record(written, RolloutEvent.warning(io.vigie.core.EventReason.NotificationFailed, f)));
      notifier.forget(key, settled);
      notifier.deliver(written);
      // An accepted control that cannot be parsed (written by hand) would block every later one.
      if (decision.clearControl() || (ControlIntake.pending(written).isEmpty() && ControlIntake.hasAccepted(written))) {
        controls.clear(written, context);
      }
      UpdateControl<Rollout> control = UpdateControl.noUpdate();
      // JOSDK schedules in real time; the decision's delays are on the operator's Clock.
      decision.requeueAfter().ifPresent(d -> control.rescheduleAfter(
          java.time.Duration.ofMillis(Math.max(1, (long) (d.toMillis() / clockSpeed)))));
      return control;
    } finally {
      MDC.remove("rollout");
    }
  }

  /**
   * A reconcile failed. An error that will not go away by retrying (403: the operator's RBAC; 422,
   * 400: an object the API server refuses) is put on the Rollout as a condition naming the fix;
   * JOSDK retries with backoff either way, and the next good reconcile removes the condition.
   */
  @Override
  public ErrorStatusUpdateControl<Rollout> updateErrorStatus(Rollout rollout, Context<Rollout> context, Exception e) {
    if (closed) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    // Written here with an update (the verb the operator has on rollouts/status) on the version read;
    // a conflict leaves it to the next failed attempt.
    ReconcileErrors.condition(e, clock.instant(), rollout).ifPresent(failed -> {
      try {
        Rollout written = client.resources(Rollout.class).inNamespace(failed.getMetadata().getNamespace()).resource(failed)
            .updateStatus();
        context.eventSourceRetriever().getControllerEventSource()
            .handleRecentResourceUpdate(ResourceID.fromResource(written), written, failed);
      } catch (KubernetesClientException writeError) {
        LOG.warn("rollout={}/{}: could not put the reconcile error on its status ({}): {}", failed.getMetadata().getNamespace(),
            failed.getMetadata().getName(), writeError.getMessage(), e.getMessage());
      }
    });
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  @Override
  public DeleteControl cleanup(Rollout rollout, Context<Rollout> context) {
    if (closed) {
      // A stopping operator gives nothing back: the finalizer stays for the next leader's cleanup.
      return DeleteControl.noFinalizerRemoval();
    }
    String namespace = rollout.getMetadata().getNamespace();
    metrics.removed(namespace, rollout.getMetadata().getName());
    measurements.forget(key(namespace, rollout.getMetadata().getName()));
    gateRunner.forget(key(namespace, rollout.getMetadata().getName()));
    notifier.forget(key(namespace, rollout.getMetadata().getName()));
    RolloutSpec spec = rollout.getSpec();
    // A Rollout that names no usable target or Service never wrote anything: nothing to give back.
    if (spec == null || spec.getTargetRef() == null || spec.getService() == null
        || !Names.isTargetName(spec.getTargetRef().getName()) || !Names.isServiceName(spec.getService().getName())) {
      return DeleteControl.defaultDelete();
    }
    ClusterSnapshot snapshot = observer.observeForCleanup(rollout, caches, clock.instant());
    List<Action> actions = RolloutMachine.cleanup(rollout.getStatus(), snapshot.observation());
    executor.apply(rollout, snapshot, actions, caches);
    boolean released = actions.stream().anyMatch(a -> a instanceof Action.ReleaseTarget);
    if (released && rollouts != null) {
      // Another Rollout of this Deployment, Invalid while this one held it, may adopt it now. The
      // release's own watch event is one JOSDK may drop as a write it made: wake them by name.
      rollouts.byIndex(TARGET_INDEX, key(namespace, spec.getTargetRef().getName())).stream()
          .map(ResourceID::fromResource)
          .filter(id -> !id.equals(ResourceID.fromResource(rollout)))
          .forEach(this::wake);
    }
    LOG.info("cleanup rollout={}/{}: Vigie objects removed, Deployment {} {}", namespace, rollout.getMetadata().getName(),
        spec.getTargetRef().getName(), released ? "unpaused" : "left as it is (this Rollout did not adopt it)");
    return DeleteControl.defaultDelete();
  }

  /**
   * From now on a reconcile that starts returns at once, reading and writing nothing, so that a
   * stopping operator (a lost lease, a shutdown) never acts again, not even through a retry JOSDK had
   * scheduled before the stop. A reconcile in flight finishes.
   */
  public void stopReconciling() {
    closed = true;
  }

  @Override
  public void close() {
    stopReconciling();
    measurements.close();
    gateRunner.close();
    notifier.close();
  }
}
