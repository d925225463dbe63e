package io.vigie.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What changed from the stable pod template to the canary's, in the terms a person on call looks
 * for first: images, env, args and command, resources, probes, and the ConfigMaps and Secrets
 * the pods reference.
 */
public final class TemplateDiff {
  private static final int MAX_VALUE = 60;

  private TemplateDiff() {}

  public static List<String> between(PodTemplateSpec stable, PodTemplateSpec canary) {
    List<String> changes = new ArrayList<>();
    PodSpec before = Optional.ofNullable(stable.getSpec()).orElseGet(PodSpec::new);
    PodSpec after = Optional.ofNullable(canary.getSpec()).orElseGet(PodSpec::new);
    containers(before.getInitContainers(), after.getInitContainers(), "init container ", changes);
    containers(before.getContainers(), after.getContainers(), "container ", changes);
    references(before, after, changes);
    if (changes.isEmpty() && !TemplateHash.revisionOf(stable).equals(TemplateHash.revisionOf(canary))) {
      changes.add("the pod template changed in other fields (labels, annotations, volumes, scheduling, ...)");
    }
    return changes;
  }

  private static void containers(List<Container> before, List<Container> after, String kind, List<String> changes) {
    Map<String, Container> old = byName(before);
    Map<String, Container> now = byName(after);
    for (String name : union(old.keySet(), now.keySet())) {
      Container a = old.get(name);
      Container b = now.get(name);
      String where = kind + name + ": ";
      if (a == null) {
        changes.add(kind + name + " added (" + b.getImage() + ")");
        continue;
      }
      if (b == null) {
        changes.add(kind + name + " removed");
        continue;
      }
      change(changes, where + "image", a.getImage(), b.getImage());
      change(changes, where + "command", a.getCommand(), b.getCommand());
      change(changes, where + "args", a.getArgs(), b.getArgs());
      env(a, b, where, changes);
      resources(a.getResources(), b.getResources(), where, changes);
      if (!Objects.equals(a.getReadinessProbe(), b.getReadinessProbe())) {
        changes.add(where + "readinessProbe changed");
      }
      if (!Objects.equals(a.getLivenessProbe(), b.getLivenessProbe())) {
        changes.add(where + "livenessProbe changed");
      }
      if (!Objects.equals(a.getStartupProbe(), b.getStartupProbe())) {
        changes.add(where + "startupProbe changed");
      }
    }
  }

  private static void env(Container a, Container b, String where, List<String> changes) {
    Map<String, String> old = envOf(a);
    Map<String, String> now = envOf(b);
    for (String name : union(old.keySet(), now.keySet())) {
      String x = old.get(name);
      String y = now.get(name);
      if (x == null) {
        changes.add(where + "env " + name + " added (" + y + ")");
      } else if (y == null) {
        changes.add(where + "env " + name + " removed");
      } else if (!x.equals(y)) {
        changes.add(where + "env " + name + " " + x + " → " + y);
      }
    }
  }

  private static Map<String, String> envOf(Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar v : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
      String value;
      if (v.getValueFrom() == null) {
        value = shorten(v.getValue());
      } else if (v.getValueFrom().getSecretKeyRef() != null) {
        value = "from Secret " + v.getValueFrom().getSecretKeyRef().getName() + "/" + v.getValueFrom().getSecretKeyRef().getKey();
      } else if (v.getValueFrom().getConfigMapKeyRef() != null) {
        value = "from ConfigMap " + v.getValueFrom().getConfigMapKeyRef().getName() + "/"
            + v.getValueFrom().getConfigMapKeyRef().getKey();
      } else {
        value = "from a field reference";
      }
      env.put(v.getName(), value);
    }
    return env;
  }

  private static void resources(ResourceRequirements a, ResourceRequirements b, String where, List<String> changes) {
    ResourceRequirements x = a == null ? new ResourceRequirements() : a;
    ResourceRequirements y = b == null ? new ResourceRequirements() : b;
    quantities(x.getRequests(), y.getRequests(), where + "requests.", changes);
    quantities(x.getLimits(), y.getLimits(), where + "limits.", changes);
  }

  private static void quantities(Map<String, Quantity> a, Map<String, Quantity> b, String where, List<String> changes) {
    Map<String, Quantity> x = a == null ? Map.of() : a;
    Map<String, Quantity> y = b == null ? Map.of() : b;
    for (String name : union(x.keySet(), y.keySet())) {
      change(changes, where + name, text(x.get(name)), text(y.get(name)));
    }
  }

  /** The ConfigMaps and Secrets the pods use, through volumes, envFrom and env references. */
  private static void references(PodSpec before, PodSpec after, List<String> changes) {
    TreeSet<String> old = referenced(before);
    TreeSet<String> now = referenced(after);
    for (String r : now) {
      if (!old.contains(r)) {
        changes.add("now references " + r);
      }
    }
    for (String r : old) {
      if (!now.contains(r)) {
        changes.add("no longer references " + r);
      }
    }
  }

  private static TreeSet<String> referenced(PodSpec spec) {
    TreeSet<String> refs = new TreeSet<>();
    for (Volume v : Optional.ofNullable(spec.getVolumes()).orElse(List.of())) {
      if (v.getConfigMap() != null) {
        refs.add("ConfigMap " + v.getConfigMap().getName());
      }
      if (v.getSecret() != null) {
        refs.add("Secret " + v.getSecret().getSecretName());
      }
    }
    List<Container> all = new ArrayList<>(Optional.ofNullable(spec.getContainers()).orElse(List.of()));
    all.addAll(Optional.ofNullable(spec.getInitContainers()).orElse(List.of()));
    for (Container c : all) {
      for (EnvFromSource from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
        if (from.getConfigMapRef() != null) {
          refs.add("ConfigMap " + from.getConfigMapRef().getName());
        }
        if (from.getSecretRef() != null) {
          refs.add("Secret " + from.getSecretRef().getName());
        }
      }
      for (EnvVar v : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
        if (v.getValueFrom() != null && v.getValueFrom().getConfigMapKeyRef() != null) {
          refs.add("ConfigMap " + v.getValueFrom().getConfigMapKeyRef().getName());
        }
        if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
          refs.add("Secret " + v.getValueFrom().getSecretKeyRef().getName());
        }
      }
    }
    return refs;
  }

  private static void change(List<String> changes, String what, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      changes.add(what + " " + show(before) + " → " + show(after));
    }
  }

  private static String show(Object value) {
    return value == null ? "(none)" : shorten(value.toString());
  }

  private static String text(Quantity q) {
    return q == null ? null : q.getAmount() + (q.getFormat() == null ? "" : q.getFormat());
  }

  private static String shorten(String value) {
    if (value == null) {
      return "(none)";
    }
    return value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE - 3) + "..." : value;
  }

  private static Map<String, Container> byName(List<Container> containers) {
    Map<String, Container> map = new LinkedHashMap<>();
    Optional.ofNullable(containers).orElse(List.of()).forEach(c -> map.put(c.getName(), c));
    return map;
  }

  private static <T> List<T> union(java.util.Collection<T> a, java.util.Collection<T> b) {
    List<T> all = new ArrayList<>(a);
    b.stream().filter(x -> !a.contains(x)).forEach(all::add);
    return all;
  }

}
