package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class IstioRouting {
  @Required
  @JsonPropertyDescription("The VirtualService (networking.istio.io) whose http routes send traffic to <service>-stable and <service>-canary.")
  private VirtualServiceRef virtualService;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class VirtualServiceRef {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @Size(max = Limits.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the VirtualService, in the Rollout's namespace.")
    private String name;

    @Size(max = 20)
    @JsonPropertyDescription("Names of its http routes that Vigie weighs. Default: every http route with both destinations.")
    private List<String> routes;

    public VirtualServiceRef() {}

    public VirtualServiceRef(String name, List<String> routes) {
      this.name = name;
      this.routes = routes;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public List<String> getRoutes() { return routes; }
    public void setRoutes(List<String> routes) { this.routes = routes; }
  }

  public VirtualServiceRef getVirtualService() { return virtualService; }
  public void setVirtualService(VirtualServiceRef virtualService) { this.virtualService = virtualService; }
}
