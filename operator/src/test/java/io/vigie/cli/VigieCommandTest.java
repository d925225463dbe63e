package io.vigie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line as a person meets it: help, options, and errors. */
class VigieCommandTest {
  private final CommandLineRun cli = new CommandLineRun();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private int run(String... args) {
    return cli.execute(args);
  }

  @Test
  void operatorHelpListsItsOptions() {
    assertThat(run("operator", "--help")).isZero();
    assertThat(out.toString())
        .contains("Usage: vigie operator")
        .contains("--namespaces=NS[,NS...]")
        .contains("Default: all")
        .contains("--log-format=FORMAT")
        .contains("--metrics-port=PORT")
        .contains("--context=NAME");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(run("operator", "--namespace", "shop")).isEqualTo(3);
    assertThat(err.toString()).contains("Unknown options: '--namespace'").contains("Possible solutions: --namespaces");
  }

  @Test
  void aBadLogFormatNamesTheChoices() {
    assertThat(run("operator", "--log-format", "xml")).isEqualTo(3);
    assertThat(err.toString()).contains("Invalid value for option '--log-format'").contains("text, json");
  }

  @Test
  void anUnreachableClusterIsSaidInOneLineWithExitCode3(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path kubeconfig = dir.resolve("config");
    java.nio.file.Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: me, user: {token: x}}]
        contexts: [{name: nowhere, context: {cluster: nowhere, user: me}}]
        current-context: nowhere
        """);
    String before = System.getProperty("kubeconfig");
    try {
      assertThat(run("operator", "--kubeconfig", kubeconfig.toString())).isEqualTo(3);
    } finally {
      if (before == null) {
        System.clearProperty("kubeconfig");
      } else {
        System.setProperty("kubeconfig", before);
      }
    }
    assertThat(err.toString()).startsWith("vigie operator: cannot reach the Kubernetes API at https://127.0.0.1:1/")
        .contains("check KUBECONFIG, --kubeconfig or --context");
  }

  @Test
  void theTopLevelHelpListsTheCommandsEachInAWholeSentence() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("operator").contains("demo");
    String waitLine = out.toString().lines().filter(l -> l.trim().startsWith("wait ")).findFirst().orElseThrow();
    assertThat(waitLine.trim()).endsWith(".").contains("exit 0 Healthy, 1 rolled back");
  }

  @Test
  void aShardSelectorThatIsNotALabelSelectorIsRefusedBeforeStarting() {
    assertThat(run("operator", "--shard-selector", "vigie.io/shard in a")).isEqualTo(3);
    assertThat(err.toString().strip()).isEqualTo("vigie operator: --shard-selector 'vigie.io/shard in a': 'vigie.io/shard in a' is "
        + "not a label selector requirement (key=value, key!=value, key in (a,b), key notin (a,b), key or !key)");
    for (String good : List.of("vigie.io/shard=a", "vigie.io/shard!=a", "vigie.io/shard in (a, b)", "team notin (x),tier",
        "!vigie.io/shard", "env==prod")) {
      assertThat(ShardSelector.problem(good)).as(good).isEmpty();
    }
    for (String bad : List.of("", "=a", "a=b=c", "shard in ()x", "Bad_Prefix.io/x=y")) {
      assertThat(ShardSelector.problem(bad)).as(bad).isPresent();
    }
  }

  @Test
  void aKubeconfigThatDoesNotExistIsNamed() {
    assertThat(run("operator", "--kubeconfig", "./missing.kubeconfig")).isEqualTo(3);
    assertThat(err.toString().strip()).isEqualTo("vigie operator: --kubeconfig ./missing.kubeconfig: no such file");
    assertThat(run("status", "web", "--kubeconfig", "./missing.kubeconfig")).isEqualTo(3);
    assertThat(err.toString()).contains("--kubeconfig ./missing.kubeconfig: no such file");
  }

  @Test
  void withNoKubeconfigAnywhereTheMessageSaysWhereItLooked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home)
      throws java.io.IOException {
    java.nio.file.Path token = home.resolve("token");
    assertThat(KubeconfigSource.problem(null, java.util.Map.of(), home, token)).hasValue("no kubeconfig found: --kubeconfig "
        + "not given, KUBECONFIG not set, no " + home.resolve(".kube/config") + ", and not in a pod (no KUBERNETES_SERVICE_HOST "
        + "with a service account token at " + token + "). Give --kubeconfig PATH or set KUBECONFIG");
    assertThat(KubeconfigSource.problem(null, java.util.Map.of("KUBECONFIG", home + "/a:" + home + "/b"), home, token))
        .hasValue("KUBECONFIG=" + home + "/a:" + home + "/b: no such file");
    java.nio.file.Files.createDirectories(home.resolve(".kube"));
    java.nio.file.Files.writeString(home.resolve(".kube/config"), "apiVersion: v1\n");
    assertThat(KubeconfigSource.problem(null, java.util.Map.of(), home, token)).isEmpty();
    java.nio.file.Files.writeString(token, "t");
    assertThat(KubeconfigSource.problem(null, java.util.Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), home.resolve("elsewhere"),
        token)).as("in a pod").isEmpty();
  }
}
