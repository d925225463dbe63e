package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** An arg declared by a template, with an optional default value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TemplateArg {
  @Required
  @Pattern("^[A-Za-z0-9_.-]+$")
  @Size(max = Limits.ARG_NAME)
  private String name;

  @Size(max = Limits.ARG_VALUE)
  private String value;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
}
