package io.vigie.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Helm chart {@code helm/vigie}, rendered and linted by the real Helm engine (helm-java runs
 * Helm's Go code in-process), its objects parsed with the fabric8 model.
 */
public final class HelmChart {
  public static final Path DIR = Path.of(System.getProperty("vigie.chart", "../helm/vigie"));
  public static final String RELEASE = "vigie";
  public static final String NAMESPACE = "vigie-system";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private HelmChart() {}

  /** The chart rendered with these values over its defaults, as {@code helm template vigie -n vigie-system}. */
  public static Rendered render(Map<String, Object> values) {
    return render(RELEASE, values);
  }

  /** The chart rendered for a release of this name, as {@code helm template NAME -n vigie-system}. */
  public static Rendered render(String release, Map<String, Object> values) {
    Path file = valuesFile(values);
    try {
      String yaml = new Helm(DIR).template().withName(release).withNamespace(NAMESPACE).withValuesFile(file).call();
      return new Rendered(yaml, parse(yaml));
    } finally {
      delete(file);
    }
  }

  /** What {@code helm install} prints (NOTES.txt included), from a client-only dry run. */
  public static String installOutput(Map<String, Object> values) {
    Path file = valuesFile(values);
    try {
      return new Helm(DIR).install().withName(RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun().withValuesFile(file)
          .call().getOutput();
    } finally {
      delete(file);
    }
  }

  /** {@code helm lint --strict} of the chart whose values are its defaults with these merged in. */
  public static LintResult lint(Map<String, Object> values) {
    Path copy = null;
    try {
      copy = Files.createTempDirectory("vigie-chart");
      Path chart = copy.resolve("vigie");
      copyTree(DIR, chart);
      Map<String, Object> merged = merge(defaults(), values);
      Files.writeString(chart.resolve("values.yaml"), SERIALIZATION.asYaml(merged));
      return new Helm(chart).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (copy != null) {
        deleteTree(copy);
      }
    }
  }

  /** The chart's values.yaml. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> defaults() {
    try {
      return SERIALIZATION.unmarshal(Files.readString(DIR.resolve("values.yaml")), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects of a render, in order. */
  public record Rendered(String yaml, List<HasMetadata> objects) {
    public <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      if (found.size() != 1) {
        throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
      }
      return found.get(0);
    }

    public List<HasMetadata> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    public Deployment deployment() {
      return one(Deployment.class);
    }

    /** The operator container's arguments. */
    public List<String> args() {
      return deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    }

    /** Every rule that the chart's ClusterRoles and Roles grant, with the Role's namespace (null for a ClusterRole). */
    public List<Grant> grants() {
      List<Grant> grants = new ArrayList<>();
      for (ClusterRole role : all(ClusterRole.class)) {
        Optional.ofNullable(role.getRules()).orElse(List.of()).forEach(r -> grants.add(new Grant(null, role.getMetadata().getName(), r)));
      }
      for (Role role : all(Role.class)) {
        Optional.ofNullable(role.getRules()).orElse(List.of())
            .forEach(r -> grants.add(new Grant(role.getMetadata().getNamespace(), role.getMetadata().getName(), r)));
      }
      return grants;
    }
  }

  /** A rule of a Role (namespace set) or ClusterRole (namespace null). */
  public record Grant(String namespace, String role, PolicyRule rule) {
    /** One (verb, group, resource) per combination the rule allows. */
    public Stream<Triple> triples() {
      return rule.getApiGroups().stream().flatMap(g -> rule.getResources().stream()
          .flatMap(r -> rule.getVerbs().stream().map(v -> new Triple(v, g, r))));
    }
  }

  /** What an RBAC rule matches, one verb of one resource of one group. */
  public record Triple(String verb, String group, String resource) {
    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? "core" : group) + " " + resource;
    }
  }

  private static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      boolean empty = doc.lines().map(String::trim).allMatch(l -> l.isEmpty() || l.startsWith("#"));
      if (!empty) {
        objects.add(SERIALIZATION.unmarshal(doc, HasMetadata.class));
      }
    }
    return objects;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    over.forEach((k, v) -> {
      Object old = merged.get(k);
      merged.put(k, old instanceof Map && v instanceof Map
          ? merge((Map<String, Object>) old, (Map<String, Object>) v) : v);
    });
    return merged;
  }

  private static Path valuesFile(Map<String, Object> values) {
    try {
      Path file = Files.createTempFile("vigie-values", ".yaml");
      Files.writeString(file, values.isEmpty() ? "{}\n" : SERIALIZATION.asYaml(values));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(HelmChart::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
