package io.vigie.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigie.convert.Converted;
import io.vigie.convert.Manifest;
import io.vigie.convert.ManifestConverter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `vigie convert -f FILE`: Argo Rollouts and Flagger manifests as Vigie's, on standard output (docs/cli.md). */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {"Converts Argo Rollouts (Rollout, AnalysisTemplate, ClusterAnalysisTemplate) and Flagger (Canary, "
        + "MetricTemplate) manifests to Vigie's and prints them as YAML; other objects of the files are printed too, their "
        + "routes pointed at Vigie's Services. Each object is preceded by comments: where it came from, what could not be "
        + "carried over and why, and what to do before applying.",
        "Exit codes: 0 converted, 3 unreadable input or nothing to convert."})
final class ConvertCommand implements Callable<Integer> {
  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "A YAML file of manifests, - for standard input; repeatable (give the Canary and its MetricTemplates together).")
  List<String> files;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<ObjectNode> documents = new ArrayList<>();
    for (String file : files) {
      documents.addAll(read(file));
    }
    if (!ManifestConverter.hasPeerObjects(documents)) {
      throw new CliError(CliError.USAGE, "nothing to convert in " + String.join(", ", files) + ": no argoproj.io Rollout, "
          + "AnalysisTemplate or ClusterAnalysisTemplate, no flagger.app Canary or MetricTemplate");
    }
    List<Converted> converted = ManifestConverter.convert(documents);
    spec.commandLine().getOut().print(Manifest.write(converted));
    spec.commandLine().getOut().flush();
    return 0;
  }

  private List<ObjectNode> read(String file) {
    try {
      String text = "-".equals(file) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
      return Manifest.read(text, "-".equals(file) ? "standard input" : file);
    } catch (NoSuchFileException e) {
      throw new CliError(CliError.USAGE, file + ": no such file");
    } catch (IOException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new CliError(CliError.USAGE, message.startsWith(file) ? message : file + ": " + message, e);
    }
  }
}
