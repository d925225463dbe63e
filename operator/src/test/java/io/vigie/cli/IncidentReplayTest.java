package io.vigie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed incident (examples/incidents: a bad release during a surge with a metrics gap,
 * recorded by the playground) replayed as its comments say: the gap and the surge hold the steps,
 * and the canary is rolled back while held.
 */
class IncidentReplayTest {
  private static final Path INCIDENT = Path.of(System.getProperty("vigie.examples", "../examples"), "incidents");

  @Test
  void theGapAndTheSurgeHoldTheStepsAndTheBadCanaryIsRolledBackWhileHeld() throws IOException {
    Path recording = INCIDENT.resolve("recorded.csv");
    String note = Files.readAllLines(recording).stream().filter(l -> l.startsWith("# released")).findFirst().orElseThrow();
    String releaseAt = note.substring(note.lastIndexOf(' ') + 1);
    assertThat(Files.readString(INCIDENT.resolve("rollout.yaml"))).as("the example's comment gives the same command")
        .contains("--release-at " + releaseAt);
    CommandLineRun cli = new CommandLineRun();
    StringWriter out = cli.out;
    StringWriter err = cli.err;

    int exit = cli.execute("simulate", "-f", INCIDENT.resolve("rollout.yaml").toString(), "--metrics", recording.toString(),
        "--replicas", "4", "--release-at", releaseAt);

    assertThat(exit).as(err.toString()).isEqualTo(1);
    List<String> lines = out.toString().lines().toList();
    int gap = index(lines, "MEASURE  background/error-rate: Inconclusive - the recording of error-rate has no sample");
    int surge = index(lines, "MEASURE  guard-surge/traffic: Failed - ");
    int rolledBack = index(lines, "VERDICT  rolled back (AnalysisFailed): analysis error-rate failed: ");
    assertThat(gap).as("the gap comes first").isLessThan(surge);
    assertThat(surge).as("the surge is seen before the rollback").isLessThan(rolledBack);
    assertThat(lines.subList(gap, rolledBack)).as("no step passes from the gap to the rollback")
        .noneMatch(l -> l.contains("StepCompleted"));
    assertThat(lines.get(rolledBack - 1)).contains("STATE    RolledBack, step 2/4");
    String heldState = lines.subList(0, rolledBack - 1).stream().filter(l -> l.contains("STATE")).reduce((a, b) -> b).orElseThrow();
    assertThat(heldState).as("held when the canary was rolled back").endsWith("held (TrafficSurge)");
  }

  private static int index(List<String> lines, String start) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).substring(8).startsWith(start)) {
        return i;
      }
    }
    throw new AssertionError("no line starting with '" + start + "' in:\n" + String.join("\n", lines));
  }
}
