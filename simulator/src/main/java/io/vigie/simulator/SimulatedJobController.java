package io.vigie.simulator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Plays the Kubernetes Job controller against the mock API server: a Job starts when it is created
 * (status active 1, startTime) and ends {@code runTime} later on the controller's clock, as its image
 * says: a Job whose first container's image matches {@code fails} fails (condition Failed, reason
 * BackoffLimitExceeded), any other succeeds (condition Complete). Pods are not written.
 */
public final class SimulatedJobController implements AutoCloseable {
  private final KubernetesClient client;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulated-job-controller");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Instant> started = new ConcurrentHashMap<>();
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private volatile Clock clock = Clock.systemUTC();
  private volatile Duration runTime = Duration.ZERO;
  private volatile Predicate<String> fails = image -> image.contains("fail");
  private SharedIndexInformer<Job> jobs;

  public SimulatedJobController(KubernetesClient client) {
    this.client = client;
  }

  /** Jobs run this long, on this clock. */
  public SimulatedJobController withRunTime(Clock clock, Duration runTime) {
    this.clock = clock;
    this.runTime = runTime;
    return this;
  }

  /** Jobs whose image matches fail; the others succeed. */
  public SimulatedJobController failingWhen(Predicate<String> image) {
    this.fails = image;
    return this;
  }

  public SimulatedJobController start() {
    jobs = client.batch().v1().jobs().inAnyNamespace().runnableInformer(0);
    jobs.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        startIfNew(job);
      }

      @Override
      public void onUpdate(Job before, Job job) {
        startIfNew(job);
      }

      @Override
      public void onDelete(Job job, boolean unknown) {
        started.remove(Cache.metaNamespaceKeyFunc(job));
        ended.remove(Cache.metaNamespaceKeyFunc(job));
      }
    });
    jobs.run();
    ticker.scheduleWithFixedDelay(this::tick, 20, 20, TimeUnit.MILLISECONDS);
    return this;
  }

  private void startIfNew(Job job) {
    String key = Cache.metaNamespaceKeyFunc(job);
    if (job.getStatus() != null && job.getStatus().getStartTime() != null || started.containsKey(key)) {
      return;
    }
    Instant now = clock.instant();
    started.put(key, now);
    write(job, new JobStatusBuilder().withActive(1).withStartTime(now.toString()).build());
  }

  private void tick() {
    try {
      Instant now = clock.instant();
      for (Job job : List.copyOf(jobs.getStore().list())) {
        String key = Cache.metaNamespaceKeyFunc(job);
        Instant start = started.get(key);
        if (start == null || ended.contains(key) || now.isBefore(start.plus(runTime))) {
          continue;
        }
        boolean failed = fails.test(image(job));
        JobCondition end = new JobConditionBuilder().withType(failed ? "Failed" : "Complete").withStatus("True")
            .withReason(failed ? "BackoffLimitExceeded" : null).withMessage(failed ? "Job has reached the specified backoff limit" : null)
            .withLastTransitionTime(now.toString()).build();
        JobStatusBuilder status = new JobStatusBuilder().withActive(0).withStartTime(start.toString()).withConditions(end);
        if (failed) {
          status.withFailed(1);
        } else {
          status.withSucceeded(1).withCompletionTime(now.toString());
        }
        if (write(job, status.build())) {
          ended.add(key);
        }
      }
    } catch (RuntimeException e) {
      // The next tick tries again (a Job deleted between the list and the write, a watch restarting).
    }
  }

  private static String image(Job job) {
    var containers = job.getSpec().getTemplate().getSpec().getContainers();
    return containers.isEmpty() || containers.get(0).getImage() == null ? "" : containers.get(0).getImage();
  }

  private boolean write(Job job, JobStatus status) {
    try {
      Job current = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName()).get();
      if (current == null) {
        return false;
      }
      current.setStatus(status);
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(current).updateStatus();
      return true;
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    if (jobs != null) {
      jobs.close();
    }
  }
}
