package io.vigie.gate;

import io.vigie.analysis.provider.AddressPolicy;
import io.vigie.analysis.provider.HttpCalls;
import io.vigie.analysis.provider.HttpClients;
import io.vigie.analysis.provider.MeasurementException;
import io.vigie.analysis.provider.SecretReader;
import io.vigie.api.v1alpha1.Gate;
import io.vigie.api.v1alpha1.WebHeader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/**
 * One call of a gate: a POST of its payload, within the bounds every request of Vigie keeps (the
 * address policy, the timeout, the size of the answer), headers from Secrets, TLS with the gate's
 * CA. Passes on 2xx; anything else is a failing answer saying what came back.
 */
public final class GateCalls {
  /** How much of an answer's body status keeps: enough for "closed: change freeze until Monday". */
  static final int ANSWER_CHARS = 200;

  private final HttpCalls calls;
  private final HttpClients clients = new HttpClients();

  public GateCalls(AddressPolicy policy) {
    this.calls = new HttpCalls(policy);
  }

  /** Why this gate's request cannot be sent (a bad URL, a missing Secret, a CA that is not PEM); empty when it can. */
  public Optional<String> problem(Gate gate, SecretReader secrets) {
    try {
      HttpRequest request = request(gate, "{}", secrets);
      Optional<String> refused = calls.refusalWithoutDns(request.uri(), "spec.gates " + gate.getName() + " url '" + gate.getUrl() + "'");
      if (refused.isPresent()) {
        return refused;
      }
      clients.forTls(gate.getTls(), secrets);
      return Optional.empty();
    } catch (MeasurementException | IllegalArgumentException e) {
      return Optional.of(secrets.redact(e.getMessage()));
    }
  }

  /** Never throws: no answer is a failing answer that says why. */
  public Answer call(Gate gate, String payload, SecretReader secrets) {
    String what = "gate " + gate.getName() + " (" + gate.getUrl() + ")";
    try {
      HttpRequest request = request(gate, payload, secrets);
      HttpResponse<String> response = calls.send(clients.forTls(gate.getTls(), secrets), request, what,
          HttpCalls.timeout(gate.getTimeout()));
      String body = response.body() == null ? "" : response.body().strip();
      String shown = body.length() > ANSWER_CHARS ? body.substring(0, ANSWER_CHARS) + "..." : body;
      String answer = "HTTP " + response.statusCode() + (shown.isEmpty() ? "" : ": " + shown);
      return new Answer(response.statusCode() / 100 == 2, secrets.redact(answer));
    } catch (MeasurementException e) {
      return new Answer(false, secrets.redact(e.getMessage()));
    } catch (RuntimeException e) {
      return new Answer(false, secrets.redact("the call failed: " + e));
    }
  }

  /** What came back: passed on 2xx, and the answer as status shows it. */
  public record Answer(boolean passed, String answer) {}

  private static HttpRequest request(Gate gate, String payload, SecretReader secrets) {
    HttpRequest.Builder request = HttpRequest.newBuilder(HttpCalls.uri(gate.getUrl(), "spec.gates " + gate.getName() + " url '"
        + gate.getUrl() + "'")).timeout(HttpCalls.timeout(gate.getTimeout())).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(payload));
    for (WebHeader header : Optional.ofNullable(gate.getHeaders()).orElse(List.of())) {
      String value = header.getValue() != null ? header.getValue()
          : secrets.require(header.getValueFrom().getSecretKeyRef(), "gate " + gate.getName() + " header " + header.getName());
      try {
        request.header(header.getName(), value);
      } catch (IllegalArgumentException e) {
        throw new MeasurementException("gate " + gate.getName() + " header " + header.getName() + " cannot be sent: "
            + e.getMessage(), e);
      }
    }
    return request.build();
  }
}
