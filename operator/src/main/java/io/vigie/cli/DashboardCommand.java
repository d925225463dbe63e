package io.vigie.cli;

import io.vigie.dashboard.DashboardServer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `vigie dashboard`: the web dashboard on this machine, with the user's kubeconfig (docs/dashboard.md). */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = {"Serves the web dashboard on this machine with your kubeconfig's credentials: every Rollout, live, and the "
        + "actions (promote, abort, retry, pause, resume) with a confirmation. Stops with Ctrl-C."})
final class DashboardCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Option(names = {"-A", "--all-namespaces"}, description = "Rollouts of every namespace.")
  boolean allNamespaces;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "3100", description = "Port. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--address", paramLabel = "IP", defaultValue = "127.0.0.1",
      description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only: the dashboard acts with your credentials).")
  String address;

  @Option(names = "--read-only", description = "Show, offer no action.")
  boolean readOnly;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new CliError(CliError.USAGE, "--port " + port + " is not a port (0 to 65535)");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ClusterOptions.Cluster c = cluster.connect()) {
      Optional<String> namespace = allNamespaces ? Optional.empty() : Optional.of(c.namespace());
      DashboardServer dashboard;
      try {
        dashboard = DashboardServer.start(c.client(), namespace, new InetSocketAddress(address, port), readOnly,
            Clock.systemUTC());
      } catch (UncheckedIOException e) {
        throw new CliError(CliError.USAGE, e.getMessage() + (port != 0 ? " (another --port?)" : ""), e);
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        dashboard.close();
        stopped.countDown();
      }, "vigie-dashboard-stop"));
      out.println("Vigie dashboard: " + dashboard.url() + " (" + namespace.map(ns -> "namespace " + ns).orElse("all namespaces")
          + " of " + c.server() + (readOnly ? ", read-only" : "") + "; Ctrl-C stops it)");
      out.flush();
      stopped.await();
      return 0;
    }
  }
}
