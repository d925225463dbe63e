package io.vigie.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo needs the embedded playground (simulated cluster, live traffic, Prometheus), which is
 * not in this build: say so plainly and point at what works today, rather than fail obscurely.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs a canary on the embedded playground (arrives with the playground module).")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--scenario", paramLabel = "NAME", description = "good, bad-errors, bad-latency or metrics-outage.")
  String scenario;

  @Override
  public Integer call() {
    System.err.println("""
        vigie demo: the embedded playground is not in this build of Vigie yet.
        What runs today:
          - the whole canary of examples/basic-canary against the test API server:
              mvn -B -q -pl api,operator -am verify -Dtest=ExamplesTest -Dsurefire.failIfNoSpecifiedTests=false
          - on a real cluster: kubectl apply -f crds/ -f examples/basic-canary/ ; ./vigie operator
        See docs/concepts.md.""");
    return 2;
  }
}
