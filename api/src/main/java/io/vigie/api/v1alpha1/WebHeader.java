package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.value) != has(self.valueFrom)", message = "a header has value or valueFrom")
public class WebHeader {
  @Required
  @Pattern("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
  @Size(max = Limits.HEADER_NAME)
  private String name;
  @Size(max = Limits.HEADER_VALUE)
  private String value;
  private ArgValueFrom valueFrom;

  /** A header whose value is the {@code key} of Secret {@code secret}. */
  public static WebHeader fromSecret(String name, String secret, String key) {
    WebHeader header = new WebHeader();
    header.name = name;
    ArgValueFrom from = new ArgValueFrom();
    from.setSecretKeyRef(SecretKeyRef.of(secret, key));
    header.valueFrom = from;
    return header;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public ArgValueFrom getValueFrom() { return valueFrom; }
  public void setValueFrom(ArgValueFrom valueFrom) { this.valueFrom = valueFrom; }
}
