package io.vigie.analysis.provider;

import io.vigie.api.v1alpha1.TlsConfig;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTP clients for the providers: one default, one per CA bundle, kept for reuse. */
public final class HttpClients {
  private final HttpClient plain = builder().build();
  private final Map<String, HttpClient> byCa = new ConcurrentHashMap<>();

  public HttpClient forTls(TlsConfig tls, SecretReader secrets) {
    if (tls == null || tls.getCa() == null) {
      return plain;
    }
    String pem = secrets.require(tls.getCa(), "tls.ca");
    return byCa.computeIfAbsent(pem, p -> builder().sslContext(trusting(p)).build());
  }

  // Redirects are followed by HttpCalls, which checks each address and keeps credentials to one origin.
  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER);
  }

  private static SSLContext trusting(String pem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)))) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
      if (i == 0) {
        throw new MeasurementException("tls.ca holds no PEM certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new MeasurementException("tls.ca is not a usable PEM CA bundle: " + e.getMessage(), e);
    }
  }
}
