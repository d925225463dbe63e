package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** An arg declared by a template, with an optional default value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TemplateArg {
  @Required
  private String name;

  private String value;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
}
