package io.vigie.cli;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

  @Option(names = "--width", paramLabel = "COLUMNS", description = "Width to wrap at. Default: COLUMNS, else the terminal's "
      + "width, else 100.")
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
            .map(k -> k.getImage()).collect(java.util.stream.Collectors.joining(", "))).orElse("?"))),
        deployment.map(d -> podSets(c, d)).orElse(List.of()), canary.map(d -> podSets(c, d)).orElse(List.of()));
  }

  /** The ReplicaSets of a Deployment that have or want pods, oldest first, each with its pods. */
  private static List<StatusView.PodSet> podSets(ClusterOptions.Cluster c, Deployment d) {
    if (d.getSpec().getSelector() == null || d.getSpec().getSelector().getMatchLabels() == null) {
      return List.of();
    }
    String uid = d.getMetadata().getUid();
    List<ReplicaSet> owned = ApiCalls.call(c, "list", "replicasets.apps", c.namespace(),
        () -> c.client().apps().replicaSets().inNamespace(c.namespace()).withLabels(d.getSpec().getSelector().getMatchLabels())
            .list().getItems()).stream()
        .filter(rs -> ownedBy(rs.getMetadata().getOwnerReferences(), uid))
        .filter(rs -> count(rs.getSpec().getReplicas()) > 0 || (rs.getStatus() != null && count(rs.getStatus().getReplicas()) > 0))
        .sorted(Comparator.comparing((ReplicaSet rs) -> String.valueOf(rs.getMetadata().getCreationTimestamp())))
        .toList();
    List<StatusView.PodSet> sets = new ArrayList<>();
    for (ReplicaSet rs : owned) {
      String hash = rs.getMetadata().getLabels() == null ? "-" : rs.getMetadata().getLabels().getOrDefault("pod-template-hash", "-");
      sets.add(new StatusView.PodSet(rs.getMetadata().getName(), hash,
          rs.getStatus() == null ? 0 : count(rs.getStatus().getReadyReplicas()), count(rs.getSpec().getReplicas()),
          pods(c, rs)));
    }
    return sets;
  }

  /** The pods of a ReplicaSet; none when this user may not list pods (the rest of the view still helps). */
  private static List<StatusView.Pod> pods(ClusterOptions.Cluster c, ReplicaSet rs) {
    List<Pod> pods;
    try {
      pods = ApiCalls.call(c, "list", "pods", c.namespace(), () -> c.client().pods().inNamespace(c.namespace())
          .withLabel("pod-template-hash", rs.getMetadata().getLabels().get("pod-template-hash")).list().getItems());
    } catch (CliError forbidden) {
      return List.of();
    }
    return pods.stream().filter(p -> ownedBy(p.getMetadata().getOwnerReferences(), rs.getMetadata().getUid()))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .map(StatusCommand::pod).toList();
  }

  private static StatusView.Pod pod(Pod pod) {
    PodStatus status = pod.getStatus();
    boolean ready = status != null && status.getConditions() != null && status.getConditions().stream()
        .anyMatch(k -> "Ready".equals(k.getType()) && "True".equals(k.getStatus()));
    List<ContainerStatus> containers = status == null || status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
    int restarts = containers.stream().mapToInt(k -> count(k.getRestartCount())).sum();
    String state = pod.getMetadata().getDeletionTimestamp() != null ? "terminating"
        : containers.stream().filter(k -> k.getState() != null && k.getState().getWaiting() != null)
            .map(k -> k.getState().getWaiting().getReason()).filter(Objects::nonNull).findFirst()
            .orElse(status == null || status.getPhase() == null || "Running".equals(status.getPhase()) ? "not ready" : status.getPhase());
    return new StatusView.Pod(pod.getMetadata().getName(), ready, state, restarts);
  }

  private static boolean ownedBy(List<OwnerReference> owners, String uid) {
    return owners != null && uid != null && owners.stream().anyMatch(o -> uid.equals(o.getUid()));
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
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
      String columns = System.getenv("COLUMNS");
      if (columns != null && !columns.isBlank()) {
        return Integer.parseInt(columns.trim());
      }
    } catch (NumberFormatException e) {
      // Not a number: ask the terminal.
    }
    return System.console() == null ? 100 : TerminalWidth.read().orElse(100);
  }
}
