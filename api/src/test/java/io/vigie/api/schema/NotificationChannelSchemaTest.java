package io.vigie.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The NotificationChannel schema: exactly one kind of receiver, credentials only by Secret reference. */
class NotificationChannelSchemaTest {
  private static CrdSchemaValidator schema;

  @BeforeAll
  static void load() throws IOException {
    schema = CrdSchemaValidator.forCrd(Path.of(System.getProperty("vigie.crds.committed", "../crds"))
        .resolve("notificationchannels.vigie.io-v1.yml"), "v1alpha1");
  }

  private static String channel(String spec) {
    return """
        apiVersion: vigie.io/v1alpha1
        kind: NotificationChannel
        metadata: {name: chat, namespace: shop}
        spec:
        """ + spec.indent(2);
  }

  @Test
  void acceptsEachKindOfReceiver() throws IOException {
    assertThat(schema.validate(channel("slack: {urlSecretRef: {name: s, key: url}}\n"))).isEmpty();
    assertThat(schema.validate(channel("teams: {urlSecretRef: {name: s, key: url}}\ntimeoutSeconds: 10\n"))).isEmpty();
    assertThat(schema.validate(channel("webhook: {url: https://x.example/h, signingSecretRef: {name: s, key: k}}\n"))).isEmpty();
  }

  @Test
  void refusesTwoReceiversNoneAURLInTheClearAndABadTimeout() throws IOException {
    assertThat(schema.validate(channel("slack: {urlSecretRef: {name: s, key: url}}\nteams: {urlSecretRef: {name: s, key: u}}\n")))
        .containsExactly(".spec: a channel is exactly one of slack, teams or webhook");
    assertThat(schema.validate(channel("timeoutSeconds: 5\n"))).containsExactly(".spec: a channel is exactly one of slack, teams or webhook");
    assertThat(schema.validate(channel("slack: {url: https://hooks.slack.com/services/x}\n"))).isNotEmpty();
    assertThat(schema.validate(channel("webhook: {url: https://x.example/h}\n"))).singleElement().asString().contains("signingSecretRef");
    assertThat(schema.validate(channel("slack: {urlSecretRef: {name: s, key: url}}\ntimeoutSeconds: 0\n"))).singleElement().asString()
        .contains("timeoutSeconds");
  }

  @Test
  void aClusterChannelNamesTheNamespaceOfItsSecrets() throws IOException {
    CrdSchemaValidator cluster = CrdSchemaValidator.forCrd(Path.of(System.getProperty("vigie.crds.committed", "../crds"))
        .resolve("clusternotificationchannels.vigie.io-v1.yml"), "v1alpha1");
    String channel = """
        apiVersion: vigie.io/v1alpha1
        kind: ClusterNotificationChannel
        metadata: {name: platform}
        spec:
          slack: {urlSecretRef: {name: s, key: url}}
        """;
    assertThat(cluster.validate(channel + "  secretsNamespace: vigie-system\n")).isEmpty();
    assertThat(cluster.validate(channel)).singleElement().asString().contains("secretsNamespace");
    assertThat(cluster.validate(channel + "  secretsNamespace: vigie-system\n  teams: {urlSecretRef: {name: s, key: u}}\n"))
        .containsExactly(".spec: a channel is exactly one of slack, teams or webhook");
  }
}
