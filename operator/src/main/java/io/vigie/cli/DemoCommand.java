package io.vigie.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo runs on the embedded playground, a separate build (the playground module) that the
 * launcher starts for `./vigie demo`. This jar alone (the operator's image) has no playground.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs a canary on the embedded playground: use the launcher of a clone of the repository, ./vigie demo.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--scenario", paramLabel = "NAME", description = "good, bad-errors, bad-latency, metrics-outage, warm-up, surge, bad-during-surge or quiet.")
  String scenario;

  @Option(names = "--judge", paramLabel = "JUDGE", description = "threshold, sequential or compare.")
  String judge;

  @Override
  public Integer call() {
    System.err.println("""
        vigie demo: this jar is the operator alone; the demo runs on the embedded playground.
        From a clone of the repository: ./vigie demo [--scenario good|bad-errors|bad-latency|metrics-outage|warm-up|surge|bad-during-surge|quiet]
        [--judge threshold|sequential|compare]
        (the launcher builds and starts the playground). See docs/playground.md.""");
    return 3;
  }
}
