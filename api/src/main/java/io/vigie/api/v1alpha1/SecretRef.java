package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {
  @Required
  private String name;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
