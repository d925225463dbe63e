package io.vigie.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vigie.analysis.RawMeasurement;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricProvider;
import io.vigie.api.v1alpha1.PrometheusProvider;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.api.v1alpha1.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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
  private HttpsServer server;
  private String caPem;

  @BeforeEach
  void start() throws Exception {
    Path keystore = dir.resolve("server.p12");
    run("keytool", "-genkeypair", "-alias", "prometheus", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit");
    Path pem = dir.resolve("ca.pem");
    run("keytool", "-exportcert", "-rfc", "-alias", "prometheus", "-keystore", keystore.toString(), "-storepass", "changeit",
        "-file", pem.toString());
    caPem = Files.readString(pem);

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.createContext("/", exchange -> {
      byte[] body = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"0.5\"]}}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
  }

  private Metric metric(boolean withCa) {
    PrometheusProvider p = new PrometheusProvider();
    p.setAddress("https://127.0.0.1:" + server.getAddress().getPort());
    p.setQuery("q");
    if (withCa) {
      TlsConfig tls = new TlsConfig();
      SecretKeyRef ca = new SecretKeyRef();
      ca.setName("prometheus-ca");
      ca.setKey("ca.crt");
      tls.setCa(ca);
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
        ref -> "prometheus-ca".equals(ref.getName()) && "ca.crt".equals(ref.getKey()) ? Optional.of(caPem) : Optional.empty());
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
