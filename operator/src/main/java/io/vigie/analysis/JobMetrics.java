package io.vigie.analysis;

import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.Limits;
import io.vigie.api.v1alpha1.Metric;
import java.time.Duration;
import java.util.List;

/**
 * The rules of a job metric (provider.job): its spec must be a Job the API server would take, and
 * its verdict is the Job's (docs/analysis.md#job-metrics).
 */
public final class JobMetrics {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private JobMetrics() {}

  public static boolean isJob(Metric metric) {
    return metric.getProvider() != null && metric.getProvider().getJob() != null;
  }

  /** The metric's JobSpec, read from its free-form spec: throws IllegalArgumentException saying what does not fit. */
  public static JobSpec spec(Metric metric) {
    var node = metric.getProvider().getJob().getSpec();
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("provider.job.spec is missing: give a JobSpec with template.spec.containers");
    }
    JobSpec spec;
    try {
      spec = SERIALIZATION.convertValue(node, JobSpec.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("provider.job.spec is not a JobSpec: " + e.getMessage(), e);
    }
    if (spec.getTemplate() == null || spec.getTemplate().getSpec() == null || spec.getTemplate().getSpec().getContainers() == null
        || spec.getTemplate().getSpec().getContainers().isEmpty()) {
      throw new IllegalArgumentException("provider.job.spec.template.spec.containers is empty: a Job runs at least one container");
    }
    String restart = spec.getTemplate().getSpec().getRestartPolicy();
    if (restart == null || !(restart.equals("Never") || restart.equals("OnFailure"))) {
      throw new IllegalArgumentException("provider.job.spec.template.spec.restartPolicy is " + (restart == null ? "missing"
          : "'" + restart + "'") + ": a Job's pods restart Never or OnFailure");
    }
    return spec;
  }

  /** How long a Job may run: its timeout, or 10 minutes. */
  public static Duration timeout(Metric metric) {
    String text = metric.getProvider().getJob().getTimeout();
    return text == null ? Limits.JOB_TIMEOUT_DEFAULT : Durations.parseWithin(text, Limits.JOB_TIMEOUT_MIN, Limits.JOB_TIMEOUT_MAX);
  }

  static void problems(String where, Metric metric, List<String> problems) {
    try {
      spec(metric);
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
    }
    try {
      timeout(metric);
    } catch (IllegalArgumentException e) {
      problems.add(where + ": provider.job.timeout: " + e.getMessage());
    }
  }

  /** The judgement of a Job's end: it succeeded (1) or failed (0), the provider's note saying how. */
  static MeasurementJudge.Judgement judge(RawMeasurement raw) {
    boolean succeeded = raw.value() != null && raw.value() >= 1;
    String note = raw.note() != null ? raw.note() : succeeded ? "the Job succeeded" : "the Job failed";
    return new MeasurementJudge.Judgement(succeeded ? io.vigie.api.v1alpha1.AnalysisPhase.Successful
        : io.vigie.api.v1alpha1.AnalysisPhase.Failed, note);
  }
}
