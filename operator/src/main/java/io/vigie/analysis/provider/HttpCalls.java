package io.vigie.analysis.provider;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Sends a provider's request and turns transport failures into messages a person can act on. */
final class HttpCalls {
  private HttpCalls() {}

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
