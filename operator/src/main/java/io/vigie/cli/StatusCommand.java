package io.vigie.cli;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `vigie status NAME` (also `vigie get NAME`): the Rollout, its Deployments, steps, weights, metrics and rollback report. */
@Command(name = "status", aliases = "get", mixinStandardHelpOptions = true,
    description = {"Shows where a Rollout is: phase, stable and canary Deployments with ready pods, the steps with a progress "
        + "bar, the weights, each metric's last measurements against its rule, and the rollback report if any."})
final class StatusCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Parameters(paramLabel = "ROLLOUT", description = "Name of the Rollout.")
  String name;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or yaml (the Rollout object). Default: ${DEFAULT-VALUE}.")
  Output output;

  @Option(names = {"-w", "--watch"}, description = "Keep watching: redraws in place on a terminal; elsewhere prints one "
      + "line per change of phase, step, weight or message.")
  boolean watch;

  @Option(names = "--width", paramLabel = "COLUMNS", description = "Width to wrap at. Default: COLUMNS, else 100.")
  Integer width;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", hidden = true,
      description = "How often --watch reads the Rollout.")
  String interval;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The time ages are counted from; tests give the operator's simulated clock. */
  Clock clock = Clock.systemUTC();
  /** True when stdout is a terminal; tests decide. */
  Boolean terminal;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (ClusterOptions.Cluster c = cluster.connect()) {
      if (!watch) {
        out.print(show(c));
        out.flush();
        return 0;
      }
      boolean tty = terminal != null ? terminal : System.console() != null;
      Duration every = CliDurations.interval(interval, "--interval");
      String last = null;
      while (!Thread.currentThread().isInterrupted()) {
        if (tty) {
          String screen = show(c);
          if (!screen.equals(last)) {
            out.print("\033[H\033[2J" + screen);
            out.flush();
            last = screen;
          }
        } else {
          Rollout rollout = RolloutLookup.get(c, name);
          String change = changeLine(rollout.getStatus());
          if (!Objects.equals(change, last)) {
            out.println(Instant.now(clock).toString().substring(11, 19) + " " + change);
            out.flush();
            last = change;
          }
        }
        Thread.sleep(every.toMillis());
      }
      return 0;
    }
  }

  private String show(ClusterOptions.Cluster c) {
    Rollout rollout = RolloutLookup.get(c, name);
    if (output == Output.json) {
      return pretty(c.client().getKubernetesSerialization().asJson(rollout));
    }
    if (output == Output.yaml) {
      return c.client().getKubernetesSerialization().asYaml(rollout);
    }
    return StatusView.render(snapshot(c, rollout), Instant.now(clock), columns());
  }

  static StatusView.Snapshot snapshot(ClusterOptions.Cluster c, Rollout rollout) {
    String target = rollout.getSpec() == null || rollout.getSpec().getTargetRef() == null ? null
        : rollout.getSpec().getTargetRef().getName();
    Optional<Deployment> deployment = Optional.ofNullable(target).map(t -> deployment(c, t));
    Optional<Deployment> canary = Optional.ofNullable(target).map(t -> deployment(c, t + "-canary"));
    // The paused Deployment's template may already be the canary's: the stable pods' images are
    // those of the ReplicaSet of the stable pod-template-hash.
    String hash = rollout.getStatus() == null ? null : rollout.getStatus().getStablePodTemplateHash();
    Optional<String> stableImages = Optional.ofNullable(hash).flatMap(h -> ApiCalls.call(c, "list", "replicasets.apps", c.namespace(),
        () -> c.client().apps().replicaSets().inNamespace(c.namespace()).withLabel("pod-template-hash", h).list().getItems())
        .stream().findFirst()
        .map(rs -> rs.getSpec().getTemplate().getSpec().getContainers().stream().map(k -> k.getImage())
            .collect(java.util.stream.Collectors.joining(", "))));
    return new StatusView.Snapshot(rollout, deployment, canary,
        Optional.of(stableImages.orElse(deployment.map(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()
            .map(k -> k.getImage()).collect(java.util.stream.Collectors.joining(", "))).orElse("?"))));
  }

  private static Deployment deployment(ClusterOptions.Cluster c, String name) {
    return ApiCalls.call(c, "get", "deployments.apps", c.namespace(),
        () -> c.client().apps().deployments().inNamespace(c.namespace()).withName(name).get());
  }

  static String pretty(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).toPrettyString() + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return json + "\n";
    }
  }

  /** One line for a log: what changed is read by people scrolling CI output. */
  static String changeLine(RolloutStatus s) {
    if (s == null) {
      return "phase=Unknown (the operator has not seen the Rollout yet)";
    }
    return "phase=" + s.getPhase() + (s.getStep() == null ? "" : " step=" + s.getStep())
        + " weight=" + (s.getCanaryWeight() == null ? 0 : s.getCanaryWeight())
        + (s.getMessage() == null ? "" : " message=\"" + s.getMessage() + "\"");
  }

  private int columns() {
    if (width != null) {
      return width;
    }
    try {
      return Integer.parseInt(Optional.ofNullable(System.getenv("COLUMNS")).orElse("100").trim());
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}
