package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.health.OpsServer;
import io.vigie.reconciler.OperatorSettings;
import io.vigie.testkit.HttpStub;
import io.vigie.testkit.HttpStub.Response;
import io.vigie.testing.OperatorHarness;
import io.vigie.testkit.SilentServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * docs/security.md, threat by threat, as an author who may create Rollouts and AnalysisTemplates in
 * one namespace (but may not read its Secrets) would try it, against the real operator on the mock
 * cluster with real HTTP servers on loopback (which the tests allow, as an admin would, with
 * --allowed-provider-hosts 127.0.0.1). Each attempt is refused with a status message saying why.
 */
class SecurityTest {
  private static final String TOKEN = "tok-3b9f1c2e-prod-do-not-leak";
  private static final String PASSWORD = "pw-7d41-hunter2-prod";
  private OperatorHarness k8s;

  @AfterEach
  void stop() {
    if (k8s != null) {
      k8s.close();
    }
  }

  private void start(OperatorSettings settings) {
    k8s = settings == null ? OperatorHarness.start() : OperatorHarness.start(settings);
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
  }

  private void apply(String yaml) {
    k8s.client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).inNamespace(NS).create();
  }

  private void secret(String name, boolean labelled, Map<String, String> data) {
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().withStringData(data);
    if (labelled) {
      secret.editMetadata().addToLabels("vigie.io/analysis-secret", "true").endMetadata();
    }
    k8s.client().secrets().inNamespace(NS).resource(secret.build()).create();
  }

  /** A Rollout of web with these analysis fields (background analysis), steps 25% then a pause. */
  private void rollout(String analysis) {
    apply("""
        apiVersion: vigie.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          targetRef: {kind: Deployment, name: web}
          service: {name: web, port: 80}
          strategy: {canary: {steps: [{setWeight: 25}, {pause: {}}]}}
          analysis:
        """ + analysis.indent(4));
  }

  private static String webMetric(String url, String extra) {
    return """
        metrics:
        - name: errors
          interval: 10s
          thresholdRange: {max: 0.5}
          provider:
            web:
              url: "%s"
              jsonPointer: /value
        %s""".formatted(url, extra.indent(6));
  }

  /** What a person sees of the Rollout, and what the operator logged: where a credential must never appear. */
  private String everythingShown(ListAppender<ILoggingEvent> logs) {
    StringBuilder all = new StringBuilder(io.fabric8.kubernetes.client.utils.Serialization.asJson(k8s.rollout("web").getStatus()));
    k8s.events("web").forEach(e -> all.append('\n').append(e.getMessage()));
    logs.list.forEach(e -> all.append('\n').append(e.getFormattedMessage()));
    return all.toString();
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger vigie = (Logger) LoggerFactory.getLogger("io.vigie");
    vigie.setLevel(Level.DEBUG);
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    return logs;
  }

  private static void stopCapture(ListAppender<ILoggingEvent> logs) {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    ((Logger) LoggerFactory.getLogger("io.vigie")).setLevel(null);
  }

  // ---- 1. Secret exfiltration ----------------------------------------------------------------

  @Test
  void aSecretItsOwnerDidNotLabelIsNeverReadForARolloutsAuthor() {
    start(null);
    secret("db", false, Map.of("password", PASSWORD));
    try (HttpStub attacker = HttpStub.answering(r -> Response.json("{\"value\": 0}"))) {
      rollout(webMetric(attacker.url("/collect"), """
          headers:
          - name: x-exfil
            valueFrom: {secretKeyRef: {name: db, key: password}}"""));

      RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);
      assertThat(invalid.getMessage()).isEqualTo("spec.analysis metric errors: Secret shop/db is not labelled "
          + "vigie.io/analysis-secret=true: Vigie reads for analyses only the Secrets their owner marked (kubectl label secret "
          + "db -n shop vigie.io/analysis-secret=true), or those a ClusterAnalysisTemplate names");
      assertThat(attacker.requests()).isEmpty();

      // The owner marks the Secret for analyses: then, and only then, it is used (and sent where the metric says).
      k8s.client().secrets().inNamespace(NS).withName("db").edit(s -> {
        s.getMetadata().setLabels(Map.of("vigie.io/analysis-secret", "true"));
        return s;
      });
      k8s.nudge("web");
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitPhase("web", RolloutPhase.Paused);
      await().atMost(OperatorHarness.WAIT).until(() -> !attacker.requests().isEmpty());
      assertThat(attacker.requests().get(0).header("x-exfil")).isEqualTo(PASSWORD);
    }
  }

  @Test
  void anArgFromAnUnlabelledSecretIsRefusedAndOneFromALabelledSecretNeverGoesInAUrlOrACondition() {
    start(null);
    secret("db", false, Map.of("password", PASSWORD));
    secret("api-key", true, Map.of("key", TOKEN));
    try (HttpStub attacker = HttpStub.answering(r -> Response.json("{\"value\": 0}"))) {
      rollout("args: [{name: p, valueFrom: {secretKeyRef: {name: db, key: password}}}]\n"
          + webMetric(attacker.url("/collect"), ""));
      assertThat(k8s.awaitPhase("web", RolloutPhase.Invalid).getMessage())
          .startsWith("spec.analysis.args[0]: Secret shop/db is not labelled vigie.io/analysis-secret=true");

      k8s.client().resources(io.vigie.api.v1alpha1.Rollout.class).inNamespace(NS).withName("web").delete();
      await().atMost(OperatorHarness.WAIT).until(() -> k8s.rollout("web") == null);
      rollout("args: [{name: key, valueFrom: {secretKeyRef: {name: api-key, key: key}}}]\n"
          + webMetric(attacker.url("/collect?token={{args.key}}"), ""));
      RolloutStatus invalid = k8s.awaitPhase("web", RolloutPhase.Invalid);
      assertThat(invalid.getMessage()).isEqualTo("spec.analysis.metrics[0]: arg key comes from a Secret, and provider.web.url "
          + "is no place for it: a Secret's value may go only in a web provider's header value or body, never in a URL, a query "
          + "or a condition");
      assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(invalid)).doesNotContain(TOKEN);
      assertThat(attacker.requests()).isEmpty();
    }
  }

  @Test
  void aClusterTemplatesCredentialsGoOnlyToTheAddressItsAdminWrote() {
    start(null);
    // The admin's Prometheus token, in the namespace, unlabelled: the admin's template names it.
    secret("prom-token", false, Map.of("token", TOKEN));
    try (HttpStub prometheus = HttpStub.answering(r -> Response.json("""
            {"status": "success", "data": {"resultType": "scalar", "result": [0, "0.01"]}}"""));
        HttpStub attacker = HttpStub.answering(r -> Response.json("{}"))) {
      k8s.client().load(new ByteArrayInputStream("""
          apiVersion: vigie.io/v1alpha1
          kind: ClusterAnalysisTemplate
          metadata: {name: errors}
          spec:
            args: [{name: prometheus, value: "%s"}]
            metrics:
            - name: errors
              interval: 10s
              thresholdRange: {max: 0.5}
              provider:
                prometheus:
                  address: "{{args.prometheus}}"
                  query: vector(0.01)
                  auth: {bearerToken: {name: prom-token, key: token}}
          """.formatted(prometheus.url("")).getBytes(StandardCharsets.UTF_8))).create();
      rollout("templates: [{name: errors, clusterScope: true}]\nargs: [{name: prometheus, value: \"" + attacker.url("")
          + "\"}]\n");
      assertThat(k8s.awaitPhase("web", RolloutPhase.Invalid).getMessage()).isEqualTo("spec.analysis.templates[0] "
          + "(ClusterAnalysisTemplate errors) metric errors: arg prometheus is given by the Rollout but sets the address to which "
          + "this ClusterAnalysisTemplate's metric sends its credentials: only the template may set it");

      k8s.client().resources(io.vigie.api.v1alpha1.Rollout.class).inNamespace(NS).withName("web").delete();
      await().atMost(OperatorHarness.WAIT).until(() -> k8s.rollout("web") == null);
      rollout("templates: [{name: errors, clusterScope: true}]\n");
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      k8s.setImage("web", "shop/web:v2");
      await().atMost(OperatorHarness.WAIT).until(() -> !prometheus.requests().isEmpty());
      assertThat(prometheus.requests().get(0).header("authorization")).isEqualTo("Bearer " + TOKEN);
      assertThat(attacker.requests()).isEmpty();
    }
  }

  // ---- 5. What Vigie shows: no credential in status, Events, logs or /metrics ----------------

  @Test
  void anAnswerThatEchoesTheCredentialsLeavesNoTraceOfThemInStatusEventsLogsOrMetrics() throws Exception {
    start(null);
    secret("prom", true, Map.of("token", TOKEN));
    secret("basic", true, Map.of("username", "vigie", "password", PASSWORD));
    secret("hdr", true, Map.of("value", "hdr-" + TOKEN));
    ListAppender<ILoggingEvent> logs = captureLogs();
    // A provider that answers with the request's credentials in its error (a proxy's debug page, say).
    try (HttpStub echo = HttpStub.answering(r -> Response.status(400, "{\"status\": \"error\", \"errorType\": \"bad_data\", "
            + "\"error\": \"refused: authorization=" + r.header("authorization") + " x-key=" + r.header("x-key") + "\"}"));
        OpsServer ops = OpsServer.start(0, k8s.operator().metrics(), k8s.operator().health())) {
      apply("""
          apiVersion: vigie.io/v1alpha1
          kind: AnalysisTemplate
          metadata: {name: creds}
          spec:
            metrics:
            - name: bearer
              interval: 10s
              thresholdRange: {max: 1}
              provider: {prometheus: {address: "%1$s", query: up, auth: {bearerToken: {name: prom, key: token}}}}
            - name: basic
              interval: 10s
              thresholdRange: {max: 1}
              provider: {prometheus: {address: "%1$s", query: up, auth: {basic: {name: basic}}}}
            - name: header
              interval: 10s
              thresholdRange: {max: 1}
              provider:
                web:
                  url: "%1$s/stats"
                  headers: [{name: x-key, valueFrom: {secretKeyRef: {name: hdr, key: value}}}]
          """.formatted(echo.url("")));
      rollout("templates: [{name: creds}]\n");
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitStatus("web", s -> s.getAnalysis().stream().flatMap(r -> r.getMetrics().stream())
          .filter(m -> m.getErrors() > 0).count() == 3);
      k8s.eventually(() -> assertThat(echo.requests()).hasSizeGreaterThanOrEqualTo(3));
      assertThat(echo.requests()).anySatisfy(r -> assertThat(r.header("authorization")).isEqualTo("Bearer " + TOKEN));

      String basic = Base64.getEncoder().encodeToString(("vigie:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      String shown = everythingShown(logs) + HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + ops.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(shown).contains("[redacted]").doesNotContain(TOKEN).doesNotContain(PASSWORD).doesNotContain(basic);
    } finally {
      stopCapture(logs);
    }
  }

  // ---- 2. Server-side request forgery ---------------------------------------------------------

  @Test
  void metadataServicesLinkLocalAddressesAndTheApiServerAreRefusedBeforeAnyRequest() {
    start(null);
    String apiServer = k8s.client().getConfiguration().getMasterUrl().replaceAll("/+$", "");
    String[][] cases = {
        {"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "169.254.169.254, a link-local address (where cloud metadata services answer)"},
        {"http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal is a cloud metadata service"},
        {"http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254, a cloud metadata service"},
        {apiServer + "/api/v1/namespaces/shop/secrets", apiServer.replaceFirst("^https?://", "") + " is the Kubernetes API "
            + "server, which no provider may be"},
    };
    rollout(webMetric("http://127.0.0.1:9/ok", ""));
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    for (String[] c : cases) {
      k8s.editRollout("web", r -> {
        r.getSpec().getAnalysis().getMetrics().get(0).getProvider().getWeb().setUrl(c[0]);
        return r;
      });
      assertThat(k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Invalid && s.getMessage().contains(c[1])).getMessage())
          .as(c[0]).contains("is not an address Vigie sends requests to: " + c[1]);
    }
  }

  @Test
  void aNameIsJudgedByTheAddressItResolvesToAndARedirectByWhereItGoes() {
    // The admin allowed one in-house loopback address, not the operator's own host.
    start(OperatorSettings.defaults("test-operator").withAllowedProviderHosts(List.of("127.0.0.2")));
    try (HttpStub target = HttpStub.answering(r -> Response.json("{\"value\": 0}"))) {
      rollout(webMetric(target.url("/stats").replace("127.0.0.1", "localhost"), ""));
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      k8s.setImage("web", "shop/web:v2");
      RolloutStatus refused = k8s.awaitStatus("web", s -> s.getAnalysis().stream().flatMap(r -> r.getMetrics().stream())
          .anyMatch(m -> m.getErrors() > 0));
      assertThat(refused.getAnalysis().get(0).getMetrics().get(0).getMeasurements().get(0).getMessage())
          .contains("is not an address Vigie sends requests to: localhost resolves to 127.0.0.1, a loopback address");
      assertThat(target.requests()).isEmpty();
    }
  }

  @Test
  void aRedirectIsNotFollowedToARefusedAddressNorWithTheCredentialsToAnotherOrigin() {
    start(null);
    secret("hdr", true, Map.of("value", TOKEN));
    try (HttpStub other = HttpStub.answering(r -> Response.json("{\"value\": 0}"));
        HttpStub redirector = HttpStub.answering(r -> r.path().startsWith("/meta")
            ? Response.redirect("http://169.254.169.254/latest/meta-data/") : Response.redirect(other.url("/stats")))) {
      rollout("""
          metrics:
          - name: to-metadata
            interval: 10s
            thresholdRange: {max: 0.5}
            provider: {web: {url: "%s", jsonPointer: /value}}
          - name: to-other-origin
            interval: 10s
            thresholdRange: {max: 0.5}
            provider:
              web:
                url: "%s"
                jsonPointer: /value
                headers: [{name: x-key, valueFrom: {secretKeyRef: {name: hdr, key: value}}}]
          """.formatted(redirector.url("/meta"), redirector.url("/stats")));
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      k8s.setImage("web", "shop/web:v2");
      RolloutStatus status = k8s.awaitStatus("web", s -> s.getAnalysis().stream().flatMap(r -> r.getMetrics().stream())
          .filter(m -> m.getMeasured() > 0).count() == 2);
      assertThat(status.getAnalysis().get(0).getMetrics()).anySatisfy(m -> {
        assertThat(m.getName()).isEqualTo("to-metadata");
        assertThat(m.getMeasurements().get(0).getMessage()).contains("redirected to http://169.254.169.254/latest/meta-data/ "
            + "is not an address Vigie sends requests to");
      });
      await().atMost(OperatorHarness.WAIT).until(() -> !other.requests().isEmpty());
      assertThat(redirector.requests()).anySatisfy(r -> assertThat(r.header("x-key")).isEqualTo(TOKEN));
      assertThat(other.requests()).allSatisfy(r -> assertThat(r.header("x-key")).as("credentials stay with their origin").isNull());
    }
  }

  // ---- 3. Resource exhaustion -----------------------------------------------------------------

  @Test
  void anAnswerOverAMebibyteIsAnErrorAndAHostileRolloutDoesNotHoldAGoodOneBack() {
    start(null);
    k8s.createDeployment("api", "shop/api:v1", 2);
    k8s.createService("api", "api");
    byte[] huge = new byte[2 << 20];
    java.util.Arrays.fill(huge, (byte) ' ');
    try (SilentServer silent = SilentServer.start();
        HttpStub flood = HttpStub.answering(r -> new Response(200, Map.of(), huge));
        HttpStub good = HttpStub.answering(r -> Response.json("{\"value\": 0.01}"))) {
      // The hostile Rollout: 20 metrics every second, half to a server that never answers, half answering 2 MiB.
      StringBuilder metrics = new StringBuilder("metrics:\n");
      for (int i = 0; i < 20; i++) {
        metrics.append("""
            - name: m%d
              interval: 1s
              thresholdRange: {max: 1}
              consecutiveErrorLimit: 1000
              provider: {web: {url: "%s", timeout: 60s}}
            """.formatted(i, i % 2 == 0 ? silent.url() : flood.url("/big")));
      }
      rollout(metrics.toString());
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      CanaryStep analysis = new CanaryStep();
      analysis.setAnalysis(new io.vigie.api.v1alpha1.RolloutAnalysis());
      io.vigie.api.v1alpha1.Metric metric = new io.vigie.api.v1alpha1.Metric();
      metric.setName("errors");
      metric.setCount(1);
      io.vigie.api.v1alpha1.ThresholdRange max = new io.vigie.api.v1alpha1.ThresholdRange();
      max.setMax(0.05);
      metric.setThresholdRange(max);
      io.vigie.api.v1alpha1.WebProvider web = new io.vigie.api.v1alpha1.WebProvider();
      web.setUrl(good.url("/stats"));
      web.setJsonPointer("/value");
      io.vigie.api.v1alpha1.MetricProvider provider = new io.vigie.api.v1alpha1.MetricProvider();
      provider.setWeb(web);
      metric.setProvider(provider);
      analysis.getAnalysis().setMetrics(List.of(metric));
      k8s.createRollout("api", "api", "api", CanaryStep.weight(50), analysis, CanaryStep.pauseUntilPromoted());
      k8s.awaitPhase("api", RolloutPhase.Healthy);

      k8s.setImage("web", "shop/web:v2");
      await().atMost(OperatorHarness.WAIT).until(() -> silent.connections() >= 2);
      k8s.awaitStatus("web", s -> s.getAnalysis().stream().flatMap(r -> r.getMetrics().stream())
          .anyMatch(m -> m.getMeasurements().stream().anyMatch(x -> x.getMessage().contains("answered more than 1 MiB"))));
      k8s.setImage("api", "shop/api:v2");
      // The good Rollout's analysis step is measured and passed while the hostile one's measurements hang.
      RolloutStatus api = k8s.awaitStatus("api", s -> "3/3".equals(s.getStep()));
      assertThat(api.getAnalysis()).singleElement().satisfies(r -> assertThat(r.getPhase().name()).isEqualTo("Successful"));
      assertThat(silent.connections()).as("at most 4 measurements of one Rollout in flight").isLessThanOrEqualTo(4);
    }
  }

  // ---- 4. Cross-namespace reach ---------------------------------------------------------------

  @Test
  void aNamespacedOperatorNeverReadsOrWritesOutsideItsNamespaces() {
    start(OperatorSettings.defaults("test-operator").withAllowedProviderHosts(OperatorHarness.LOOPBACK)
        .withNamespaces(Set.of(NS)));
    k8s.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("payments").endMetadata().build()).create();
    k8s.client().secrets().inNamespace("payments").resource(new SecretBuilder().withNewMetadata().withName("db")
        .addToLabels("vigie.io/analysis-secret", "true").endMetadata().withStringData(Map.of("password", PASSWORD)).build()).create();
    secret("local", true, Map.of("key", TOKEN));
    try (HttpStub stub = HttpStub.answering(r -> Response.json("{\"value\": 0}"))) {
      rollout("args: [{name: k, valueFrom: {secretKeyRef: {name: local, key: key}}}]\n" + webMetric(stub.url("/stats"),
          "headers: [{name: x-k, value: \"{{args.k}}\"}]"));
      k8s.createRollout("elsewhere", "payments/web", "web", CanaryStep.weight(20));
      k8s.awaitPhase("web", RolloutPhase.Healthy);
      assertThat(k8s.awaitPhase("elsewhere", RolloutPhase.Invalid).getMessage()).startsWith("spec.targetRef.name 'payments/web' "
          + "is not the name of an object");
      k8s.setImage("web", "shop/web:v2");
      k8s.awaitPhase("web", RolloutPhase.Paused);
      await().atMost(OperatorHarness.WAIT).until(() -> !stub.requests().isEmpty());
    }
    Set<String> paths = k8s.dispatcher().operatorPaths();
    assertThat(paths).isNotEmpty().noneMatch(p -> p.contains("/namespaces/payments"))
        // Discovery of an API group version (whether the cluster serves HTTPRoutes) lists kinds, no object.
        .allSatisfy(p -> assertThat(p.contains("/namespaces/" + NS + "/") || p.endsWith("/namespaces/" + NS)
            || p.contains("/clusteranalysistemplates") || p.matches("/apis/[^/]+/[^/]+")).as(p).isTrue());
  }
}
