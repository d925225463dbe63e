package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsConfig {
  @JsonPropertyDescription("PEM CA bundle that signs the server's certificate, from a Secret key.")
  private SecretKeyRef ca;

  public SecretKeyRef getCa() { return ca; }
  public void setCa(SecretKeyRef ca) { this.ca = ca; }
}
