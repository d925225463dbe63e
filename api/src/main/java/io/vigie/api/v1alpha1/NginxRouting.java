package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class NginxRouting {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = Limits.DNS_SUBDOMAIN - 7)
  @JsonPropertyDescription("Your Ingress (networking.k8s.io/v1, class nginx) whose backend is <service>-stable. Vigie creates <ingress>-canary beside it.")
  private String stableIngress;

  public String getStableIngress() { return stableIngress; }
  public void setStableIngress(String stableIngress) { this.stableIngress = stableIngress; }
}
