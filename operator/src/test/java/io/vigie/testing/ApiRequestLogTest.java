package io.vigie.testing;

import io.vigie.testkit.ApiRequestLog;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.testkit.ApiRequestLog.Request;
import org.junit.jupiter.api.Test;

/** How a request to the API server maps to what an RBAC rule matches. */
class ApiRequestLogTest {
  @Test
  void mapsMethodsAndPathsToVerbsGroupsAndResources() {
    assertThat(ApiRequestLog.of("GET", "/apis/vigie.io/v1alpha1/namespaces/shop/rollouts/web"))
        .isEqualTo(new Request("get", "vigie.io", "rollouts"));
    assertThat(ApiRequestLog.of("GET", "/apis/vigie.io/v1alpha1/rollouts?resourceVersion=0"))
        .isEqualTo(new Request("list", "vigie.io", "rollouts"));
    assertThat(ApiRequestLog.of("GET", "/apis/apps/v1/namespaces/shop/deployments?allowWatchBookmarks=true&watch=true"))
        .isEqualTo(new Request("watch", "apps", "deployments"));
    assertThat(ApiRequestLog.of("PUT", "/apis/vigie.io/v1alpha1/namespaces/shop/rollouts/web/status"))
        .isEqualTo(new Request("update", "vigie.io", "rollouts/status"));
    assertThat(ApiRequestLog.of("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web/scale"))
        .isEqualTo(new Request("patch", "apps", "deployments/scale"));
    assertThat(ApiRequestLog.of("POST", "/api/v1/namespaces/shop/events")).isEqualTo(new Request("create", "", "events"));
    assertThat(ApiRequestLog.of("DELETE", "/api/v1/namespaces/shop/services/web-canary"))
        .isEqualTo(new Request("delete", "", "services"));
    assertThat(ApiRequestLog.of("DELETE", "/api/v1/namespaces/shop/services")).isEqualTo(new Request("deletecollection", "", "services"));
    assertThat(ApiRequestLog.of("GET", "/api/v1/namespaces/shop")).isEqualTo(new Request("get", "", "namespaces"));
    assertThat(ApiRequestLog.of("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/rollouts.vigie.io"))
        .isEqualTo(new Request("get", "apiextensions.k8s.io", "customresourcedefinitions"));
    assertThat(ApiRequestLog.of("GET", "/version")).isEqualTo(new Request("get", "nonResourceURL", "/version"));
    assertThat(Request.parse(new Request("create", "", "events").line())).isEqualTo(new Request("create", "", "events"));
  }
}
