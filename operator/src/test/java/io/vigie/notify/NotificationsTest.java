package io.vigie.notify;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.NotificationSubscription;
import io.vigie.api.v1alpha1.NotificationSubscription.Event;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.HttpStub;
import io.vigie.testkit.HttpStub.Request;
import io.vigie.testkit.HttpStub.Response;
import io.vigie.testkit.RecordingDispatcher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications by the real operator to real HTTP receivers on loopback: a Slack incoming webhook, a
 * Teams one and a signed JSON webhook, each body checked against its receiver's rules; receivers that
 * fail, hang or are gone delay no step and lose no later message; an operator killed right after the
 * decision that owes a message sends it once.
 */
class NotificationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "s3cret-signing-key";
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

  private HttpStub receiver(java.util.function.Function<Request, Response> answer) {
    HttpStub stub = HttpStub.answering(answer);
    closing.add(stub);
    return stub;
  }

  private void secret(String name, String key, String value) {
    k8s.client().secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name)
        .addToLabels(Notifier.SECRET_LABEL, "true").endMetadata()
        .addToData(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))).build()).create();
  }

  private void channel(String yaml) {
    k8s.client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).inNamespace(NS).create();
  }

  private static NotificationSubscription on(String channel, Event... events) {
    NotificationSubscription s = new NotificationSubscription();
    s.setChannel(channel);
    s.setOn(List.of(events));
    return s;
  }

  private void subscribe(NotificationSubscription... subscriptions) {
    k8s.editRollout("web", r -> {
      r.getSpec().setNotifications(List.of(subscriptions));
      return r;
    });
  }

  private static JsonNode json(Request r) {
    try {
      return JSON.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private CanaryStep errorRateAnalysis() {
    io.vigie.testing.ErrorRateAnalysis analysis = io.vigie.testing.ErrorRateAnalysis.create(k8s);
    closing.add(analysis.metrics());
    return analysis.step();
  }

  @Test
  void aBadReleaseIsToldToSlackTeamsAndASignedWebhookWithTheFailingMetricAndTheDiff() {
    HttpStub slack = receiver(r -> Response.status(200, "ok"));
    HttpStub teams = receiver(r -> Response.status(200, "1"));
    HttpStub hook = receiver(r -> Response.status(204, ""));
    secret("chat-urls", "slack", slack.url("/services/T0/B0/xyz"));
    secret("chat-urls-teams", "teams", teams.url("/webhookb2/abc"));
    secret("hook-key", "key", KEY);
    channel("""
        apiVersion: vigie.io/v1alpha1
        kind: NotificationChannel
        metadata: {name: chat}
        spec:
          slack: {urlSecretRef: {name: chat-urls, key: slack}}
          dashboardURL: "https://grafana.example/d/vigie?var-rollout={{rollout}}&var-namespace={{namespace}}"
        """);
    channel("""
        apiVersion: vigie.io/v1alpha1
        kind: NotificationChannel
        metadata: {name: teams}
        spec:
          teams: {urlSecretRef: {name: chat-urls-teams, key: teams}}
        """);
    channel("""
        apiVersion: vigie.io/v1alpha1
        kind: NotificationChannel
        metadata: {name: hook}
        spec:
          webhook: {url: "%s", signingSecretRef: {name: hook-key, key: key}}
        """.formatted(hook.url("/vigie")));
    k8s.createRollout("web", "web", "web", CanaryStep.weight(25), errorRateAnalysis(), CanaryStep.weight(50));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    subscribe(on("chat", Event.Started, Event.RolledBack), on("teams", Event.RolledBack),
        on("hook", Event.Started, Event.Paused, Event.Promoted, Event.RolledBack));

    k8s.setImage("web", "shop/web:v2-bad");
    k8s.awaitPhase("web", RolloutPhase.RolledBack);

    k8s.eventually(() -> {
      assertThat(slack.requests()).hasSize(2);
      assertThat(teams.requests()).hasSize(1);
      assertThat(hook.requests()).hasSize(2);
      assertThat(k8s.status("web").getNotifications()).as("nothing owed once delivered").isNull();
    });
    for (Request r : slack.requests()) {
      assertThat(r.path()).isEqualTo("/services/T0/B0/xyz");
      assertThat(SlackShape.problems(json(r))).isEmpty();
    }
    assertThat(json(slack.requests().get(0)).path("text").asText()).startsWith("shop/web Started: revision");
    String rolledBack = slack.requests().get(1).body();
    assertThat(rolledBack).contains("shop/web RolledBack").contains("error-rate Failed: 25").contains("(at most 5%)")
        .contains("image shop/web:v1 → shop/web:v2-bad").contains("https://grafana.example/d/vigie?var-rollout=web&var-namespace=shop");
    assertThat(TeamsShape.problems(json(teams.last()))).isEmpty();
    assertThat(teams.last().body()).contains("error-rate Failed");
    Set<String> keys = ConcurrentHashMap.newKeySet();
    for (Request r : hook.requests()) {
      assertThat(r.header("X-Vigie-Signature")).as("signed with the Secret's key").isEqualTo("sha256=" + Notifier.hmac(KEY, r.body()));
      assertThat(json(r).path("idempotencyKey").asText()).isEqualTo(r.header("X-Vigie-Idempotency-Key"));
      keys.add(json(r).path("idempotencyKey").asText());
    }
    assertThat(keys).hasSize(2);
    assertThat(json(hook.last()).path("event").asText()).isEqualTo("RolledBack");
    // Secrets never leave their Secret: not in status, not in Events.
    assertThat(k8s.client().resources(io.vigie.api.v1alpha1.Rollout.class).inNamespace(NS).withName("web").get().toString())
        .doesNotContain("/services/T0/B0/xyz").doesNotContain(KEY);
    assertThat(k8s.events("web").toString()).doesNotContain("/services/T0/B0/xyz").doesNotContain(KEY);
  }

  @Test
  void receiversThatFailHangOrAreGoneDelayNoStepAndLoseNoLaterMessage() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpStub flaky = receiver(r -> calls.incrementAndGet() <= 2 ? Response.status(500, "busy") : Response.status(200, "ok"));
    HttpStub hanging = receiver(r -> Response.status(200, "ok"));
    hanging.hang();
    HttpStub gone = receiver(r -> Response.status(200, "ok"));
    String goneUrl = gone.url("/hook");
    gone.close();
    secret("hook-key", "key", KEY);
    for (String[] c : new String[][] {{"flaky", flaky.url("/hook"), "5"}, {"hanging", hanging.url("/hook"), "1"},
        {"gone", goneUrl, "1"}}) {
      channel("""
          apiVersion: vigie.io/v1alpha1
          kind: NotificationChannel
          metadata: {name: %s}
          spec:
            webhook: {url: "%s", signingSecretRef: {name: hook-key, key: key}}
            timeoutSeconds: %s
          """.formatted(c[0], c[1], c[2]));
    }
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    Event[] all = {Event.Started, Event.Paused, Event.Promoted};
    subscribe(on("flaky", all), on("hanging", all), on("gone", all));

    k8s.setImage("web", "shop/web:v2");
    // The steps go on while every receiver fails: the pause is reached whatever the channels do.
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.annotate("web", "vigie.io/promote", "true");
    k8s.awaitPhase("web", RolloutPhase.Healthy);

    k8s.eventually(() -> assertThat(flaky.requests().stream().filter(r -> r.body().contains("\"event\":\"Promoted\"")).count())
        .as("the later message gets through once the receiver recovers").isEqualTo(1));
    assertThat(flaky.requests().stream().map(r -> json(r).path("event").asText()).distinct().toList())
        .containsExactlyInAnyOrder("Started", "Paused", "Promoted");
    k8s.eventually(() -> assertThat(k8s.events("web")).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("NotificationFailed");
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("channel gone").contains("connection refused").contains("retrying");
    }));
    assertThat(k8s.events("web")).anySatisfy(e -> assertThat(e.getMessage()).contains("channel hanging").contains("did not answer within 1s"));
    hanging.release();
  }

  @Test
  void anOperatorKilledRightAfterTheDecisionThatOwesAMessageSendsItOnce() throws Exception {
    HttpStub hook = receiver(r -> Response.status(200, "ok"));
    secret("hook-key", "key", KEY);
    channel("""
        apiVersion: vigie.io/v1alpha1
        kind: NotificationChannel
        metadata: {name: hook}
        spec:
          webhook: {url: "%s", signingSecretRef: {name: hook-key, key: key}}
        """.formatted(hook.url("/hook")));
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    subscribe(on("hook", Event.Started, Event.Paused));

    // The status write that first owes the message lands, its reply is lost, and that operator is dead.
    ExecutorService restarter = Executors.newSingleThreadExecutor();
    Set<String> dead = ConcurrentHashMap.newKeySet();
    AtomicInteger kills = new AtomicInteger();
    k8s.dispatcher().before((w, applied) -> dead.contains(w.actor())
        ? Optional.of(RecordingDispatcher.status(503, "ServiceUnavailable")) : Optional.empty());
    k8s.dispatcher().after((w, applied) -> {
      if (w.byOperator() && w.path().endsWith("/rollouts/web/status") && w.body().contains("\"notifications\"")
          && kills.getAndIncrement() == 0) {
        dead.add(w.actor());
        restarter.submit(k8s::replaceOperator);
        return Optional.of(RecordingDispatcher.status(503, "ServiceUnavailable"));
      }
      return Optional.empty();
    });
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.eventually(() -> {
      assertThat(kills.get()).isPositive();
      assertThat(hook.requests()).hasSize(2);
      assertThat(k8s.status("web").getNotifications()).isNull();
    });
    List<String> keys = hook.requests().stream().map(r -> json(r).path("idempotencyKey").asText()).toList();
    assertThat(keys).as("each message once across the restart: not zero times, not twice").doesNotHaveDuplicates();
    assertThat(hook.requests().stream().map(r -> json(r).path("event").asText()).toList()).containsExactlyInAnyOrder("Started", "Paused");
    restarter.shutdown();
  }

  @Test
  void theOperatorsDefaultClusterChannelHearsFromEveryRolloutThatDoesNotOptOut() {
    HttpStub platform = receiver(r -> Response.status(200, "ok"));
    // The admin's namespace and Secret: no label needed, the channel is the admin's.
    k8s.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("vigie-system").endMetadata().build()).create();
    k8s.client().secrets().inNamespace("vigie-system").resource(new SecretBuilder().withNewMetadata().withName("platform-hook")
        .endMetadata().addToData("key", Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8))).build()).create();
    k8s.client().load(new ByteArrayInputStream("""
        apiVersion: vigie.io/v1alpha1
        kind: ClusterNotificationChannel
        metadata: {name: platform}
        spec:
          webhook: {url: "%s", signingSecretRef: {name: platform-hook, key: key}}
          secretsNamespace: vigie-system
        """.formatted(platform.url("/releases")).getBytes(StandardCharsets.UTF_8))).create();
    // An operator run with a default channel (stopped first: two operators at once would share the Rollout).
    k8s.stopOperator();
    k8s.settings(io.vigie.reconciler.OperatorSettings.defaults("test-operator").withAllowedProviderHosts(OperatorHarness.LOOPBACK)
        .withDefaultNotifications(NotificationSubscription.of("platform", true, List.of(Event.Started, Event.RolledBack))));
    k8s.startOperator();
    k8s.createRollout("web", "web", "web", CanaryStep.weight(20), CanaryStep.pauseUntilPromoted());
    k8s.awaitPhase("web", RolloutPhase.Healthy);

    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    k8s.annotate("web", "vigie.io/abort", "true");
    String v2 = k8s.awaitPhase("web", RolloutPhase.RolledBack).getAbort().getRevision();
    k8s.eventually(() -> assertThat(platform.requests().stream().map(r -> json(r).path("event").asText()).toList())
        .containsExactly("Started", "RolledBack"));
    platform.requests().forEach(r -> assertThat(r.header("X-Vigie-Signature")).isEqualTo("sha256=" + Notifier.hmac(KEY, r.body())));

    // A Rollout that opts out is not heard from.
    k8s.annotate("web", Outbox.DEFAULT_NOTIFICATIONS, "false");
    k8s.setImage("web", "shop/web:v3");
    k8s.awaitStatus("web", st -> st.getPhase() == RolloutPhase.Paused && st.getCanaryRevision() != null
        && !st.getCanaryRevision().equals(v2));
    k8s.afterReconciles("web", () -> { });
    assertThat(platform.requests()).hasSize(2);
  }
}
