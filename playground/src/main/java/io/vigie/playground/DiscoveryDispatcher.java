package io.vigie.playground;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;

/**
 * The mock API server's CRUD dispatcher, plus the discovery documents kubectl reads before anything
 * else (/api, /apis and each group's resource list), so that `kubectl get vro,deploy,svc` works
 * against the playground. Only what the playground holds is listed.
 */
final class DiscoveryDispatcher extends KubernetesCrudDispatcher {
  private static final String CORE = """
      {"kind":"APIResourceList","groupVersion":"v1","resources":[
        %s,%s,%s,%s]}""".formatted(
      resource("namespaces", "Namespace", false, "ns"), resource("services", "Service", true, "svc"),
      resource("events", "Event", true, "ev"), resource("secrets", "Secret", true, null));
  private static final String APPS = """
      {"kind":"APIResourceList","groupVersion":"apps/v1","resources":[%s,%s]}""".formatted(
      resource("deployments", "Deployment", true, "deploy"), resource("replicasets", "ReplicaSet", true, "rs"));
  private static final String VIGIE = """
      {"kind":"APIResourceList","groupVersion":"vigie.io/v1alpha1","resources":[%s,%s,%s]}""".formatted(
      resource("rollouts", "Rollout", true, "vro"), resource("analysistemplates", "AnalysisTemplate", true, null),
      resource("clusteranalysistemplates", "ClusterAnalysisTemplate", false, null));
  private static final Map<String, String> DOCUMENTS = Map.of(
      "/api", """
          {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""",
      "/apis", """
          {"kind":"APIGroupList","apiVersion":"v1","groups":[%s,%s]}""".formatted(group("apps", "v1"), group("vigie.io", "v1alpha1")),
      "/api/v1", CORE,
      "/apis/apps/v1", APPS,
      "/apis/vigie.io/v1alpha1", VIGIE);

  DiscoveryDispatcher() {
    super(List.of());
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

  private static String group(String name, String version) {
    return """
        {"name":"%1$s","versions":[{"groupVersion":"%1$s/%2$s","version":"%2$s"}],\
        "preferredVersion":{"groupVersion":"%1$s/%2$s","version":"%2$s"}}""".formatted(name, version);
  }

  private static String resource(String plural, String kind, boolean namespaced, String shortName) {
    return """
        {"name":"%s","singularName":"%s","namespaced":%s,"kind":"%s",\
        "verbs":["create","delete","get","list","patch","update","watch"]%s}""".formatted(plural,
        kind.toLowerCase(java.util.Locale.ROOT), namespaced, kind, shortName == null ? "" : ",\"shortNames\":[\"" + shortName + "\"]");
  }
}
