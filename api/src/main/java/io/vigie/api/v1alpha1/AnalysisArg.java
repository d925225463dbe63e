package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A named value for an analysis template: given inline, or read from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.value) && has(self.valueFrom))", message = "an arg has value or valueFrom, not both")
public class AnalysisArg {
  @Required
  @Pattern("^[A-Za-z0-9_.-]+$")
  @Size(max = Limits.ARG_NAME)
  private String name;

  @Size(max = Limits.ARG_VALUE)
  private String value;

  @JsonPropertyDescription("Read the value from a Secret in the Rollout's namespace.")
  private ArgValueFrom valueFrom;

  /** An arg with an inline value. */
  public static AnalysisArg of(String name, String value) {
    AnalysisArg arg = new AnalysisArg();
    arg.name = name;
    arg.value = value;
    return arg;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public ArgValueFrom getValueFrom() { return valueFrom; }
  public void setValueFrom(ArgValueFrom valueFrom) { this.valueFrom = valueFrom; }
}
