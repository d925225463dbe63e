package io.vigie.analysis.provider;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.SidePlaceholder;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.WebHeader;
import io.vigie.api.v1alpha1.WebProvider;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An HTTP GET or POST answering JSON; a JSON pointer picks the number. */
public final class WebMetricProvider implements MetricProvider {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClients clients = new HttpClients();
  private final HttpCalls calls;

  public WebMetricProvider() {
    this(AddressPolicy.defaults());
  }

  public WebMetricProvider(AddressPolicy policy) {
    this.calls = new HttpCalls(policy);
  }

  @Override
  public RawMeasurement measure(String run, Metric metric, Instant at, SecretReader secrets, SidePlaceholder comparison) {
    WebProvider web = metric.getProvider().getWeb();
    if (metric.getCompare() != null) {
      return compare(run, metric, at, web, secrets, comparison);
    }
    try {
      JsonNode body = fetch(web, web.getUrl(), secrets);
      JsonNode value = at(body, web.getJsonPointer(), web.getUrl());
      if (value.isNull()) {
        return RawMeasurement.noData(run, metric.getName(), at, "the value at " + pointer(web.getJsonPointer()) + " is null");
      }
      Double requests = null;
      if (web.getRequestsJsonPointer() != null) {
        JsonNode counted = at(body, web.getRequestsJsonPointer(), web.getUrl());
        requests = counted.isNull() ? 0.0 : number(counted, web.getRequestsJsonPointer(), web.getUrl());
      }
      return RawMeasurement.value(run, metric.getName(), at, number(value, web.getJsonPointer(), web.getUrl()), requests);
    } catch (MeasurementException e) {
      return RawMeasurement.error(run, metric.getName(), at, e.getMessage());
    }
  }

  /**
   * Both sides' points for a compare metric: the URL read once a side ({{side}} in it names the side),
   * the jsonPointer at an array of numbers.
   */
  private RawMeasurement compare(String run, Metric metric, Instant at, WebProvider web, SecretReader secrets,
      SidePlaceholder comparison) {
    double[][] read = new double[2][];
    List<SidePlaceholder> sides = List.of(SidePlaceholder.CANARY, comparison);
    try {
      for (int i = 0; i < 2; i++) {
        String url = sides.get(i).fill(web.getUrl());
        JsonNode points = at(fetch(web, url, secrets), web.getJsonPointer(), url);
        if (!points.isArray()) {
          throw new MeasurementException("the value at " + pointer(web.getJsonPointer()) + " of " + url + " is " + points
              + ", not an array of numbers: a compare metric reads each side's points");
        }
        if (points.isEmpty()) {
          return RawMeasurement.noData(run, metric.getName(), at, "the " + sides.get(i).word() + " side's array at "
              + pointer(web.getJsonPointer()) + " of " + url + " is empty");
        }
        read[i] = new double[points.size()];
        for (int k = 0; k < points.size(); k++) {
          read[i][k] = number(points.get(k), web.getJsonPointer() + "/" + k, url);
        }
      }
    } catch (MeasurementException e) {
      return RawMeasurement.error(run, metric.getName(), at, e.getMessage());
    }
    return RawMeasurement.points(run, metric.getName(), at, new RawMeasurement.SidePoints(read[0], read[1], comparison.word()));
  }

  /** Builds the request a measurement sends, without sending it: throws what would go wrong. */
  void check(WebProvider web, SecretReader secrets) {
    HttpRequest request = request(web, SidePlaceholder.CANARY.fill(web.getUrl()), secrets);
    calls.refusalWithoutDns(request.uri(), "provider.web.url '" + web.getUrl() + "'").ifPresent(why -> {
      throw new MeasurementException(why);
    });
    clients.forTls(web.getTls(), secrets);
    for (String pointer : new String[] {web.getJsonPointer(), web.getRequestsJsonPointer()}) {
      if (pointer != null) {
        compile(pointer);
      }
    }
  }

  private static HttpRequest request(WebProvider web, String url, SecretReader secrets) {
    HttpRequest.Builder request = HttpRequest.newBuilder(HttpCalls.uri(url, "provider.web.url '" + url + "'"))
        .timeout(HttpCalls.timeout(web.getTimeout())).header("Accept", "application/json");
    for (WebHeader header : Optional.ofNullable(web.getHeaders()).orElse(List.of())) {
      String value = header.getValue() != null ? header.getValue()
          : secrets.require(header.getValueFrom().getSecretKeyRef(), "header " + header.getName());
      try {
        request.header(header.getName(), value);
      } catch (IllegalArgumentException e) {
        throw new MeasurementException("header " + header.getName() + " cannot be sent: " + e.getMessage(), e);
      }
    }
    if ("POST".equals(web.getMethod())) {
      request.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(web.getBody() == null ? "" : web.getBody()));
    } else {
      request.GET();
    }
    return request.build();
  }

  private JsonNode fetch(WebProvider web, String url, SecretReader secrets) {
    Duration timeout = HttpCalls.timeout(web.getTimeout());
    HttpResponse<String> response = calls.send(clients.forTls(web.getTls(), secrets), request(web, url, secrets), url, timeout);
    if (response.statusCode() / 100 != 2) {
      throw new MeasurementException(url + " answered HTTP " + response.statusCode());
    }
    try {
      return JSON.readTree(response.body());
    } catch (java.io.IOException e) {
      throw new MeasurementException(url + " did not answer JSON", e);
    }
  }

  private static JsonNode at(JsonNode body, String pointer, String url) {
    JsonNode value;
    value = body.at(compile(pointer));
    if (value.isMissingNode()) {
      throw new MeasurementException("the answer of " + url + " has nothing at " + pointer(pointer));
    }
    return value;
  }

  private static JsonPointer compile(String pointer) {
    try {
      return JsonPointer.compile(pointer(pointer));
    } catch (IllegalArgumentException e) {
      throw new MeasurementException("'" + pointer + "' is not a JSON pointer (RFC 6901), e.g. /data/errorRate", e);
    }
  }

  private static String pointer(String pointer) {
    return pointer == null ? "" : pointer;
  }

  private static double number(JsonNode value, String pointer, String url) {
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isTextual()) {
      String text = value.asText();
      switch (text) {
        case "NaN":
          return Double.NaN;
        case "+Inf":
        case "Inf":
          return Double.POSITIVE_INFINITY;
        case "-Inf":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(text);
          } catch (NumberFormatException e) {
            break;
          }
      }
    }
    throw new MeasurementException("the value at " + pointer(pointer) + " of " + url + " is " + value + ", not a number");
  }
}
