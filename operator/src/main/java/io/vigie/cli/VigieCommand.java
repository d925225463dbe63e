package io.vigie.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The vigie command line: the operator itself, and (as they land) the commands people and CI use. */
@Command(
    name = "vigie",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Progressive delivery for Kubernetes Deployments: watched canaries that roll themselves back.",
    subcommands = {OperatorCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class VigieCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new VigieCommand()).execute(args));
  }
}
