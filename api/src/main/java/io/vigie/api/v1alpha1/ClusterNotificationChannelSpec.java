package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A NotificationChannel's spec, and where its Secrets are: the admin's namespace, not the Rollouts'. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterNotificationChannelSpec extends NotificationChannelSpec {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = Limits.DNS_LABEL)
  @JsonPropertyDescription("The namespace of the Secrets this channel names (the admin's, e.g. the operator's own). They need "
      + "no label: the channel is the admin's.")
  private String secretsNamespace;

  public String getSecretsNamespace() { return secretsNamespace; }
  public void setSecretsNamespace(String secretsNamespace) { this.secretsNamespace = secretsNamespace; }
}
