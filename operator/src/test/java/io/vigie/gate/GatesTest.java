package io.vigie.gate;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Gate;
import io.vigie.api.v1alpha1.GateStatus;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.WebHeader;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.HttpStub;
import io.vigie.testkit.HttpStub.Request;
import io.vigie.testkit.HttpStub.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gates asked by the real operator, on a real HTTP server on loopback: each kind in its place in a
 * release, a closed gate holding it with its answer, a gate that aborts, one that does not answer in
 * time, and one whose Secret is missing.
 */
class GatesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private OperatorHarness k8s;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void start() {
    k8s = OperatorHarness.start();
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    k8s.close();
  }

  private HttpStub server(Function<Request, Response> answer) {
    HttpStub stub = HttpStub.answering(answer);
    closing.add(stub);
    return stub;
  }

  private static Gate gate(String name, Gate.Type type, String url) {
    Gate gate = new Gate();
    gate.setName(name);
    gate.setType(type);
    gate.setUrl(url);
    return gate;
  }

  private void release(List<Gate> gates, CanaryStep... steps) {
    k8s.createRollout("web", "web", "web", CanaryStep.weight(100));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.editRollout("web", r -> {
      r.getSpec().setGates(gates);
      r.getSpec().getStrategy().getCanary().setSteps(List.of(steps));
      return r;
    });
    k8s.setImage("web", "shop/web:v2");
  }

  private static JsonNode json(Request r) {
    try {
      return JSON.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Optional<GateStatus> gateStatus(RolloutStatus status, String name) {
    return status.getGates() == null ? Optional.empty() : status.getGates().stream().filter(g -> g.getName().equals(name)).findFirst();
  }

  private List<String> paths(HttpStub server) {
    return server.requests().stream().map(Request::path).toList();
  }

  @Test
  void eachGateIsAskedInItsPlaceAndTheLoadGeneratorRunsOnlyDuringTheSteps() {
    HttpStub server = server(r -> Response.status(200, "ok"));
    Gate load = gate("load", Gate.Type.loadTest, server.url("/load"));
    load.setMetadata(Map.of("cmd", "hey -z 1m -q 10 http://web-canary.shop/"));
    load.setInterval("10s");
    release(List.of(gate("freeze", Gate.Type.preRollout, server.url("/freeze")), gate("smoke", Gate.Type.step, server.url("/smoke")),
        gate("approve", Gate.Type.confirmPromotion, server.url("/approve")), gate("tell", Gate.Type.postRollout, server.url("/tell")),
        load), CanaryStep.weight(20), CanaryStep.gate("smoke"), CanaryStep.pauseFor("30s"), CanaryStep.weight(50));
    k8s.awaitStatus("web", st -> st.getCurrentStepIndex() != null && st.getCurrentStepIndex() == 2);
    k8s.advance("web", Duration.ofSeconds(30));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.eventually(() -> assertThat(gateStatus(k8s.status("web"), "tell")).hasValueSatisfying(g -> {
      assertThat(g.getPhase()).isEqualTo(GateStatus.Phase.Passed);
      assertThat(g.getAnswer()).isEqualTo("HTTP 200: ok");
    }));

    List<String> gates = paths(server).stream().filter(p -> !p.equals("/load")).toList();
    assertThat(gates).containsExactly("/freeze", "/smoke", "/approve", "/tell");
    JsonNode freeze = json(server.requests().get(paths(server).indexOf("/freeze")));
    assertThat(freeze.get("type").asText()).isEqualTo("pre-rollout");
    assertThat(freeze.get("vigie").get("canaryWeight").asInt()).as("asked before the canary's first traffic").isZero();
    JsonNode smoke = json(server.requests().get(paths(server).indexOf("/smoke")));
    assertThat(smoke.get("vigie").get("step").asText()).isEqualTo("2/4");
    assertThat(smoke.get("vigie").get("canaryWeight").asInt()).isEqualTo(20);
    List<Request> loads = server.requests().stream().filter(r -> r.path().equals("/load")).toList();
    assertThat(loads).as("called at the start and again after its 10s interval, in the 30s pause").hasSizeGreaterThanOrEqualTo(2);
    assertThat(json(loads.get(0)).get("metadata").get("cmd").asText()).isEqualTo("hey -z 1m -q 10 http://web-canary.shop/");
    assertThat(json(loads.get(0)).get("type").asText()).isEqualTo("rollout");
    assertThat(paths(server).lastIndexOf("/load")).as("no load test once the steps are done").isLessThan(paths(server).indexOf("/approve"));

    RolloutStatus status = k8s.status("web");
    assertThat(gateStatus(status, "freeze")).hasValueSatisfying(g -> assertThat(g.getPhase()).isEqualTo(GateStatus.Phase.Passed));
    assertThat(gateStatus(status, "load")).hasValueSatisfying(g -> assertThat(g.getPhase()).isEqualTo(GateStatus.Phase.Stopped));
    int loadCalls = loads.size();
    k8s.advance("web", Duration.ofSeconds(60));
    k8s.afterReconciles("web", () -> { });
    assertThat(server.requests().stream().filter(r -> r.path().equals("/load")).count()).as("stopped with the canary")
        .isEqualTo(loadCalls);
    assertThat(k8s.eventReasons("web")).contains("GatePassed");
  }

  @Test
  void aClosedGateHoldsTheReleaseWithItsAnswerUntilItOpens() {
    HttpStub freeze = server(r -> Response.status(503, "change freeze until Monday"));
    release(List.of(gate("freeze", Gate.Type.preRollout, freeze.url("/freeze"))), CanaryStep.weight(20), CanaryStep.weight(60));

    RolloutStatus held = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(held.getMessage()).contains("gate freeze (preRollout) answered HTTP 503: change freeze until Monday")
        .contains("vigie.io/abort rolls back");
    assertThat(held.getCanaryWeight()).isZero();
    assertThat(held.getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("GateHeld"));
    k8s.eventually(() -> assertThat(k8s.eventReasons("web")).contains("Held"));
    int asked = freeze.requests().size();
    k8s.advance("web", Duration.ofSeconds(29));
    k8s.afterReconciles("web", () -> { });
    assertThat(freeze.requests()).as("asked again after the 30s interval, not before").hasSize(asked);

    freeze.answer(200, "open");
    k8s.advance("web", Duration.ofSeconds(1));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    assertThat(k8s.status("web").getHistory()).anySatisfy(h -> assertThat(h.getVerdict().name()).isEqualTo("Promoted"));
  }

  @Test
  void aPersonsPromotePassesAHeldPreRolloutGateButNotTheFirstStep() {
    HttpStub freeze = server(r -> Response.status(503, "change freeze until Monday"));
    release(List.of(gate("freeze", Gate.Type.preRollout, freeze.url("/freeze"))), CanaryStep.weight(20),
        CanaryStep.pauseUntilPromoted());
    k8s.awaitPhase("web", RolloutPhase.Paused);

    k8s.annotate("web", "vigie.io/promote", "true");
    RolloutStatus status = k8s.awaitStatus("web", s -> s.getCurrentStepIndex() != null && s.getCurrentStepIndex() == 1);
    assertThat(status.getSkippedSteps()).as("step 1 ran, with its 20%").isNull();
    assertThat(status.getCanaryWeight()).isEqualTo(20);
    assertThat(gateStatus(status, "freeze")).hasValueSatisfying(g -> {
      assertThat(g.getPhase()).isEqualTo(GateStatus.Phase.Passed);
      assertThat(g.getAnswer()).isEqualTo("passed by hand (vigie.io/promote) after: HTTP 503: change freeze until Monday");
    });
  }

  @Test
  void aGateWhoseOnFailureIsAbortRollsTheCanaryBackSayingWhy() {
    HttpStub smoke = server(r -> Response.status(500, "smoke tests failed: 3 of 40"));
    Gate gate = gate("smoke", Gate.Type.step, smoke.url("/smoke"));
    gate.setOnFailure(Gate.OnFailure.Abort);
    release(List.of(gate), CanaryStep.weight(20), CanaryStep.gate("smoke"), CanaryStep.weight(60));

    RolloutStatus status = k8s.awaitPhase("web", RolloutPhase.RolledBack);
    assertThat(status.getAbort().getReason()).isEqualTo("GateFailed");
    assertThat(status.getAbort().getMessage()).isEqualTo("gate smoke (step at step 2/3) answered HTTP 500: smoke tests failed: 3 of 40 "
        + "at step 2/3");
    assertThat(status.getRollbackReport().getTrigger()).isEqualTo("GateFailed");
    assertThat(smoke.requests()).hasSize(1);
  }

  @Test
  void aGateThatDoesNotAnswerInTimeHoldsAndIsAskedAgain() {
    HttpStub approve = server(r -> Response.status(200, "approved"));
    approve.hang();
    Gate gate = gate("approve", Gate.Type.confirmPromotion, approve.url("/approve"));
    gate.setTimeout("1s");
    gate.setInterval("5s");
    release(List.of(gate), CanaryStep.weight(20));

    RolloutStatus held = k8s.awaitPhase("web", RolloutPhase.Paused);
    assertThat(held.getMessage()).contains("gate approve (confirmPromotion) answered").contains("did not answer within 1s");
    approve.release();
    k8s.advance("web", Duration.ofSeconds(5));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
  }

  @Test
  void aGateWhoseSecretIsMissingMakesTheRolloutInvalidBeforeAnyCall() {
    HttpStub freeze = server(r -> Response.status(200, "ok"));
    Gate gate = gate("freeze", Gate.Type.preRollout, freeze.url("/freeze"));
    gate.setHeaders(List.of(WebHeader.fromSecret("Authorization", "freeze-token", "token")));
    release(List.of(gate), CanaryStep.weight(20));

    RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);
    assertThat(invalid.getMessage()).contains("spec.gates freeze").contains("freeze-token");
    assertThat(k8s.deployment("web").getSpec().getPaused()).as("the Deployment stays guarded").isTrue();
    assertThat(freeze.requests()).isEmpty();
  }
}
