package io.vigie.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.analysis.RawMeasurement;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricProvider;
import io.vigie.api.v1alpha1.PrometheusProvider;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.api.v1alpha1.TlsConfig;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Prometheus behind TLS with its own CA: trusted through tls.ca, refused without it. */
class TlsPrometheusTest {
  /** The test servers are on loopback, which providers refuse unless an admin allows it. */
  private static final AddressPolicy LOOPBACK = AddressPolicy.of(java.util.List.of("127.0.0.1"), java.util.Optional.empty());
  @TempDir
  Path dir;
  private io.vigie.testing.SelfSignedHttps server;

  @BeforeEach
  void start() throws Exception {
    server = io.vigie.testing.SelfSignedHttps.start(dir, exchange -> {
      byte[] body = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"0.5\"]}}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Metric metric(boolean withCa) {
    PrometheusProvider p = new PrometheusProvider();
    p.setAddress(server.url(""));
    p.setQuery("q");
    if (withCa) {
      TlsConfig tls = new TlsConfig();
      tls.setCa(SecretKeyRef.of("prometheus-ca", "ca.crt"));
      p.setTls(tls);
    }
    MetricProvider mp = new MetricProvider();
    mp.setPrometheus(p);
    Metric metric = new Metric();
    metric.setName("latency");
    metric.setProvider(mp);
    return metric;
  }

  @Test
  void trustsTheServerThroughTheCaBundleOfASecret() {
    RawMeasurement m = new PrometheusMetricProvider(LOOPBACK).measure("step-1", metric(true), Instant.now(),
        ref -> "prometheus-ca".equals(ref.getName()) && "ca.crt".equals(ref.getKey()) ? Optional.of(server.caPem()) : Optional.empty());
    assertThat(m.note()).isNull();
    assertThat(m.value()).isEqualTo(0.5);
  }

  @Test
  void refusesAServerItCannotVerify() {
    RawMeasurement m = new PrometheusMetricProvider(LOOPBACK).measure("step-1", metric(false), Instant.now(), ref -> Optional.empty());
    assertThat(m.kind()).isEqualTo(RawMeasurement.Kind.ERROR);
    assertThat(m.note()).startsWith("cannot reach Prometheus at https://127.0.0.1:").contains("PKIX");
  }

  @Test
  void aCaBundleThatIsNotPemIsNamed() {
    RawMeasurement m = new PrometheusMetricProvider(LOOPBACK).measure("step-1", metric(true), Instant.now(),
        ref -> Optional.of("not a certificate"));
    assertThat(m.note()).startsWith("tls.ca");
  }
}
