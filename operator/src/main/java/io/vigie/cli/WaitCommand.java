package io.vigie.cli;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vigie.api.v1alpha1.RevisionRecord;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.workload.TemplateHash;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `vigie wait ROLLOUT --timeout D`, for CI: waits for the verdict on the Deployment's current
 * template. Exit 0: Healthy on it; 1: rolled back, Invalid, or replaced by another revision; 2:
 * timeout; 3: usage or connection error.
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
    description = {"Waits for a release's verdict: exit 0 Healthy, 1 rolled back.",
        "Exit codes: 0 Healthy on that revision, 1 RolledBack or Invalid (or replaced by a newer revision), 2 timeout, 3 "
            + "usage or connection error."})
final class WaitCommand implements Callable<Integer> {
  static final int TIMEOUT = 2;

  @Mixin
  ClusterOptions cluster;

  @Parameters(paramLabel = "ROLLOUT", description = "Name of the Rollout.")
  String name;

  @Option(names = "--timeout", paramLabel = "DURATION", required = true, description = "How long to wait, e.g. 15m.")
  String timeout;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", description = "How often to look. Default: ${DEFAULT-VALUE}.")
  String interval;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Duration limit = CliDurations.parse(timeout, "--timeout");
    Duration every = CliDurations.interval(interval, "--interval");
    long deadline = System.nanoTime() + limit.toNanos();
    try (ClusterOptions.Cluster c = cluster.connect()) {
      String display = c.namespace() + "/" + name;
      Rollout first = RolloutLookup.get(c, name);
      String revision = revision(c, first).orElseThrow(() -> new CliError(CliError.FAILED, display
          + ": its Deployment " + target(first) + " does not exist"));
      Rollout rollout = first;
      out.println(display + ": waiting up to " + timeout + " for the verdict on revision " + revision);
      String last = null;
      while (true) {
        RolloutStatus s = Optional.ofNullable(rollout.getStatus()).orElseGet(RolloutStatus::new);
        String progress = StatusCommand.changeLine(s);
        if (!progress.equals(last)) {
          out.println(display + ": " + progress);
          out.flush();
          last = progress;
        }
        Optional<Integer> verdict = verdict(out, display, rollout, s, revision, revision(c, rollout));
        if (verdict.isPresent()) {
          out.flush();
          return verdict.get();
        }
        if (System.nanoTime() >= deadline) {
          out.println(display + ": no verdict on revision " + revision + " after " + timeout + " (" + progress + ")");
          out.flush();
          return TIMEOUT;
        }
        Thread.sleep(Math.min(every.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        rollout = readThroughHiccups(c, out, display, rollout, deadline);
      }
    }
  }

  private static Optional<Integer> verdict(PrintWriter out, String display, Rollout rollout, RolloutStatus s, String revision,
      Optional<String> current) {
    boolean seen = s.getObservedGeneration() != null && rollout.getMetadata().getGeneration() != null
        && s.getObservedGeneration() >= rollout.getMetadata().getGeneration();
    if (s.getPhase() == RolloutPhase.Invalid && seen) {
      out.println(display + ": Invalid: " + s.getMessage());
      return Optional.of(CliError.FAILED);
    }
    if (s.getPhase() == RolloutPhase.Healthy && revision.equals(s.getStableRevision())) {
      out.println(display + ": Healthy: revision " + revision + " serves all traffic");
      return Optional.of(0);
    }
    if (s.getPhase() == RolloutPhase.RolledBack && s.getAbort() != null && revision.equals(s.getAbort().getRevision())) {
      out.println(display + ": RolledBack: revision " + revision + ": " + s.getAbort().getMessage());
      if (s.getRollbackReport() != null) {
        s.getRollbackReport().getChanges().forEach(change -> out.println(display + ":   it changed " + change));
      }
      return Optional.of(CliError.FAILED);
    }
    if (current.isPresent() && !current.get().equals(revision)) {
      out.println(display + ": revision " + revision + " was replaced by " + current.get() + " (the Deployment's template "
          + "changed again) before its verdict");
      return Optional.of(CliError.FAILED);
    }
    return Optional.empty();
  }

  /**
   * A 20-minute wait must not end on one failed read: an API server restarting, a 5xx, a 429. Those
   * are said and retried until the deadline; what a retry cannot fix (not found, forbidden) ends it.
   */
  private Rollout readThroughHiccups(ClusterOptions.Cluster c, PrintWriter out, String display, Rollout last, long deadline) {
    try {
      return RolloutLookup.get(c, name);
    } catch (CliError e) {
      Throwable cause = e.getCause();
      boolean transientError = cause instanceof io.fabric8.kubernetes.client.KubernetesClientException k
          && (k.getCode() <= 0 || k.getCode() >= 500 || k.getCode() == 429);
      if (!transientError || System.nanoTime() >= deadline) {
        throw e;
      }
      out.println(display + ": reading the Rollout failed, retrying: " + e.getMessage());
      out.flush();
      return last;
    }
  }

  private static Optional<String> revision(ClusterOptions.Cluster c, Rollout rollout) {
    String target = target(rollout);
    if (target == null) {
      return Optional.empty();
    }
    Deployment d = ApiCalls.call(c, "get", "deployments.apps", c.namespace(),
        () -> c.client().apps().deployments().inNamespace(c.namespace()).withName(target).get());
    return Optional.ofNullable(d).map(x -> TemplateHash.revisionOf(x.getSpec().getTemplate()));
  }

  private static String target(Rollout rollout) {
    return rollout.getSpec() == null || rollout.getSpec().getTargetRef() == null ? null
        : Objects.toString(rollout.getSpec().getTargetRef().getName(), null);
  }
}
