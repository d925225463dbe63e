package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.value) != has(self.valueFrom)", message = "a header has value or valueFrom")
public class WebHeader {
  @Required
  private String name;
  private String value;
  private ArgValueFrom valueFrom;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public ArgValueFrom getValueFrom() { return valueFrom; }
  public void setValueFrom(ArgValueFrom valueFrom) { this.valueFrom = valueFrom; }
}
