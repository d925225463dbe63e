package io.vigie.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vigie.api.v1alpha1.AnalysisTemplate;
import io.vigie.api.v1alpha1.AnalysisTemplateSpec;
import io.vigie.api.v1alpha1.ClusterAnalysisTemplate;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.simulate.Recordings;
import io.vigie.simulate.Replay;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `vigie simulate -f rollout.yaml --metrics recorded.csv`: the release replayed by the real decision
 * core on recorded metrics, no cluster (docs/cli.md). Exit 0 promoted, 1 rolled back or invalid, 2 no
 * verdict by the end of the recordings or waiting for a person, 3 bad input.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Replays a release on recorded metrics with Vigie's decision core, and prints the timeline it would have "
        + "taken: steps, measurements and verdicts, guards that held, the rollback or the promotion.",
        "Exit codes: 0 promoted, 1 rolled back or invalid, 2 no verdict by the end of the recordings (or waiting for a person), "
            + "3 bad input."})
final class SimulateCommand implements Callable<Integer> {
  static final int UNDECIDED = 2;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "YAML with the Rollout and the AnalysisTemplates (or ClusterAnalysisTemplates) it names; repeatable.")
  List<Path> files;

  @Option(names = "--metrics", required = true, paramLabel = "[NAME=]FILE",
      description = "Recorded series: a CSV (header time,series,value) or a Prometheus query_range answer (JSON; each series "
          + "named by its series label, or NAME=FILE for a one-series answer); repeatable.")
  List<String> metrics;

  @Option(names = "--traffic", paramLabel = "FILE",
      description = "The Service's request rate, for the surge guard (the series guards.surge), as a CSV or query_range answer.")
  String traffic;

  @Option(names = "--replicas", paramLabel = "N", defaultValue = "10", description = "The Deployment's replicas. Default: ${DEFAULT-VALUE}.")
  int replicas;

  @Option(names = "--release-at", paramLabel = "TIME",
      description = "When the new version is applied (RFC 3339). Default: the first recorded sample.")
  String releaseAt;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Recordings recordings = new Recordings();
    try {
      for (String m : metrics) {
        recordings.read(m);
      }
      if (traffic != null) {
        recordings.read(traffic, "guards.surge");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CliError(CliError.USAGE, e.getMessage());
    }
    if (recordings.isEmpty()) {
      throw new CliError(CliError.USAGE, "the recordings hold no sample");
    }
    Manifests manifests = read(files);
    if (replicas < 1) {
      throw new CliError(CliError.USAGE, "--replicas is at least 1");
    }
    Instant start = releaseAt == null ? recordings.first() : instant(releaseAt);
    Replay.Result result;
    try {
      result = Replay.run(new Replay.Input(manifests.rollout(), manifests.templates(), manifests.clusterTemplates(), recordings,
          replicas, start, recordings.last()));
    } catch (IllegalArgumentException e) {
      throw new CliError(CliError.USAGE, e.getMessage());
    }
    out.println("Rollout " + manifests.rollout().getMetadata().getName() + " replayed from " + start + " to " + recordings.last()
        + " on " + String.join(", ", recordings.names()));
    result.lines().forEach(out::println);
    out.flush();
    return switch (result.verdict()) {
      case PROMOTED -> 0;
      case ROLLED_BACK, INVALID -> CliError.FAILED;
      case WAITS_FOR_A_PERSON, UNDECIDED -> UNDECIDED;
    };
  }

  private record Manifests(Rollout rollout, Map<String, AnalysisTemplateSpec> templates,
      Map<String, AnalysisTemplateSpec> clusterTemplates) {}

  private static Manifests read(List<Path> files) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<Rollout> rollouts = new ArrayList<>();
    Map<String, AnalysisTemplateSpec> templates = new HashMap<>();
    Map<String, AnalysisTemplateSpec> clusterTemplates = new HashMap<>();
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new CliError(CliError.USAGE, "cannot read " + file + ": " + e.getMessage());
      }
      for (String document : text.split("(?m)^---\\s*$")) {
        if (document.isBlank()) {
          continue;
        }
        JsonNode tree;
        try {
          tree = serialization.unmarshal(document, JsonNode.class);
        } catch (RuntimeException e) {
          throw new CliError(CliError.USAGE, file + ": not YAML: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
          continue;
        }
        String kind = tree.path("kind").asText();
        switch (kind) {
          case "Rollout" -> rollouts.add(serialization.convertValue(tree, Rollout.class));
          case "AnalysisTemplate" -> {
            AnalysisTemplate t = serialization.convertValue(tree, AnalysisTemplate.class);
            templates.put(t.getMetadata().getName(), t.getSpec());
          }
          case "ClusterAnalysisTemplate" -> {
            ClusterAnalysisTemplate t = serialization.convertValue(tree, ClusterAnalysisTemplate.class);
            clusterTemplates.put(t.getMetadata().getName(), t.getSpec());
          }
          default -> { }  // Deployments, Services, routes: the replay simulates them
        }
      }
    }
    if (rollouts.size() != 1) {
      throw new CliError(CliError.USAGE, "the files hold " + rollouts.size() + " Rollouts: give exactly one");
    }
    Rollout rollout = rollouts.get(0);
    if (rollout.getSpec() == null || rollout.getSpec().getSchemaProblem() != null) {
      throw new CliError(CliError.USAGE, "Rollout " + rollout.getMetadata().getName() + " does not fit its schema"
          + (rollout.getSpec() == null ? "" : " at " + rollout.getSpec().getSchemaProblem()));
    }
    return new Manifests(rollout, templates, clusterTemplates);
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CliError(CliError.USAGE, "--release-at " + text + " is not an RFC 3339 time, e.g. 2026-11-20T10:00:00Z");
    }
  }
}
