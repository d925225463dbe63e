package io.vigie.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The ConfigMaps and Secrets a pod template references, by volumes (projected ones too), env and
 * envFrom of its containers and init containers: what vigie.io/track-configs watches.
 */
public final class ConfigReferences {
  /** The Rollout's annotation that turns the tracking on. */
  public static final String TRACK_ANNOTATION = "vigie.io/track-configs";

  private ConfigReferences() {}

  public static boolean tracked(HasMetadata rollout) {
    return rollout.getMetadata().getAnnotations() != null
        && "true".equals(rollout.getMetadata().getAnnotations().get(TRACK_ANNOTATION));
  }

  /** "ConfigMap NAME" and "Secret NAME", sorted. */
  public static SortedSet<String> of(PodTemplateSpec template) {
    SortedSet<String> refs = new TreeSet<>();
    PodSpec pod = template == null ? null : template.getSpec();
    if (pod == null) {
      return refs;
    }
    for (Volume volume : orEmpty(pod.getVolumes())) {
      if (volume.getConfigMap() != null) {
        add(refs, "ConfigMap", volume.getConfigMap().getName());
      }
      if (volume.getSecret() != null) {
        add(refs, "Secret", volume.getSecret().getSecretName());
      }
      if (volume.getProjected() != null) {
        for (VolumeProjection source : orEmpty(volume.getProjected().getSources())) {
          if (source.getConfigMap() != null) {
            add(refs, "ConfigMap", source.getConfigMap().getName());
          }
          if (source.getSecret() != null) {
            add(refs, "Secret", source.getSecret().getName());
          }
        }
      }
    }
    List<Container> containers = new ArrayList<>(orEmpty(pod.getContainers()));
    containers.addAll(orEmpty(pod.getInitContainers()));
    for (Container container : containers) {
      for (EnvVar env : orEmpty(container.getEnv())) {
        if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
          add(refs, "ConfigMap", env.getValueFrom().getConfigMapKeyRef().getName());
        }
        if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
          add(refs, "Secret", env.getValueFrom().getSecretKeyRef().getName());
        }
      }
      for (EnvFromSource from : orEmpty(container.getEnvFrom())) {
        if (from.getConfigMapRef() != null) {
          add(refs, "ConfigMap", from.getConfigMapRef().getName());
        }
        if (from.getSecretRef() != null) {
          add(refs, "Secret", from.getSecretRef().getName());
        }
      }
    }
    return refs;
  }

  private static void add(SortedSet<String> refs, String kind, String name) {
    if (name != null && !name.isBlank()) {
      refs.add(kind + " " + name);
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
