package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.httpRoute) != has(self.httpRoutes)", message = "gatewayAPI has httpRoute or httpRoutes, not both")
public class GatewayApiRouting {
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = Limits.DNS_SUBDOMAIN)
  @JsonProperty("httpRoute")
  @JsonPropertyDescription("The HTTPRoute (gateway.networking.k8s.io/v1) in the Rollout's namespace whose rules send traffic to <service>-stable and <service>-canary.")
  private String httpRoute;

  @Size(min = 1, max = 10)
  @JsonProperty("httpRoutes")
  @JsonPropertyDescription("Several HTTPRoutes (e.g. an internal and an external one); all get the same weights.")
  private List<String> httpRoutes;

  /** The routes named, whichever field names them. */
  @JsonIgnore
  public List<String> routeNames() {
    if (httpRoutes != null) {
      return List.copyOf(httpRoutes);
    }
    return httpRoute == null ? List.of() : List.of(httpRoute);
  }

  @JsonProperty("httpRoute")
  public String getHttpRoute() { return httpRoute; }
  @JsonProperty("httpRoute")
  public void setHttpRoute(String httpRoute) { this.httpRoute = httpRoute; }
  @JsonProperty("httpRoutes")
  public List<String> getHttpRoutes() { return httpRoutes; }
  @JsonProperty("httpRoutes")
  public void setHttpRoutes(List<String> httpRoutes) { this.httpRoutes = httpRoutes; }
}
