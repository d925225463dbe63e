package io.vigie.cli;

import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `vigie list`: one line per Rollout, like kubectl get. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "Lists Rollouts with their phase, step and weight.")
final class ListCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Option(names = {"-A", "--all-namespaces"}, description = "Rollouts of every namespace.")
  boolean all;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text, json or yaml.")
  Output output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (ClusterOptions.Cluster c = cluster.connect()) {
      List<Rollout> rollouts = new ArrayList<>(ApiCalls.call(c, "list", "rollouts.vigie.io", all ? null : c.namespace(),
          () -> all ? c.client().resources(Rollout.class).inAnyNamespace().list().getItems()
              : c.client().resources(Rollout.class).inNamespace(c.namespace()).list().getItems()));
      rollouts.sort(Comparator.comparing((Rollout r) -> r.getMetadata().getNamespace()).thenComparing(r -> r.getMetadata().getName()));
      if (output != Output.text) {
        var list = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceList();
        list.setApiVersion("v1");
        list.setKind("List");
        list.setItems(rollouts.stream().map(r -> c.client().getKubernetesSerialization()
            .convertValue(r, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).toList());
        out.print(output == Output.json ? StatusCommand.pretty(c.client().getKubernetesSerialization().asJson(list))
            : c.client().getKubernetesSerialization().asYaml(list));
        out.flush();
        return 0;
      }
      if (rollouts.isEmpty()) {
        out.println("No Rollouts in " + (all ? "any namespace" : "namespace " + c.namespace()) + ".");
        out.flush();
        return 0;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(all ? new String[] {"NAMESPACE", "NAME", "PHASE", "STEP", "WEIGHT", "STABLE", "CANARY", "AGE", "MESSAGE"}
          : new String[] {"NAME", "PHASE", "STEP", "WEIGHT", "STABLE", "CANARY", "AGE", "MESSAGE"});
      Instant now = Instant.now(clock);
      for (Rollout r : rollouts) {
        RolloutStatus s = r.getStatus() == null ? new RolloutStatus() : r.getStatus();
        List<String> row = new ArrayList<>();
        if (all) {
          row.add(r.getMetadata().getNamespace());
        }
        row.add(r.getMetadata().getName());
        row.add(s.getPhase() == null ? "Unknown" : s.getPhase().name());
        row.add(s.getStep() == null ? "-" : s.getStep());
        row.add((s.getCanaryWeight() == null ? 0 : s.getCanaryWeight()) + "%");
        row.add(s.getStableRevision() == null ? "-" : s.getStableRevision());
        row.add(s.getCanaryRevision() == null ? "-" : s.getCanaryRevision());
        row.add(r.getMetadata().getCreationTimestamp() == null ? "-" : StatusView.age(r.getMetadata().getCreationTimestamp(), now));
        String message = s.getMessage() == null ? "" : s.getMessage();
        row.add(message.length() > 60 ? message.substring(0, 57) + "..." : message);
        rows.add(row.toArray(String[]::new));
      }
      Table.print(out, rows);
      out.flush();
      return 0;
    }
  }
}
