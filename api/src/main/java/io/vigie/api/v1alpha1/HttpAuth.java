package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.bearerToken) && has(self.basic))", message = "use bearerToken or basic, not both")
public class HttpAuth {
  @JsonPropertyDescription("Send Authorization: Bearer <the Secret's value>.")
  private SecretKeyRef bearerToken;

  @JsonPropertyDescription("Basic auth from a Secret with the keys username and password.")
  private SecretRef basic;

  public SecretKeyRef getBearerToken() { return bearerToken; }
  public void setBearerToken(SecretKeyRef bearerToken) { this.bearerToken = bearerToken; }
  public SecretRef getBasic() { return basic; }
  public void setBasic(SecretRef basic) { this.basic = basic; }
}
