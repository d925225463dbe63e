package io.vigie.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The vigie command line: the operator itself, the commands people on call use to see and steer a
 * rollout, and `wait` for CI pipelines. Exit codes: 0 done, 1 the rollout failed or the command
 * makes no sense in its phase, 2 a timeout, 3 a usage, connection, permission or not-found error.
 */
@Command(
    name = "vigie",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    exitCodeOnInvalidInput = CliError.USAGE,
    exitCodeOnExecutionException = CliError.USAGE,
    versionProvider = VersionProvider.class,
    description = "Progressive delivery for Kubernetes Deployments: watched canaries that roll themselves back.",
    subcommands = {ListCommand.class, StatusCommand.class, ControlCommand.Promote.class, ControlCommand.Abort.class,
        ControlCommand.Retry.class, ControlCommand.Pause.class, ControlCommand.Resume.class, SetImageCommand.class,
        WaitCommand.class, SimulateCommand.class, ConvertCommand.class, DashboardCommand.class, OperatorCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class VigieCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line with its error handling: a failure is one line on stderr and an exit code. */
  public static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /** With a factory of the caller's, e.g. one that gives the commands a simulated clock. */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    CommandLine cli = new CommandLine(new VigieCommand(), factory);
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      PrintWriter err = command.getErr();
      if (e instanceof CliError error) {
        err.println("vigie " + command.getCommandName() + ": " + error.getMessage());
        err.flush();
        return error.exitCode();
      }
      // Anything else is still one line and exit 3: a stack trace and exit 1 would read as "rolled back" to CI.
      err.println("vigie " + command.getCommandName() + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
      err.flush();
      return CliError.USAGE;
    });
    return cli;
  }

  public static void main(String[] args) {
    if (args.length == 0 || !"operator".equals(args[0])) {
      // A person's command prints its answer; the client library's notices (v1alpha1 is unstable) are noise there.
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.fabric8")).setLevel(ch.qos.logback.classic.Level.ERROR);
    }
    System.exit(commandLine().execute(args));
  }
}
