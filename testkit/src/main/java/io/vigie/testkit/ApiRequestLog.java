package io.vigie.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kubernetes API requests the operator's clients make in the tests, as RBAC sees them: one
 * line {@code verb group resource} per distinct request kind (group {@code core} for the core
 * group, {@code nonResourceURL} and the path for a URL outside the resource API), appended to
 * {@link #FILE} as soon as it is first seen, by every mock API server of every test. The RBAC
 * check that runs after the integration tests ({@code RbacCoverageCheck}) compares it with the
 * chart's ClusterRole.
 */
public final class ApiRequestLog {
  public static final Path FILE = Path.of(System.getProperty("vigie.rbac.requests", "target/rbac/operator-requests.txt"));
  private static final Set<Request> SEEN = ConcurrentHashMap.newKeySet();
  /** The file is started afresh by the first request of a test run: requests of an earlier run must not count. */
  private static boolean started;

  /** A request as an RBAC rule matches it. */
  public record Request(String verb, String group, String resource) {
    public String line() {
      return verb + " " + (group.isEmpty() ? "core" : group) + " " + resource;
    }

    public static Request parse(String line) {
      String[] parts = line.trim().split(" ");
      if (parts.length != 3) {
        throw new IllegalArgumentException("not 'verb group resource': " + line);
      }
      return new Request(parts[0], "core".equals(parts[1]) ? "" : parts[1], parts[2]);
    }

    public boolean nonResource() {
      return "nonResourceURL".equals(group);
    }
  }

  private ApiRequestLog() {}

  /** Records a request made by the operator (an actor whose name starts with "operator"). */
  static void record(String actor, String method, String path) {
    if (actor == null || !actor.startsWith("operator")) {
      return;
    }
    Request request = of(method, path);
    if (SEEN.add(request)) {
      synchronized (ApiRequestLog.class) {
        try {
          Files.createDirectories(FILE.toAbsolutePath().getParent());
          if (!started) {
            Files.deleteIfExists(FILE);
            started = true;
          }
          Files.writeString(FILE, request.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /**
   * The RBAC verb, API group and resource (with its subresource, as in a rule: rollouts/status)
   * of a request to the Kubernetes API.
   */
  public static Request of(String method, String pathAndQuery) {
    URI uri = URI.create(pathAndQuery);
    String query = Optional.ofNullable(uri.getRawQuery()).orElse("");
    List<String> segments = Arrays.stream(uri.getPath().split("/")).filter(s -> !s.isEmpty()).toList();
    List<String> rest;
    String group;
    if (segments.size() >= 2 && segments.get(0).equals("api")) {
      group = "";
      rest = segments.subList(2, segments.size());
    } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      rest = segments.subList(3, segments.size());
    } else {
      return new Request(method.toLowerCase(java.util.Locale.ROOT), "nonResourceURL", uri.getPath());
    }
    // namespaces/NS/RESOURCE[/NAME[/SUB]], or RESOURCE[/NAME[/SUB]] (namespaces/NS itself included)
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty()) {
      return new Request(method.toLowerCase(java.util.Locale.ROOT), "nonResourceURL", uri.getPath());
    }
    String resource = rest.get(0) + (rest.size() >= 3 ? "/" + rest.get(2) : "");
    boolean named = rest.size() >= 2;
    boolean watch = Arrays.stream(query.split("&")).anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
    String verb = switch (method) {
      case "GET" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    return new Request(verb, group, resource);
  }
}
