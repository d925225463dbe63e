package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** How traffic reaches the canary: through a gateway, a mesh or an ingress. None = replica ratio. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.gatewayAPI), has(self.istio), has(self.nginx)].filter(x, x).size() == 1",
    message = "trafficRouting has exactly one of gatewayAPI, istio or nginx")
public class TrafficRouting {
  @JsonProperty("gatewayAPI")
  @JsonPropertyDescription("Gateway API: Vigie sets the weights of the <service>-stable and <service>-canary backendRefs of these HTTPRoutes.")
  private GatewayApiRouting gatewayAPI;

  @JsonPropertyDescription("Istio: Vigie sets the weights of the <service>-stable and <service>-canary destinations of a VirtualService.")
  private IstioRouting istio;

  @JsonPropertyDescription("NGINX Ingress: Vigie creates <ingress>-canary, a canary Ingress next to yours, and removes it at the end.")
  private NginxRouting nginx;

  public static TrafficRouting gatewayApi(String... httpRoutes) {
    TrafficRouting routing = new TrafficRouting();
    routing.gatewayAPI = new GatewayApiRouting();
    if (httpRoutes.length == 1) {
      routing.gatewayAPI.setHttpRoute(httpRoutes[0]);
    } else {
      routing.gatewayAPI.setHttpRoutes(java.util.List.of(httpRoutes));
    }
    return routing;
  }

  public static TrafficRouting istio(String virtualService, String... routes) {
    TrafficRouting routing = new TrafficRouting();
    routing.istio = new IstioRouting();
    routing.istio.setVirtualService(new IstioRouting.VirtualServiceRef(virtualService,
        routes.length == 0 ? null : java.util.List.of(routes)));
    return routing;
  }

  public static TrafficRouting nginx(String stableIngress) {
    TrafficRouting routing = new TrafficRouting();
    routing.nginx = new NginxRouting();
    routing.nginx.setStableIngress(stableIngress);
    return routing;
  }

  /** The field path of the router in use, for messages: "spec.trafficRouting.gatewayAPI". */
  @JsonIgnore
  public String fieldPath() {
    return "spec.trafficRouting." + (gatewayAPI != null ? "gatewayAPI" : istio != null ? "istio" : nginx != null ? "nginx" : "");
  }

  @JsonProperty("gatewayAPI")
  public GatewayApiRouting getGatewayAPI() { return gatewayAPI; }
  @JsonProperty("gatewayAPI")
  public void setGatewayAPI(GatewayApiRouting gatewayAPI) { this.gatewayAPI = gatewayAPI; }
  public IstioRouting getIstio() { return istio; }
  public void setIstio(IstioRouting istio) { this.istio = istio; }
  public NginxRouting getNginx() { return nginx; }
  public void setNginx(NginxRouting nginx) { this.nginx = nginx; }
}
