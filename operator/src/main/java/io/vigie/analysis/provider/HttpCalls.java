package io.vigie.analysis.provider;

import java.io.IOException;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.Limits;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Sends a provider's request and turns transport failures into messages a person can act on. */
final class HttpCalls {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private HttpCalls() {}

  /** A provider's timeout: its own (1s to 60s), or 10s. */
  static Duration timeout(String text) {
    return text == null ? DEFAULT_TIMEOUT : Durations.parseWithin(text, Limits.TIMEOUT_MIN, Limits.TIMEOUT_MAX);
  }

  /** A URL the HTTP client can send to: absolute, http or https, with a host. */
  static URI uri(String text, String what) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new MeasurementException(what + " is not a URL: " + e.getMessage(), e);
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
      throw new MeasurementException(what + " is not an http or https URL with a host, e.g. http://prometheus.monitoring:9090");
    }
    return uri;
  }

  static HttpResponse<String> send(HttpClient client, HttpRequest request, String what, Duration timeout) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new MeasurementException(what + " did not answer within " + timeout.toSeconds() + "s", e);
    } catch (ConnectException e) {
      throw new MeasurementException("cannot reach " + what + ": connection refused", e);
    } catch (IOException e) {
      throw new MeasurementException("cannot reach " + what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeasurementException(what + ": interrupted", e);
    }
  }
}
