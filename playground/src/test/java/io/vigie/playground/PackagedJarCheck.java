package io.vigie.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The playground jar as `./vigie demo` runs it, after the build packaged it (Maven's
 * integration-test phase, the surefire execution `packaged-jar`): its own classpath, not the
 * tests'. A dependency only the tests had once broke the demo on every machine with Prometheus.
 */
class PackagedJarCheck {
  @Test
  void theDemoRunsFromTheJarWithARealPrometheusAndRollsTheBadReleaseBack() throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("vigie.playground.jar", "target/vigie-playground.jar"));
    assertThat(jar).as("the packaged jar").exists();
    Path output = Files.createTempFile("vigie-demo", ".txt");
    Path log = Files.createTempFile("vigie-demo", ".log");
    Process demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString(), "demo", "--scenario", "bad-errors", "--metrics", "prometheus", "--log-file", log.toString()))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean ended = demo.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      demo.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(ended).as("the demo ended within 5 minutes: %s", printed).isTrue();
    assertThat(demo.exitValue()).as(printed).isZero();
    assertThat(printed).contains("metrics: Prometheus at").containsPattern("RESULT phase=RolledBack revision=\\S+");
  }
}
