package io.vigie.analysis.provider;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigie.analysis.JobMetrics;
import io.vigie.analysis.RawMeasurement;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.Rollout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A job metric's measurement (docs/analysis.md#job-metrics): a Job made from the metric's spec in the
 * Rollout's namespace, owned by the Rollout (so Kubernetes deletes it with the Rollout) and labelled
 * with the revision, the run and the metric; the measurement is its end. A Job of the same metric
 * still running is deleted first: at most one runs per metric. Its name follows from the run and
 * the measurement's number, so an operator restarted mid-Job finds it again instead of starting
 * another (an operator that stops leaves its Jobs running). A measurement cancelled (the analysis
 * ended: a rollback, a promotion) deletes its Job;
 * one that runs past the metric's timeout is deleted and is an error. A finished Job stays for its
 * logs until its ttlSecondsAfterFinished (one hour unless the spec says).
 */
public final class JobMetricProvider {
  public static final String ROLLOUT_LABEL = "vigie.io/rollout";
  public static final String REVISION_LABEL = "vigie.io/revision";
  public static final String RUN_LABEL = "vigie.io/analysis-run";
  public static final String METRIC_LABEL = "vigie.io/metric";
  static final int TTL_AFTER_FINISHED_SECONDS = 3600;

  private final KubernetesClient client;
  /** The operator is stopping: a Job waited on is left running for the next operator to find. */
  private volatile boolean stopping;

  public JobMetricProvider(KubernetesClient client) {
    this.client = client;
  }

  /** From now on an interrupted wait means the operator stops, not that the analysis ended. */
  void stop() {
    stopping = true;
  }

  /**
   * Whose Job this is: the Rollout, the canary revision it judges, and the number of the measurement
   * (the metric's measurements so far), which names the Job.
   */
  public record Owner(Rollout rollout, String revision, int measurement) {}

  /** Never throws: a Job that cannot be created, watched or finished in time is an error saying why. */
  public RawMeasurement measure(String run, String runStartedAt, Metric metric, Instant at, Owner owner) {
    String namespace = owner.rollout().getMetadata().getNamespace();
    String name = name(owner, run, runStartedAt, metric.getName());
    String shown = "Job " + namespace + "/" + name;
    Job job;
    try {
      job = job(owner, run, metric, name);
    } catch (IllegalArgumentException e) {
      return RawMeasurement.error(run, metric.getName(), at, e.getMessage());
    }
    try {
      stopOthers(namespace, owner, run, metric.getName(), name);
      try {
        client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          return RawMeasurement.error(run, metric.getName(), at, shown + " cannot be created: " + reason(e));
        }
      }
      Duration timeout = JobMetrics.timeout(metric);
      Job done;
      try {
        done = client.batch().v1().jobs().inNamespace(namespace).withName(name)
            .waitUntilCondition(j -> j == null || finished(j).isPresent(), timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (KubernetesClientException e) {
        if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
          if (stopping) {
            // An operator restart never loses a measurement: the next operator finds this Job by its name.
            return RawMeasurement.error(run, metric.getName(), at, "the operator stopped while " + shown + " ran");
          }
          delete(namespace, name);
          return RawMeasurement.error(run, metric.getName(), at, shown + " deleted: the analysis ended before it finished");
        }
        if (e instanceof io.fabric8.kubernetes.client.KubernetesClientTimeoutException) {
          delete(namespace, name);
          return RawMeasurement.error(run, metric.getName(), at, shown + " did not finish within " + io.vigie.api.v1alpha1.Durations
              .format(timeout) + " (provider.job.timeout): deleted");
        }
        return RawMeasurement.error(run, metric.getName(), at, "cannot follow " + shown + ": " + reason(e));
      }
      if (done == null) {
        return RawMeasurement.error(run, metric.getName(), at, shown + " was deleted before it finished");
      }
      JobCondition end = finished(done).orElseThrow();
      boolean succeeded = "Complete".equals(end.getType());
      String how = shown + (succeeded ? " succeeded" : " failed: " + Optional.ofNullable(end.getReason()).orElse("Failed")
          + Optional.ofNullable(end.getMessage()).map(m -> " (" + m + ")").orElse(""));
      return RawMeasurement.value(run, metric.getName(), at, succeeded ? 1 : 0, null).withNote(how);
    } catch (KubernetesClientException e) {
      return RawMeasurement.error(run, metric.getName(), at, shown + ": " + reason(e));
    }
  }

  private Job job(Owner owner, String run, Metric metric, String name) {
    JobSpec spec = JobMetrics.spec(metric);
    if (spec.getTtlSecondsAfterFinished() == null) {
      spec.setTtlSecondsAfterFinished(TTL_AFTER_FINISHED_SECONDS);
    }
    Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace(owner.rollout().getMetadata().getNamespace())
        .addToLabels(labels(owner, run, metric.getName())).addToLabels("app.kubernetes.io/managed-by", "vigie").endMetadata()
        .withSpec(spec).build();
    job.addOwnerReference(owner.rollout());
    return job;
  }

  private static Map<String, String> labels(Owner owner, String run, String metric) {
    return Map.of(ROLLOUT_LABEL, label(owner.rollout().getMetadata().getName()), REVISION_LABEL, label(owner.revision()),
        RUN_LABEL, label(run), METRIC_LABEL, label(metric));
  }

  /** Another Job of this metric still running (an older measurement, another run) is deleted: one runs per metric. */
  private void stopOthers(String namespace, Owner owner, String run, String metric, String name) {
    List<Job> jobs = client.batch().v1().jobs().inNamespace(namespace)
        .withLabels(Map.of(ROLLOUT_LABEL, label(owner.rollout().getMetadata().getName()), METRIC_LABEL, label(metric)))
        .list().getItems();
    for (Job other : jobs) {
      if (!other.getMetadata().getName().equals(name) && finished(other).isEmpty()) {
        delete(namespace, other.getMetadata().getName());
      }
    }
  }

  private void delete(String namespace, String name) {
    try {
      client.batch().v1().jobs().inNamespace(namespace).withName(name).withPropagationPolicy(
          io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
    } catch (KubernetesClientException e) {
      // Gone already, or not ours to delete any more: its owner reference and TTL clean it up.
    }
  }

  /** The condition that ended the Job: Complete or Failed, True. */
  static Optional<JobCondition> finished(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus())).findFirst();
  }

  /**
   * {@code <rollout>-<metric>-<hash>}, at most 63 characters (a Job's name is a label of its pods):
   * the hash of the run, its start and the measurement's number.
   */
  static String name(Owner owner, String run, String runStartedAt, String metric) {
    String hash = sha(owner.rollout().getMetadata().getName() + "/" + run + "/" + runStartedAt + "/" + metric + "/"
        + owner.measurement()).substring(0, 10);
    String rollout = trim(owner.rollout().getMetadata().getName(), 24);
    String m = trim(metric, 63 - rollout.length() - hash.length() - 2);
    return rollout + "-" + m + "-" + hash;
  }

  private static String trim(String text, int max) {
    String cut = text.length() > max ? text.substring(0, max) : text;
    return cut.replaceAll("[-.]+$", "");
  }

  private static String label(String value) {
    return value == null ? "" : trim(value, 63);
  }

  private static String sha(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String reason(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null ? "HTTP " + e.getCode() + ": " + e.getStatus().getMessage()
        : e.getMessage();
  }
}
