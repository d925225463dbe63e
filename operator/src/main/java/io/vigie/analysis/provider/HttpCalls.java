package io.vigie.analysis.provider;

import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.Limits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a provider's request within bounds an author cannot lift: to an address the
 * {@link AddressPolicy} allows (checked again at every redirect, which carries the user's headers
 * only to the same origin), for at most the provider's timeout from the first byte sent to the
 * last byte read, and reading at most {@link #MAX_BODY} bytes. Transport failures become messages a
 * person can act on.
 */
public final class HttpCalls {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** The largest answer a provider may give: a metric is one number. */
  static final int MAX_BODY = 1 << 20;
  private static final int MAX_REDIRECTS = 5;

  private final AddressPolicy policy;

  public HttpCalls(AddressPolicy policy) {
    this.policy = policy;
  }

  /** A provider's timeout: its own (1s to 60s), or 10s. */
  public static Duration timeout(String text) {
    return text == null ? DEFAULT_TIMEOUT : Durations.parseWithin(text, Limits.TIMEOUT_MIN, Limits.TIMEOUT_MAX);
  }

  /** A URL the HTTP client can send to: absolute, http or https, with a host. */
  public static URI uri(String text, String what) {
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

  /** Why the policy refuses this URL, looking at its name and literal address only (no DNS): for validation. */
  public Optional<String> refusalWithoutDns(URI uri, String what) {
    return policy.refusal(uri, false).map(why -> refused(what, why));
  }

  /** The answer, its body read whole (at most {@link #MAX_BODY}), redirects followed where allowed. */
  public HttpResponse<String> send(HttpClient client, HttpRequest request, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest current = request;
    for (int hop = 0; ; hop++) {
      Optional<String> refused = policy.refusal(current.uri(), true);
      if (refused.isPresent()) {
        throw new MeasurementException(refused(hop == 0 ? what : what + " redirected to " + current.uri(), refused.get()));
      }
      HttpResponse<String> response = sendOnce(client, current, what, timeout, deadline);
      Optional<String> location = response.headers().firstValue("location");
      boolean redirect = List.of(301, 302, 303, 307, 308).contains(response.statusCode()) && location.isPresent();
      if (!redirect) {
        return response;
      }
      if (hop == MAX_REDIRECTS) {
        throw new MeasurementException(what + " redirected more than " + MAX_REDIRECTS + " times");
      }
      current = redirected(current, response.statusCode(), current.uri().resolve(location.get()), what);
    }
  }

  private static HttpRequest redirected(HttpRequest previous, int status, URI target, String what) {
    uri(target.toString(), what + " redirected to '" + target + "'");
    boolean sameOrigin = target.getScheme().equals(previous.uri().getScheme()) && target.getHost().equalsIgnoreCase(
        previous.uri().getHost()) && target.getPort() == previous.uri().getPort();
    // Credentials go only where they were meant to go: another origin gets none of the user's headers.
    HttpRequest.Builder next = HttpRequest.newBuilder(previous, (name, value) -> sameOrigin).uri(target);
    if (status == 303) {
      next.GET();
    }
    return next.build();
  }

  private static HttpResponse<String> sendOnce(HttpClient client, HttpRequest request, String what, Duration timeout,
      long deadline) {
    CompletableFuture<HttpResponse<String>> answer = client.sendAsync(request, info -> new LimitedBody(MAX_BODY));
    try {
      long left = Math.max(1, deadline - System.nanoTime());
      return answer.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new MeasurementException(what + " did not answer within " + timeout.toSeconds() + "s", e);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new MeasurementException(what + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MeasurementException m) {
        throw new MeasurementException(what + " " + m.getMessage(), m);
      }
      if (cause instanceof HttpTimeoutException) {
        throw new MeasurementException(what + " did not answer within " + timeout.toSeconds() + "s", cause);
      }
      if (cause instanceof ConnectException) {
        throw new MeasurementException("cannot reach " + what + ": connection refused", cause);
      }
      if (cause instanceof IOException && cause.getCause() instanceof MeasurementException m) {
        throw new MeasurementException(what + " " + m.getMessage(), m);
      }
      throw new MeasurementException("cannot reach " + what + ": " + (cause.getMessage() == null
          ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
    }
  }

  private static String refused(String what, String why) {
    if (why.endsWith(AddressPolicy.API_SERVER)) {
      return what + " is not an address Vigie sends requests to: " + why + ", which no provider may be";
    }
    return what + " is not an address Vigie sends requests to: " + why + ". An admin can allow it with the operator's "
        + "--allowed-provider-hosts (Helm value allowedProviderHosts)";
  }

  /** Collects a body up to a limit; a longer one is refused, and the connection dropped, at the limit. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<String> {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + buffer.remaining() > limit) {
          subscription.cancel();
          body.completeExceptionally(new MeasurementException("answered more than " + (limit >> 20) + " MiB: a metric is "
              + "one number; query less"));
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toString(StandardCharsets.UTF_8));
    }
  }
}
