package io.vigie.dashboard;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.testing.OperatorHarness;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's server without a browser: actions need the session's token (CSRF), are refused by
 * the operator's own rules, a read-only dashboard offers and takes none, and the live updates come
 * from one watch per kind however many pages are open.
 */
class DashboardHttpTest {
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private HttpResponse<String> get(URI uri, String cookie) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI uri, String cookie, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody());
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    if (token != null) {
      request.header(DashboardServer.TOKEN_HEADER, token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static OperatorHarness canaryPaused() {
    OperatorHarness k8s = OperatorHarness.start();
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
    k8s.createRollout("web", "web", "web", CanaryStep.weight(25), CanaryStep.pauseUntilPromoted());
    k8s.awaitPhase("web", RolloutPhase.Healthy);
    k8s.setImage("web", "shop/web:v2");
    k8s.awaitPhase("web", RolloutPhase.Paused);
    return k8s;
  }

  @Test
  void anActionNeedsTheSessionsTokenAndIsRefusedByTheOperatorsRules() throws Exception {
    try (OperatorHarness k8s = canaryPaused();
        DashboardServer dashboard = DashboardServer.start(k8s.client(), Optional.of(NS), new InetSocketAddress("127.0.0.1", 0),
            false, k8s.clock())) {
      URI page = dashboard.url().resolve("rollouts/shop/web");
      HttpResponse<String> first = get(page, null);
      assertThat(first.statusCode()).isEqualTo(200);
      String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
      assertThat(first.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("SameSite=Strict");
      assertThat(first.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
      Matcher token = Pattern.compile("name=\"token\" value=\"([0-9a-f]+)\"").matcher(first.body());
      assertThat(token.find()).isTrue();
      assertThat(dashboard.url().getHost()).isEqualTo("127.0.0.1");

      URI promote = dashboard.url().resolve("rollouts/shop/web/promote");
      assertThat(post(promote, null, token.group(1)).statusCode()).as("no session").isEqualTo(403);
      assertThat(post(promote, cookie, "0".repeat(48)).statusCode()).as("another token").isEqualTo(403);
      assertThat(post(promote, "vigie-session=forged", token.group(1)).statusCode()).as("another session").isEqualTo(403);
      assertThat(k8s.rollout("web").getMetadata().getAnnotations()).doesNotContainKey("vigie.io/promote");

      HttpResponse<String> refused = post(dashboard.url().resolve("rollouts/shop/web/retry"), cookie, token.group(1));
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(refused.body()).isEqualTo("shop/web: retry applies to a rolled-back update, and the Rollout is Paused\n");

      HttpResponse<String> done = post(promote, cookie, token.group(1));
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(done.body()).isEqualTo("shop/web: requested vigie.io/promote=true\n");
      k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && s.getCanaryRevision() == null);
      assertThat(k8s.status("web").getLastControl().getResult()).isEqualTo("step 2/2 promoted");
    }
  }

  @Test
  void aReadOnlyDashboardOffersNoActionAndTakesNone() throws Exception {
    try (OperatorHarness k8s = canaryPaused();
        DashboardServer dashboard = DashboardServer.start(k8s.client(), Optional.of(NS), new InetSocketAddress("127.0.0.1", 0),
            true, k8s.clock())) {
      HttpResponse<String> page = get(dashboard.url().resolve("rollouts/shop/web"), null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("read-only").contains("Paused").doesNotContain("<form method=\"post\"")
          .doesNotContain("name=\"token\"");
      assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();
      HttpResponse<String> abort = post(dashboard.url().resolve("rollouts/shop/web/abort"), null, null);
      assertThat(abort.statusCode()).isEqualTo(403);
      assertThat(abort.body()).isEqualTo("this dashboard is read-only\n");
      assertThat(k8s.rollout("web").getMetadata().getAnnotations()).doesNotContainKey("vigie.io/abort");
    }
  }

  @Test
  void theOperatorServesItReadOnlyBesideItsMetrics() throws Exception {
    try (OperatorHarness k8s = canaryPaused();
        io.vigie.health.OpsServer ops = io.vigie.health.OpsServer.start(0, new io.vigie.metrics.OperatorMetrics(),
            new io.vigie.health.OperatorHealth(false), DashboardServer.THREADS);
        DashboardServer board = ops.mount(server -> DashboardServer.mountReadOnly(server, k8s.client(), Optional.empty(),
            k8s.clock()))) {
      URI base = URI.create("http://127.0.0.1:" + ops.port() + "/");
      assertThat(board).isNotNull();
      HttpResponse<String> overview = get(base, null);
      assertThat(overview.statusCode()).isEqualTo(200);
      assertThat(overview.body()).contains("all namespaces").contains("read-only").contains("data-rollout=\"shop/web\"");
      assertThat(get(base.resolve("rollouts/shop/web"), null).body()).doesNotContain("<form method=\"post\"");
      assertThat(post(base.resolve("rollouts/shop/web/abort"), null, null).statusCode()).isEqualTo(403);
      assertThat(get(base.resolve("metrics"), null).statusCode()).as("the ops port still serves its own").isEqualTo(200);
      assertThat(get(base.resolve("healthz"), null).body()).startsWith("ok");
    }
  }

  @Test
  void livePagesShareOneWatchPerKindAndHearOfEachChange() throws Exception {
    try (OperatorHarness k8s = canaryPaused()) {
      k8s.dispatcher().recordRequests(true);
      try (DashboardServer dashboard = DashboardServer.start(k8s.clientAs("dashboard"), Optional.of(NS),
          new InetSocketAddress("127.0.0.1", 0), false, k8s.clock())) {
        List<CompletableFuture<HttpResponse<InputStream>>> tabs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          tabs.add(http.sendAsync(HttpRequest.newBuilder(dashboard.url().resolve("events")).build(),
              HttpResponse.BodyHandlers.ofInputStream()));
        }
        List<BufferedReader> streams = new ArrayList<>();
        for (var tab : tabs) {
          HttpResponse<InputStream> response = tab.get();
          assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
          streams.add(new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)));
        }
        k8s.editRollout("web", r -> {
          r.getMetadata().setLabels(java.util.Map.of("team", "checkout"));
          return r;
        });
        for (BufferedReader stream : streams) {
          String line;
          do {
            line = stream.readLine();
          } while (line != null && !line.equals("data: shop/web"));
          assertThat(line).isEqualTo("data: shop/web");
        }
        List<String> watches = k8s.dispatcher().requests("dashboard").stream().filter(r -> r.contains("watch=true")).toList();
        assertThat(watches).as("one watch per kind: Rollouts, Events, Deployments, ReplicaSets").hasSize(4);
        for (BufferedReader stream : streams) {
          stream.close();
        }
      }
    }
  }
}
