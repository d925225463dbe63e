package io.vigie.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.analysis.provider.AddressPolicy;
import io.vigie.analysis.provider.SecretReader;
import io.vigie.api.v1alpha1.Gate;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.api.v1alpha1.TlsConfig;
import io.vigie.api.v1alpha1.WebHeader;
import io.vigie.testing.SelfSignedHttps;
import io.vigie.testkit.HttpStub;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One gate call against real servers on loopback: what passes, what holds, and what the gate receives. */
class GateCallsTest {
  private static final AddressPolicy LOOPBACK = AddressPolicy.of(List.of("127.0.0.1"), Optional.empty());
  private static final ObjectMapper JSON = new ObjectMapper();
  private final GateCalls calls = new GateCalls(LOOPBACK);

  @TempDir
  Path dir;

  private static Gate gate(String url) {
    Gate gate = new Gate();
    gate.setName("freeze");
    gate.setType(Gate.Type.preRollout);
    gate.setUrl(url);
    return gate;
  }

  /** Secrets as the operator reads them: each value read is remembered, to be blotted out of answers. */
  private static SecretReader secrets(Map<String, String> values) {
    Set<String> revealed = new HashSet<>();
    return new SecretReader() {
      @Override
      public Optional<String> read(SecretKeyRef ref) {
        Optional<String> value = Optional.ofNullable(values.get(ref.getName() + "/" + ref.getKey()));
        value.ifPresent(revealed::add);
        return value;
      }

      @Override
      public Set<String> revealed() {
        return revealed;
      }
    };
  }

  @Test
  void a2xxPassesAndAnythingElseHoldsWithTheAnswerSaid() {
    try (HttpStub server = HttpStub.answering(r -> HttpStub.Response.status(200, "open"))) {
      GateCalls.Answer open = calls.call(gate(server.url("/check")), "{}", secrets(Map.of()));
      assertThat(open).isEqualTo(new GateCalls.Answer(true, "HTTP 200: open"));

      server.answer(503, "change freeze until Monday");
      GateCalls.Answer closed = calls.call(gate(server.url("/check")), "{}", secrets(Map.of()));
      assertThat(closed).isEqualTo(new GateCalls.Answer(false, "HTTP 503: change freeze until Monday"));

      server.answer(404, "x".repeat(5000));
      GateCalls.Answer long404 = calls.call(gate(server.url("/check")), "{}", secrets(Map.of()));
      assertThat(long404.passed()).isFalse();
      assertThat(long404.answer()).hasSize("HTTP 404: ".length() + GateCalls.ANSWER_CHARS + 3).endsWith("...");
    }
  }

  @Test
  void aGateThatDoesNotAnswerWithinItsTimeoutHolds() {
    try (HttpStub server = HttpStub.answering(r -> HttpStub.Response.status(200, "late"))) {
      server.hang();
      Gate gate = gate(server.url("/slow"));
      gate.setTimeout("1s");
      long start = System.nanoTime();
      GateCalls.Answer answer = calls.call(gate, "{}", secrets(Map.of()));
      assertThat(answer.passed()).isFalse();
      assertThat(answer.answer()).contains(server.url("/slow")).contains("1s");
      assertThat((System.nanoTime() - start) / 1e9).as("seconds waited").isLessThan(10);
    }
  }

  @Test
  void theGateGetsFlaggersPayloadAndHeadersFromSecretsWhoseValuesNeverComeBack() throws Exception {
    try (HttpStub server = HttpStub.answering(r -> HttpStub.Response.status(403, "bad token " + r.header("Authorization")))) {
      Gate gate = gate(server.url("/hook"));
      gate.setMetadata(Map.of("cmd", "hey -z 1m http://web-canary.shop/"));
      gate.setHeaders(List.of(WebHeader.fromSecret("Authorization", "gate-token", "token")));
      io.vigie.api.v1alpha1.Rollout rollout = new io.vigie.api.v1alpha1.Rollout();
      rollout.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("web").withNamespace("shop").build());
      RolloutStatus status = new RolloutStatus();
      status.setPhase(RolloutPhase.Progressing);
      status.setStableRevision("rev-1");
      status.setCanaryRevision("rev-2");
      status.setCurrentStepIndex(1);
      status.setCanaryWeight(20);
      rollout.setStatus(status);

      GateCalls.Answer answer = calls.call(gate, GatePayload.of(rollout, gate, null, 4), secrets(Map.of("gate-token/token",
          "Bearer t0ps3cret")));

      assertThat(server.last().header("Authorization")).isEqualTo("Bearer t0ps3cret");
      assertThat(answer).isEqualTo(new GateCalls.Answer(false, "HTTP 403: bad token [redacted]"));
      JsonNode body = JSON.readTree(server.last().body());
      assertThat(server.last().method()).isEqualTo("POST");
      assertThat(body.get("name").asText()).isEqualTo("web");
      assertThat(body.get("namespace").asText()).isEqualTo("shop");
      assertThat(body.get("phase").asText()).isEqualTo("Progressing");
      assertThat(body.get("checksum").asText()).isEqualTo("rev-2");
      assertThat(body.get("type").asText()).isEqualTo("pre-rollout");
      assertThat(body.get("metadata").get("cmd").asText()).isEqualTo("hey -z 1m http://web-canary.shop/");
      assertThat(body.get("vigie").get("step").asText()).isEqualTo("2/4");
      assertThat(body.get("vigie").get("canaryWeight").asInt()).isEqualTo(20);
      assertThat(body.get("vigie").get("stableRevision").asText()).isEqualTo("rev-1");
    }
  }

  @Test
  void aGateBehindTlsIsTrustedThroughItsCaAndRefusedWithout() throws Exception {
    try (SelfSignedHttps server = SelfSignedHttps.start(dir, exchange -> {
      byte[] body = "approved".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    })) {
      Gate gate = gate(server.url("/approve"));
      assertThat(calls.call(gate, "{}", secrets(Map.of())).answer()).contains("PKIX");

      TlsConfig tls = new TlsConfig();
      tls.setCa(SecretKeyRef.of("gate-ca", "ca.crt"));
      gate.setTls(tls);
      assertThat(calls.call(gate, "{}", secrets(Map.of("gate-ca/ca.crt", server.caPem()))))
          .isEqualTo(new GateCalls.Answer(true, "HTTP 200: approved"));
      assertThat(calls.problem(gate, secrets(Map.of()))).hasValueSatisfying(p -> assertThat(p).contains("gate-ca"));
      assertThat(calls.problem(gate, secrets(Map.of("gate-ca/ca.crt", server.caPem())))).isEmpty();
    }
  }

  @Test
  void anAddressTheAdminDidNotAllowIsAProblemBeforeAnyCall() {
    GateCalls strict = new GateCalls(AddressPolicy.defaults());
    assertThat(strict.problem(gate("http://127.0.0.1:9/check"), secrets(Map.of())))
        .hasValueSatisfying(p -> assertThat(p).contains("spec.gates freeze url"));
  }
}
