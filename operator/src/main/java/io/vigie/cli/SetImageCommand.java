package io.vigie.cli;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.workload.TemplateHash;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `vigie set-image DEPLOYMENT CONTAINER=IMAGE...`: what kubectl set image does, then which Rollout takes it. */
@Command(name = "set-image", mixinStandardHelpOptions = true,
    description = "Changes container images of a Deployment (as kubectl set image); the Rollout that targets it starts a canary.")
final class SetImageCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "DEPLOYMENT", description = "Name of the Deployment.")
  String deployment;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "CONTAINER=IMAGE", description = "New image per container.")
  List<String> images;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, String> wanted = new LinkedHashMap<>();
    for (String pair : images) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new CliError(CliError.USAGE, "'" + pair + "' is not CONTAINER=IMAGE, e.g. web=ghcr.io/example/web:1.1.0");
      }
      wanted.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    try (ClusterOptions.Cluster c = cluster.connect()) {
      String display = "deployment " + c.namespace() + "/" + deployment;
      Deployment current = ApiCalls.call(c, "get", "deployments.apps", c.namespace(),
          () -> c.client().apps().deployments().inNamespace(c.namespace()).withName(deployment).get());
      if (current == null) {
        throw new CliError(CliError.USAGE, display + " not found");
      }
      // As kubectl set image: containers and init containers alike.
      List<String> names = current.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getName).toList();
      List<String> initNames = Optional.ofNullable(current.getSpec().getTemplate().getSpec().getInitContainers()).orElse(List.of())
          .stream().map(Container::getName).toList();
      for (String container : wanted.keySet()) {
        if (!names.contains(container) && !initNames.contains(container)) {
          List<String> all = new java.util.ArrayList<>(names);
          initNames.forEach(n -> all.add(n + " (init)"));
          throw new CliError(CliError.USAGE, display + " has no container '" + container + "': its containers are "
              + String.join(", ", all));
        }
      }
      // A JSON patch per container, tested against its name, as kubectl set image patches: the
      // operator writes this Deployment too (its paused flag), so an update of our copy could be refused.
      com.fasterxml.jackson.databind.node.ArrayNode patch = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
      for (var list : List.of(Map.entry("containers", names), Map.entry("initContainers", initNames))) {
        for (int i = 0; i < list.getValue().size(); i++) {
          String name = list.getValue().get(i);
          if (wanted.containsKey(name)) {
            String path = "/spec/template/spec/" + list.getKey() + "/" + i;
            patch.addObject().put("op", "test").put("path", path + "/name").put("value", name);
            // add, not replace: a container may have no image field at all.
            patch.addObject().put("op", "add").put("path", path + "/image").put("value", wanted.get(name));
          }
        }
      }
      boolean unchanged = allContainers(current).stream().filter(k -> wanted.containsKey(k.getName()))
          .allMatch(k -> wanted.get(k.getName()).equals(k.getImage()));
      if (unchanged) {
        // Nothing to write: no new revision, so no Rollout starts.
        out.println(display + ": " + String.join(", ", wanted.entrySet().stream()
            .map(w -> "container " + w.getKey() + " already runs " + w.getValue()).toList())
            + "; nothing changed, no new revision");
        out.flush();
        return 0;
      }
      Deployment updated = ApiCalls.call(c, "patch", "deployments.apps", c.namespace(),
          () -> c.client().apps().deployments().inNamespace(c.namespace()).withName(deployment).patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
              patch.toString()));
      for (Container container : allContainers(current)) {
        if (wanted.containsKey(container.getName())) {
          String was = container.getImage() == null ? "(no image)" : container.getImage();
          out.println(display + ": container " + container.getName() + ": " + was + " -> " + wanted.get(container.getName())
              + (was.equals(wanted.get(container.getName())) ? " (unchanged)" : ""));
        }
      }
      String revision = TemplateHash.revisionOf(updated.getSpec().getTemplate());
      List<Rollout> rollouts = ApiCalls.call(c, "list", "rollouts.vigie.io", c.namespace(),
          () -> c.client().resources(Rollout.class).inNamespace(c.namespace()).list().getItems()).stream()
          .filter(r -> r.getSpec() != null && r.getSpec().getTargetRef() != null
              && deployment.equals(r.getSpec().getTargetRef().getName()))
          .toList();
      if (rollouts.isEmpty()) {
        out.println(display + ": no Rollout targets it, so Kubernetes rolls it out as usual (revision " + revision + ")");
      } else {
        out.println(display + ": revision " + revision + " goes through Rollout "
            + rollouts.stream().map(r -> r.getMetadata().getName()).collect(Collectors.joining(", "))
            + "; follow it with: vigie status " + rollouts.get(0).getMetadata().getName() + " --watch, or vigie wait "
            + rollouts.get(0).getMetadata().getName());
      }
      out.flush();
      return 0;
    }
  }

  private static List<Container> allContainers(Deployment d) {
    List<Container> all = new java.util.ArrayList<>(d.getSpec().getTemplate().getSpec().getContainers());
    all.addAll(Optional.ofNullable(d.getSpec().getTemplate().getSpec().getInitContainers()).orElse(List.of()));
    return all;
  }
}
