package io.vigie.analysis.provider;

import io.vigie.testkit.HttpStub;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.RawMeasurement.Kind;
import io.vigie.api.v1alpha1.ArgValueFrom;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricProvider;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.api.v1alpha1.WebHeader;
import io.vigie.api.v1alpha1.WebProvider;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebMetricProviderTest {
  /** The test servers are on loopback, which providers refuse unless an admin allows it. */
  private static final AddressPolicy LOOPBACK = AddressPolicy.of(java.util.List.of("127.0.0.1"), java.util.Optional.empty());
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private final HttpStub server = HttpStub.answering(request -> HttpStub.Response.json("{}"));
  private final WebMetricProvider provider = new WebMetricProvider(LOOPBACK);

  @AfterEach
  void stop() {
    server.close();
  }

  private Metric metric(String pointer) {
    WebProvider web = new WebProvider();
    web.setUrl(server.url() + "/stats");
    web.setJsonPointer(pointer);
    MetricProvider mp = new MetricProvider();
    mp.setWeb(web);
    Metric metric = new Metric();
    metric.setName("error-rate");
    metric.setProvider(mp);
    return metric;
  }

  private RawMeasurement measure(Metric metric) {
    return provider.measure("background", metric, T, ref -> Optional.of("t0ken"));
  }

  @Test
  void picksTheNumberAtTheJsonPointer() {
    server.answer(200, "{\"canary\":{\"errorRate\":0.03,\"requests\":\"120\"}}");
    Metric metric = metric("/canary/errorRate");
    metric.getProvider().getWeb().setRequestsJsonPointer("/canary/requests");
    RawMeasurement m = measure(metric);
    assertThat(m.value()).isEqualTo(0.03);
    assertThat(m.requests()).isEqualTo(120.0);
    assertThat(server.last().method()).isEqualTo("GET");
  }

  @Test
  void postsTheBodyWithHeadersFromSecrets() {
    server.answer(200, "{\"v\":1}");
    Metric metric = metric("/v");
    metric.getProvider().getWeb().setMethod("POST");
    metric.getProvider().getWeb().setBody("{\"q\":\"errors\"}");
    WebHeader header = new WebHeader();
    header.setName("X-Token");
    ArgValueFrom from = new ArgValueFrom();
    from.setSecretKeyRef(new SecretKeyRef());
    header.setValueFrom(from);
    metric.getProvider().getWeb().setHeaders(List.of(header));
    measure(metric);
    assertThat(server.last().method()).isEqualTo("POST");
    assertThat(server.last().body()).isEqualTo("{\"q\":\"errors\"}");
    assertThat(server.last().headers().get("x-token")).containsExactly("t0ken");
  }

  @Test
  void aRequestTheHttpClientRefusesIsAnErrorNotACrash() {
    Metric metric = metric("/v");
    WebHeader host = new WebHeader();
    host.setName("Host");
    host.setValue("example.com");
    metric.getProvider().getWeb().setHeaders(List.of(host));
    RawMeasurement m = new MetricProviders(LOOPBACK).measure("step-1", metric, T, ref -> Optional.empty());
    assertThat(m.kind()).isEqualTo(Kind.ERROR);
    assertThat(m.note()).startsWith("header Host cannot be sent: ").contains("Host");
    assertThat(new MetricProviders(LOOPBACK).problem(metric, ref -> Optional.empty())).hasValue(m.note());
  }

  @Test
  void saysWhatIsWrongWithTheAnswer() {
    server.answer(200, "{\"v\":\"abc\"}");
    assertThat(measure(metric("/v")).note()).isEqualTo("the value at /v of " + server.url() + "/stats is \"abc\", not a number");
    assertThat(measure(metric("/w")).note()).isEqualTo("the answer of " + server.url() + "/stats has nothing at /w");
    server.answer(200, "{\"v\":null}");
    assertThat(measure(metric("/v")).kind()).isEqualTo(Kind.NO_DATA);
    server.answer(503, "down");
    assertThat(measure(metric("/v")).note()).isEqualTo(server.url() + "/stats answered HTTP 503");
    server.answer(200, "<html>");
    assertThat(measure(metric("/v")).note()).isEqualTo(server.url() + "/stats did not answer JSON");
  }

  /** docs/security.md: an answer larger than 1 MiB is an error, read no further than the limit. */
  @Test
  void anAnswerOverAMebibyteIsAnError() {
    byte[] huge = new byte[2 << 20];
    java.util.Arrays.fill(huge, (byte) ' ');
    try (io.vigie.testkit.HttpStub flood = io.vigie.testkit.HttpStub.answering(
        r -> new io.vigie.testkit.HttpStub.Response(200, java.util.Map.of(), huge))) {
      Metric metric = metric("/v");
      metric.getProvider().getWeb().setUrl(flood.url("/big"));
      RawMeasurement m = provider.measure("step-1", metric, T, ref -> Optional.empty());
      assertThat(m.kind()).isEqualTo(Kind.ERROR);
      assertThat(m.note()).isEqualTo(flood.url("/big") + " answered more than 1 MiB: a metric is one number; query less");
    }
  }

  @Test
  void aCompareMetricReadsAnArrayOfPointsOnceASideAndRefusesAnythingElse() {
    try (HttpStub sides = HttpStub.answering(request -> HttpStub.Response.json(request.path().contains("role=canary")
        ? "{\"p99\":[0.31,\"0.32\",0.3]}" : "{\"p99\":[0.2,0.21]}"))) {
      Metric metric = metric("/p99");
      metric.getProvider().getWeb().setUrl(sides.url() + "/stats?role={{side}}");
      metric.setCompare(new io.vigie.api.v1alpha1.CompareRule());
      RawMeasurement m = provider.measure("background", metric, T, ref -> Optional.empty(), io.vigie.analysis.SidePlaceholder.STABLE);
      assertThat(m.points().canary()).containsExactly(0.31, 0.32, 0.3);
      assertThat(m.points().other()).containsExactly(0.2, 0.21);
      assertThat(sides.requests()).extracting(HttpStub.Request::path).containsExactly("/stats?role=canary", "/stats?role=stable");
    }
    server.answer(200, "{\"p99\":0.3}");
    Metric scalar = metric("/p99");
    scalar.setCompare(new io.vigie.api.v1alpha1.CompareRule());
    assertThat(measure(scalar)).satisfies(m -> {
      assertThat(m.kind()).isEqualTo(RawMeasurement.Kind.ERROR);
      assertThat(m.note()).endsWith("/stats is 0.3, not an array of numbers: a compare metric reads each side's points");
    });
    server.answer(200, "{\"p99\":[]}");
    assertThat(measure(scalar).kind()).isEqualTo(RawMeasurement.Kind.NO_DATA);
    server.answer(200, "{\"p99\":[0.1,\"fast\"]}");
    assertThat(measure(scalar).note()).endsWith("is \"fast\", not a number");
  }
}
