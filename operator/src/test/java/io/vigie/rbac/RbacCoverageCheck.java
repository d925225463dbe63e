package io.vigie.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.chart.HelmChart;
import io.vigie.chart.HelmChart.Grant;
import io.vigie.chart.HelmChart.Triple;
import io.vigie.testkit.ApiRequestLog;
import io.vigie.testkit.ApiRequestLog.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC is exactly what the operator uses: every API request that the operator's
 * clients made in the module's tests (recorded by the mock API servers into
 * {@link ApiRequestLog#FILE}) is allowed by the ClusterRole (and, for the Lease, the
 * leader-election Role) the chart renders, and the chart grants nothing that no request used.
 *
 * <p>It runs in its own surefire execution ({@code rbac-check}), after every other test of the
 * module, and is skipped when a developer runs chosen tests with {@code -Dtest=...}.
 */
class RbacCoverageCheck {
  /**
   * Requests every authenticated identity may make through Kubernetes' default ClusterRoles, so
   * the chart grants them not: JOSDK's check of its Lease permissions (system:basic-user) and the
   * version read of the operator's start-up check (system:public-info-viewer).
   */
  static final Set<Request> ALLOWED_BY_DEFAULT_ROLES = Set.of(
      new Request("create", "authorization.k8s.io", "selfsubjectrulesreviews"),
      new Request("get", "nonResourceURL", "/version"));

  /**
   * Granted without a request of their own: JOSDK's start-up check of the Lease permissions
   * (LeaderElectionManager.checkLeaseAccess) demands create, update and get, and refuses to start
   * without them, while the fabric8 leader elector writes the Lease with a patch.
   */
  static final Set<Triple> REQUIRED_WITHOUT_REQUEST = Set.of(new Triple("update", "coordination.k8s.io", "leases"));

  /**
   * A read of one API group version's resource list (is the Gateway API served?), which the default
   * ClusterRole system:discovery lets every authenticated identity make.
   */
  static boolean isDiscovery(Request request) {
    return request.nonResource() && "get".equals(request.verb()) && request.resource().matches("/apis/[^/]+/[^/]+");
  }

  @Test
  void theChartGrantsExactlyWhatTheOperatorRequestedInTheIntegrationTests() throws IOException {
    assertThat(ApiRequestLog.FILE).as("the requests recorded by the tests' mock API servers: run the whole module (mvn verify)")
        .exists();
    Set<Request> recorded = Files.readAllLines(ApiRequestLog.FILE).stream().filter(l -> !l.isBlank())
        .map(Request::parse).collect(Collectors.toCollection(() -> new TreeSet<>(
            java.util.Comparator.comparing(Request::line))));
    assertThat(recorded).as("recorded requests in %s", ApiRequestLog.FILE).isNotEmpty();
    // A partial run (one test class) must not pass for the whole suite: these come from different tests.
    assertThat(recorded.stream().map(Request::line)).as("requests of the whole suite, not of a few tests").contains(
        "update vigie.io rollouts/status", "create core events", "get vigie.io analysistemplates",
        "get vigie.io clusteranalysistemplates", "get core secrets", "patch coordination.k8s.io leases",
        "get apiextensions.k8s.io customresourcedefinitions");

    // Cluster mode with leader election: the ClusterRole, and the Role of the Lease.
    HelmChart.Rendered chart = HelmChart.render(Map.of("replicas", 2, "leaderElection", Map.of("enabled", true)));
    Set<Triple> granted = new TreeSet<>(java.util.Comparator.comparing(Triple::toString));
    for (Grant grant : chart.grants()) {
      grant.triples().forEach(granted::add);
    }

    Set<String> denied = new TreeSet<>();
    Set<Triple> used = new TreeSet<>(java.util.Comparator.comparing(Triple::toString));
    for (Request request : recorded) {
      if (ALLOWED_BY_DEFAULT_ROLES.contains(request) || isDiscovery(request)) {
        continue;
      }
      Triple triple = new Triple(request.verb(), request.group(), request.resource());
      if (request.nonResource() || !granted.contains(triple)) {
        denied.add(request.line());
      }
      used.add(triple);
    }
    assertThat(denied).as("requests the operator made that the chart's RBAC does not allow (add them to "
        + "helm/vigie/templates/_helpers.tpl or rbac files)").isEmpty();


    Set<String> unused = granted.stream()
        .filter(t -> !used.contains(t) && !REQUIRED_WITHOUT_REQUEST.contains(t))
        .map(Triple::toString).collect(Collectors.toCollection(TreeSet::new));
    assertThat(unused).as("granted by the chart but requested by no test: remove them, or test the code that needs them").isEmpty();
    assertThat(granted).containsAll(REQUIRED_WITHOUT_REQUEST);
  }
}
