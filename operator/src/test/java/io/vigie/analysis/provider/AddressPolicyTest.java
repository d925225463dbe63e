package io.vigie.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where providers may send requests: docs/security.md, threat 2. */
class AddressPolicyTest {
  private static Optional<String> refusal(AddressPolicy policy, String url) {
    return policy.refusal(URI.create(url), true);
  }

  @Test
  void refusesTheOperatorsOwnHostMetadataServicesAndLinkLocalAddresses() {
    AddressPolicy policy = AddressPolicy.defaults();
    assertThat(refusal(policy, "http://127.0.0.1:9090/")).hasValue("127.0.0.1, a loopback address (the operator's own host)");
    assertThat(refusal(policy, "http://localhost:9090/")).get().asString()
        .startsWith("localhost resolves to 127.0.0.1, a loopback address");
    assertThat(refusal(policy, "http://[::1]/")).hasValue("::1, a loopback address (the operator's own host)");
    assertThat(refusal(policy, "http://169.254.169.254/latest/meta-data/"))
        .hasValue("169.254.169.254, a link-local address (where cloud metadata services answer)");
    assertThat(refusal(policy, "http://[fe80::1]/")).get().asString().contains("link-local");
    assertThat(refusal(policy, "http://[fd00:ec2::254]/")).hasValue("fd00:ec2::254, a cloud metadata service");
    assertThat(refusal(policy, "http://100.100.100.200/")).hasValue("100.100.100.200, a cloud metadata service");
    assertThat(refusal(policy, "http://metadata.google.internal/")).hasValue("metadata.google.internal is a cloud metadata service");
    assertThat(refusal(policy, "http://0.0.0.0:80/")).get().asString().contains("not an address a provider answers on");
    assertThat(refusal(policy, "http://[::ffff:169.254.169.254]/")).get().asString().contains("link-local");
  }

  @Test
  void inClusterAddressesStayAllowed() {
    AddressPolicy policy = AddressPolicy.defaults();
    for (String url : List.of("http://10.96.12.7:9090/", "http://172.20.3.4/", "http://192.168.1.10/", "https://[fd12:3456::1]/")) {
      assertThat(refusal(policy, url)).as(url).isEmpty();
    }
  }

  @Test
  void anAdminAllowsNamesAddressesAndRangesButNeverTheApiServer() {
    AddressPolicy policy = AddressPolicy.of(List.of("127.0.0.0/8", "metadata.google.internal", " "),
        Optional.of(URI.create("https://127.0.0.1:6443")));
    assertThat(refusal(policy, "http://127.0.0.1:9090/")).isEmpty();
    assertThat(refusal(policy, "http://127.5.5.5/")).isEmpty();
    assertThat(refusal(policy, "http://metadata.google.internal/")).isEmpty();
    assertThat(refusal(policy, "https://127.0.0.1:6443/api")).hasValue("127.0.0.1:6443 is the Kubernetes API server");
    assertThat(refusal(policy, "https://localhost:6443/api")).hasValue("localhost:6443 is the Kubernetes API server");
    assertThat(refusal(policy, "http://169.254.169.254/")).isPresent();
  }

  @Test
  void withoutDnsOnlyNamesAndLiteralAddressesAreJudged() {
    AddressPolicy policy = AddressPolicy.defaults();
    assertThat(policy.refusal(URI.create("http://localhost:9090/"), false)).isEmpty();
    assertThat(policy.refusal(URI.create("http://169.254.169.254/"), false)).isPresent();
    assertThat(policy.refusal(URI.create("http://metadata.google.internal/"), false)).isPresent();
  }
}
