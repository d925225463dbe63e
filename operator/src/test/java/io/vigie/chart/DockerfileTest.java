package io.vigie.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, read as text (this machine has no container engine to build it): the stages,
 * the user and the command the docs and the chart rely on.
 */
class DockerfileTest {
  private static final Path DOCKERFILE = Path.of(System.getProperty("vigie.dockerfile", "../Dockerfile"));

  @Test
  void buildsTheShadedJarWithAJdkAndRunsItOnAJreAsTheChartsNonRootUser() throws IOException {
    List<String> lines = Files.readAllLines(DOCKERFILE).stream().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(from).hasSize(2);
    assertThat(from.get(0)).matches("FROM maven:[^ ]*eclipse-temurin-17 AS build");
    assertThat(from.get(1)).matches("FROM eclipse-temurin:17-jre[^ ]*");
    String text = String.join("\n", lines);
    assertThat(text).contains("-pl operator -am -DskipTests package").contains("operator/target/vigie.jar");
    assertThat(lines).contains("COPY --from=build /vigie.jar /app/vigie.jar");
    // The last stage's instructions, in order.
    List<String> run = lines.subList(lines.indexOf(from.get(1)), lines.size());
    assertThat(run).filteredOn(l -> l.startsWith("ENTRYPOINT")).containsExactly("ENTRYPOINT [\"java\", \"-jar\", \"/app/vigie.jar\"]");
    assertThat(run).filteredOn(l -> l.startsWith("CMD")).containsExactly("CMD [\"operator\"]");
    String user = run.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow().substring(5);
    assertThat(user).matches("[1-9][0-9]*:[1-9][0-9]*");

    PodSpec pod = HelmChart.render(Map.of()).deployment().getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup()).isEqualTo(user);
    // The chart's args replace CMD: they start with the same subcommand.
    assertThat(pod.getContainers().get(0).getArgs().get(0)).isEqualTo("operator");
    assertThat(pod.getContainers().get(0).getCommand()).isNullOrEmpty();
  }

  @Test
  void theShadedJarIsTheOneTheDockerfileCopies() throws IOException {
    String pom = Files.readString(DOCKERFILE.resolveSibling("operator").resolve("pom.xml"));
    assertThat(pom).contains("<finalName>vigie</finalName>").contains("<mainClass>io.vigie.cli.VigieCommand</mainClass>");
  }
}
