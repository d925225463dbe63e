package io.vigie.playground;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The mock API server's CRUD dispatcher, plus the discovery documents kubectl reads before anything
 * else (/api, /apis and each group's resource list), so that `kubectl get vro,deploy,svc` works
 * against the playground. Only what the playground holds is listed.
 */
final class DiscoveryDispatcher extends KubernetesCrudDispatcher {
  /** A resource the playground serves. */
  record Served(String groupVersion, String plural, String kind, boolean namespaced, String shortName) {}

  static final List<Served> SERVED = List.of(
      new Served("v1", "namespaces", "Namespace", false, "ns"), new Served("v1", "services", "Service", true, "svc"),
      new Served("v1", "events", "Event", true, "ev"), new Served("v1", "secrets", "Secret", true, null),
      new Served("v1", "pods", "Pod", true, "po"), new Served("v1", "configmaps", "ConfigMap", true, "cm"),
      new Served("apps/v1", "deployments", "Deployment", true, "deploy"),
      new Served("apps/v1", "replicasets", "ReplicaSet", true, "rs"),
      new Served("vigie.io/v1alpha1", "rollouts", "Rollout", true, "vro"),
      new Served("vigie.io/v1alpha1", "analysistemplates", "AnalysisTemplate", true, null),
      new Served("vigie.io/v1alpha1", "clusteranalysistemplates", "ClusterAnalysisTemplate", false, null));

  private static final Map<String, String> DOCUMENTS = documents();

  DiscoveryDispatcher() {
    super(List.of());
  }

  /** The kind of each served resource, by plural. */
  static Map<String, String> kinds() {
    return SERVED.stream().collect(Collectors.toMap(Served::plural, Served::kind));
  }

  static Map<String, Boolean> namespaced() {
    return SERVED.stream().collect(Collectors.toMap(Served::plural, Served::namespaced));
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath() == null ? "" : request.getPath().replaceFirst("\\?.*$", "");
    String document = "GET".equals(request.getMethod()) ? DOCUMENTS.get(path) : null;
    if (document != null) {
      return new MockResponse().setResponseCode(200).addHeader("Content-Type", "application/json").setBody(document);
    }
    return super.dispatch(request);
  }

  private static Map<String, String> documents() {
    Map<String, List<Served>> byGroupVersion = new LinkedHashMap<>();
    SERVED.forEach(s -> byGroupVersion.computeIfAbsent(s.groupVersion(), k -> new java.util.ArrayList<>()).add(s));
    Map<String, String> documents = new LinkedHashMap<>();
    documents.put("/api", """
        {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""");
    documents.put("/apis", """
        {"kind":"APIGroupList","apiVersion":"v1","groups":[%s]}""".formatted(byGroupVersion.keySet().stream()
        .filter(gv -> gv.contains("/")).map(gv -> group(gv.substring(0, gv.indexOf('/')), gv.substring(gv.indexOf('/') + 1)))
        .collect(Collectors.joining(","))));
    byGroupVersion.forEach((gv, served) -> documents.put(gv.contains("/") ? "/apis/" + gv : "/api/" + gv, """
        {"kind":"APIResourceList","groupVersion":"%s","resources":[%s]}""".formatted(gv,
        served.stream().map(DiscoveryDispatcher::resource).collect(Collectors.joining(",")))));
    return Map.copyOf(documents);
  }

  private static String group(String name, String version) {
    return """
        {"name":"%1$s","versions":[{"groupVersion":"%1$s/%2$s","version":"%2$s"}],\
        "preferredVersion":{"groupVersion":"%1$s/%2$s","version":"%2$s"}}""".formatted(name, version);
  }

  private static String resource(Served s) {
    return """
        {"name":"%s","singularName":"%s","namespaced":%s,"kind":"%s",\
        "verbs":["create","delete","deletecollection","get","list","patch","update","watch"]%s}""".formatted(s.plural(),
        s.kind().toLowerCase(java.util.Locale.ROOT), s.namespaced(), s.kind(),
        s.shortName() == null ? "" : ",\"shortNames\":[\"" + s.shortName() + "\"]");
  }
}
