package io.vigie.api.v1alpha1;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = Limits.DNS_SUBDOMAIN)
  private String name;

  @Required
  @Pattern("^[-._a-zA-Z0-9]+$")
  @Size(max = Limits.SECRET_KEY)
  private String key;

  public static SecretKeyRef of(String name, String key) {
    SecretKeyRef ref = new SecretKeyRef();
    ref.name = name;
    ref.key = key;
    return ref;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
}
