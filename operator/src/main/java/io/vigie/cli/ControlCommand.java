package io.vigie.cli;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vigie.api.v1alpha1.ControlRecord;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.ControlRules;
import io.vigie.core.PendingControl.Control;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A manual control (promote, abort, retry, pause, resume): the same annotation a person would set
 * with kubectl, then what the operator did with it, read back from status.lastControl.
 */
abstract class ControlCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Parameters(paramLabel = "ROLLOUT", description = "Name of the Rollout.")
  String name;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long to wait for the operator to act on it (0s: do not wait). Default: ${DEFAULT-VALUE}.")
  String timeout;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  abstract Control control();

  String value() {
    return "true";
  }

  /**
   * Why the control would do nothing in this state, if it would not: the operator's own rule
   * (ControlRules), asked before the annotation is written.
   */
  Optional<String> refusal(RolloutStatus status, String rollout) {
    return ControlRules.refusal(control(), status).map(why -> rollout + ": " + why
        + (status.getPhase() == RolloutPhase.Invalid ? " (" + status.getMessage() + ")" : ""));
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Duration wait = CliDurations.parse(timeout, "--timeout");
    try (ClusterOptions.Cluster c = cluster.connect()) {
      Rollout rollout = RolloutLookup.get(c, name);
      RolloutStatus status = rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
      String display = c.namespace() + "/" + name;
      Optional<String> refused = refusal(status, display);
      if (refused.isPresent()) {
        throw new CliError(CliError.FAILED, refused.get());
      }
      String before = Optional.ofNullable(status.getLastControl()).map(ControlRecord::getId).orElse(null);
      String patch = control().requestPatch(value());
      ApiCalls.call(c, "patch", "rollouts.vigie.io", c.namespace(), () -> c.client().resources(Rollout.class)
          .inNamespace(c.namespace()).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
      out.println(display + ": requested " + control().annotation() + "=" + value());
      out.flush();
      if (wait.isZero()) {
        return 0;
      }
      long deadline = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < deadline) {
        Thread.sleep(200);
        RolloutStatus now = Optional.ofNullable(RolloutLookup.get(c, name).getStatus()).orElseGet(RolloutStatus::new);
        ControlRecord last = now.getLastControl();
        if (last != null && !Objects.equals(last.getId(), before) && control().word().equals(last.getAction())) {
          out.println(display + ": " + last.getResult());
          out.println(display + ": now " + StatusCommand.changeLine(now));
          out.flush();
          return last.getResult() != null && last.getResult().startsWith("ignored") ? CliError.FAILED : 0;
        }
      }
      throw new CliError(2, display + ": the operator has not acted on " + control().annotation() + " after " + timeout
          + ": is it running? The annotation stays and is applied when it does");
    }
  }

  @picocli.CommandLine.Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Completes the current step of a canary (a pause, an inconclusive analysis); --full skips the remaining steps.")
  static final class Promote extends ControlCommand {
    @Option(names = "--full", description = "Skip every remaining step: promote now.")
    boolean full;

    @Override
    Control control() {
      return Control.PROMOTE;
    }

    @Override
    String value() {
      return full ? "full" : "true";
    }

  }

  @picocli.CommandLine.Command(name = "abort", mixinStandardHelpOptions = true,
      description = "Rolls a canary back now: traffic to stable first, then the canary's pods removed.")
  static final class Abort extends ControlCommand {
    @Override
    Control control() {
      return Control.ABORT;
    }

  }

  @picocli.CommandLine.Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Runs a rolled-back revision again from step 1.")
  static final class Retry extends ControlCommand {
    @Override
    Control control() {
      return Control.RETRY;
    }

  }

  @picocli.CommandLine.Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Holds a canary at its current step (a failing analysis still rolls it back).")
  static final class Pause extends ControlCommand {
    @Override
    Control control() {
      return Control.PAUSE;
    }

  }

  @picocli.CommandLine.Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused canary.")
  static final class Resume extends ControlCommand {
    @Override
    Control control() {
      return Control.RESUME;
    }

  }
}
