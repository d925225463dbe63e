package io.vigie.analysis.provider;

import io.vigie.testkit.HttpStub;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.RawMeasurement.Kind;
import io.vigie.api.v1alpha1.HttpAuth;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricProvider;
import io.vigie.api.v1alpha1.PrometheusProvider;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.api.v1alpha1.SecretRef;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusMetricProviderTest {
  /** The test servers are on loopback, which providers refuse unless an admin allows it. */
  private static final AddressPolicy LOOPBACK = AddressPolicy.of(java.util.List.of("127.0.0.1"), java.util.Optional.empty());
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private final HttpStub prometheus = HttpStub.answering(request -> HttpStub.Response.json("{}"));
  private final PrometheusMetricProvider provider = new PrometheusMetricProvider(LOOPBACK);
  private final Map<String, String> secrets = new java.util.HashMap<>();
  private final SecretReader reader = ref -> Optional.ofNullable(secrets.get(ref.getName() + "/" + ref.getKey()));

  @AfterEach
  void stop() {
    prometheus.close();
  }

  private Metric metric(String query) {
    PrometheusProvider p = new PrometheusProvider();
    p.setAddress(prometheus.url() + "/");
    p.setQuery(query);
    MetricProvider mp = new MetricProvider();
    mp.setPrometheus(p);
    Metric metric = new Metric();
    metric.setName("error-rate");
    metric.setProvider(mp);
    return metric;
  }

  private RawMeasurement measure(Metric metric) {
    return provider.measure("step-1", metric, T, reader);
  }

  private static String vector(String... values) {
    StringBuilder result = new StringBuilder();
    for (String v : values) {
      result.append(result.length() == 0 ? "" : ",").append("{\"metric\":{},\"value\":[1700000000.1,\"").append(v).append("\"]}");
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result + "]}}";
  }

  @Test
  void readsAOneElementVectorAndAScalarAndPostsTheQuery() {
    prometheus.answer(200, vector("0.042"));
    assertThat(measure(metric("sum(rate(x[1m]))")).value()).isEqualTo(0.042);
    assertThat(prometheus.last().method()).isEqualTo("POST");
    assertThat(prometheus.last().path()).isEqualTo("/api/v1/query");
    assertThat(URLDecoder.decode(prometheus.last().body(), StandardCharsets.UTF_8)).startsWith("query=sum(rate(x[1m]))&timeout=10s");

    prometheus.answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"7\"]}}");
    assertThat(measure(metric("scalar(x)")).value()).isEqualTo(7.0);
  }

  @Test
  void nanAndInfinitiesPassThroughForTheJudge() {
    prometheus.answer(200, vector("NaN"));
    assertThat(measure(metric("q")).value()).isNaN();
    prometheus.answer(200, vector("+Inf"));
    assertThat(measure(metric("q")).value()).isEqualTo(Double.POSITIVE_INFINITY);
    prometheus.answer(200, vector("-Inf"));
    assertThat(measure(metric("q")).value()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void anEmptyVectorIsNoDataAndSeveralSeriesAreAnError() {
    prometheus.answer(200, vector());
    RawMeasurement empty = measure(metric("q"));
    assertThat(empty.kind()).isEqualTo(Kind.NO_DATA);
    assertThat(empty.note()).startsWith("the query returned no data");

    prometheus.answer(200, vector("1", "2", "3"));
    RawMeasurement many = measure(metric("q"));
    assertThat(many.kind()).isEqualTo(Kind.ERROR);
    assertThat(many.note()).isEqualTo("the query returned 3 series, not one: aggregate it, e.g. with sum(...) or max(...)");
  }

  @Test
  void aRejectedQueryAndRefusedCredentialsSayWhy() {
    prometheus.answer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 5\"}");
    assertThat(measure(metric("sum(")).note())
        .isEqualTo("Prometheus at " + prometheus.url() + " rejected the query (HTTP 400, bad_data): parse error at char 5");

    prometheus.answer(401, "Unauthorized");
    assertThat(measure(metric("q")).note()).contains("answered HTTP 401 with a body that is not JSON: Unauthorized");
  }

  @Test
  void anUnreachableOrSilentServerIsAnError() {
    Metric unreachable = metric("q");
    unreachable.getProvider().getPrometheus().setAddress("http://127.0.0.1:1");
    assertThat(measure(unreachable).note()).isEqualTo("cannot reach Prometheus at http://127.0.0.1:1: connection refused");

    prometheus.hang();
    Metric slow = metric("q");
    slow.getProvider().getPrometheus().setTimeout("1s");
    RawMeasurement timedOut = measure(slow);
    assertThat(timedOut.kind()).isEqualTo(Kind.ERROR);
    assertThat(timedOut.note()).isEqualTo("Prometheus at " + prometheus.url() + " did not answer within 1s");
  }

  @Test
  void sendsABearerTokenOrBasicAuthFromSecrets() {
    prometheus.answer(200, vector("1"));
    Metric metric = metric("q");
    HttpAuth auth = new HttpAuth();
    SecretKeyRef token = new SecretKeyRef();
    token.setName("prom");
    token.setKey("token");
    auth.setBearerToken(token);
    metric.getProvider().getPrometheus().setAuth(auth);
    secrets.put("prom/token", "s3cret\n");
    measure(metric);
    assertThat(prometheus.last().headers().get("authorization")).containsExactly("Bearer s3cret");

    HttpAuth basic = new HttpAuth();
    SecretRef ref = new SecretRef();
    ref.setName("prom-basic");
    basic.setBasic(ref);
    metric.getProvider().getPrometheus().setAuth(basic);
    secrets.put("prom-basic/username", "vigie");
    secrets.put("prom-basic/password", "pw");
    measure(metric);
    assertThat(prometheus.last().headers().get("authorization")).containsExactly("Basic dmlnaWU6cHc=");

    secrets.clear();
    assertThat(measure(metric).note()).isEqualTo("auth.basic: Secret prom-basic has no key 'username'");
  }

  @Test
  void theRequestsQueryGivesTheRequestCount() {
    prometheus.answer(200, vector("12"));
    Metric metric = metric("q");
    metric.getProvider().getPrometheus().setRequestsQuery("sum(increase(x[1m]))");
    assertThat(measure(metric).requests()).isEqualTo(12.0);
  }

  @Test
  void anErrorRateReadsTheCanaryThenTheSideItIsComparedWith() {
    prometheus.answer(200, vector("10"));
    Metric metric = metric("sum(bad{service=\"web-{{side}}\"})");
    metric.getProvider().getPrometheus().setRequestsQuery("sum(all{service=\"web-{{side}}\"})");
    metric.setErrorRate(new io.vigie.api.v1alpha1.SequentialErrorRate());

    assertThat(provider.measure("step-1", metric, T, reader, io.vigie.analysis.SidePlaceholder.BASELINE).counters().side())
        .isEqualTo("baseline");
    assertThat(prometheus.requests()).extracting(r -> URLDecoder.decode(r.body(), StandardCharsets.UTF_8).replaceAll("&.*", ""))
        .containsExactly("query=sum(all{service=\"web-canary\"})", "query=sum(bad{service=\"web-canary\"})",
            "query=sum(all{service=\"web-baseline\"})", "query=sum(bad{service=\"web-baseline\"})");
  }

  private static String matrix(String labels, String... values) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      points.append(i == 0 ? "" : ",").append("[").append(1700000000 + 15 * i).append(",\"").append(values[i]).append("\"]");
    }
    return "{\"metric\":" + labels + ",\"values\":[" + points + "]}";
  }

  private static String matrixAnswer(String... series) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + String.join(",", series) + "]}}";
  }

  private RawMeasurement compareAgainst(java.util.function.Function<String, String> answerBySide) {
    try (HttpStub sides = HttpStub.answering(request -> HttpStub.Response.json(answerBySide.apply(
        URLDecoder.decode(request.body(), StandardCharsets.UTF_8).contains("web-canary") ? "canary" : "baseline")))) {
      Metric metric = metric("histogram_quantile(0.99, sum by (le) (rate(b{service=\"web-{{side}}\"}[1m])))");
      metric.getProvider().getPrometheus().setAddress(sides.url());
      metric.setCompare(new io.vigie.api.v1alpha1.CompareRule());
      RawMeasurement m = provider.measure("step-1", metric, T, reader, io.vigie.analysis.SidePlaceholder.BASELINE);
      if (!sides.requests().isEmpty()) {
        // A subquery, evaluated at Prometheus' own time: the operator's clock never shifts the window.
        String body = URLDecoder.decode(sides.requests().get(0).body(), StandardCharsets.UTF_8);
        assertThat(sides.requests().get(0).path()).isEqualTo("/api/v1/query");
        assertThat(body).startsWith("query=(histogram_quantile(0.99, sum by (le) (rate(b{service=\"web-canary\"}[1m]))))[300s:15s]&");
      }
      return m;
    }
  }

  @Test
  void aCompareMetricReadsBothSidesPointsWithRangeQueries() {
    RawMeasurement m = compareAgainst(side -> matrixAnswer(matrix("{}", side.equals("canary") ? "0.3" : "0.2", "0.31", "NaN")));
    assertThat(m.kind()).isEqualTo(RawMeasurement.Kind.VALUE);
    assertThat(m.points().canary()).containsExactly(0.3, 0.31, Double.NaN);
    assertThat(m.points().other()).containsExactly(0.2, 0.31, Double.NaN);
    assertThat(m.points().side()).isEqualTo("baseline");
  }

  @Test
  void aCompareMetricSaysWhyWhenASideIsEmptyOrItsAnswerCannotBeCompared() {
    assertThat(compareAgainst(side -> matrixAnswer(side.equals("canary") ? matrix("{}", "1") : ""))).satisfies(m -> {
      assertThat(m.kind()).isEqualTo(RawMeasurement.Kind.NO_DATA);
      assertThat(m.note()).startsWith("the baseline side's query returned no points over the last 5m");
    });
    assertThat(compareAgainst(side -> matrixAnswer(matrix("{\"pod\":\"a\"}", "1"), matrix("{\"pod\":\"b\"}", "2"))))
        .satisfies(m -> {
          assertThat(m.kind()).isEqualTo(RawMeasurement.Kind.ERROR);
          assertThat(m.note()).isEqualTo("the canary side's query returned 2 series, not one: aggregate it, e.g. with sum(...) or max(...)");
        });
    assertThat(compareAgainst(side -> matrixAnswer(matrix(side.equals("canary") ? "{\"le\":\"0.3\"}" : "{}", "1"))))
        .satisfies(m -> {
          assertThat(m.kind()).isEqualTo(RawMeasurement.Kind.ERROR);
          assertThat(m.note()).startsWith("the two sides' series have different labels (canary [le], baseline []): the query must "
              + "select and aggregate both sides alike");
        });
    assertThat(compareAgainst(side -> "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}}"))
        .satisfies(m -> {
          assertThat(m.kind()).isEqualTo(RawMeasurement.Kind.ERROR);
          assertThat(m.note()).startsWith("the canary side's range query returned a scalar, not a matrix");
        });
    assertThat(compareAgainst(side -> "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid expression type "
        + "\\\"string\\\" for range query, must be Scalar or instant Vector\"}")).satisfies(m -> {
          assertThat(m.kind()).isEqualTo(RawMeasurement.Kind.ERROR);
          assertThat(m.note()).contains("rejected the query").contains("invalid expression type \"string\" for range query");
        });
  }
}
