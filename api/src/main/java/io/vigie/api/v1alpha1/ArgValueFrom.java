package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ArgValueFrom {
  @Required
  private SecretKeyRef secretKeyRef;

  public SecretKeyRef getSecretKeyRef() { return secretKeyRef; }
  public void setSecretKeyRef(SecretKeyRef secretKeyRef) { this.secretKeyRef = secretKeyRef; }
}
