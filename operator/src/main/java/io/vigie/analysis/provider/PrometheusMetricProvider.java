package io.vigie.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.analysis.RawMeasurement;
import io.vigie.analysis.GuardRuns;
import io.vigie.analysis.SidePlaceholder;
import io.vigie.api.v1alpha1.HttpAuth;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.PrometheusProvider;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Base64;

/**
 * Instant queries against the Prometheus HTTP API ({@code POST /api/v1/query}). A scalar or a
 * one-element vector is a value; an empty vector is no data; several series are an error (the
 * query must aggregate). NaN and infinities pass through as values for the judge. A compare metric
 * reads each side over its window with a subquery, a range query Prometheus evaluates at its own
 * time (see {@link PrometheusSeries}).
 */
public final class PrometheusMetricProvider implements MetricProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClients clients = new HttpClients();
  private final HttpCalls calls;

  public PrometheusMetricProvider() {
    this(AddressPolicy.defaults());
  }

  public PrometheusMetricProvider(AddressPolicy policy) {
    this.calls = new HttpCalls(policy);
  }

  @Override
  public RawMeasurement measure(String run, Metric metric, Instant at, SecretReader secrets, SidePlaceholder comparison) {
    PrometheusProvider p = metric.getProvider().getPrometheus();
    if (metric.getErrorRate() != null) {
      return counters(run, metric, at, p, secrets, comparison);
    }
    if (metric.getCompare() != null) {
      return ranges(run, metric, at, p, secrets, comparison);
    }
    try {
      Double value = query(p, p.getQuery(), secrets);
      if (value == null) {
        return RawMeasurement.noData(run, metric.getName(), at, "the query returned no data (an empty vector): "
            + "no series matched, often because " + (GuardRuns.isGuard(run) ? "a label of the query is wrong or nothing was served "
            + "yet" : "the canary served no request yet"));
      }
      Double requests = null;
      if (p.getRequestsQuery() != null) {
        Double counted = query(p, p.getRequestsQuery(), secrets);
        requests = counted == null ? 0.0 : counted;
      }
      return RawMeasurement.value(run, metric.getName(), at, value, requests);
    } catch (MeasurementException e) {
      return RawMeasurement.error(run, metric.getName(), at, e.getMessage());
    }
  }

  /** Both sides' request and bad-request counters, for an errorRate metric: four instant queries. */
  private RawMeasurement counters(String run, Metric metric, Instant at, PrometheusProvider p, SecretReader secrets,
      SidePlaceholder comparison) {
    double[] read = new double[4];
    int i = 0;
    try {
      for (SidePlaceholder side : List.of(SidePlaceholder.CANARY, comparison)) {
        for (String[] q : new String[][] {{"requestsQuery", p.getRequestsQuery()}, {"query", p.getQuery()}}) {
          Double value = query(p, side.fill(q[1]), secrets);
          if (value == null) {
            return RawMeasurement.noData(run, metric.getName(), at, "the " + side.word() + " side's " + q[0]
                + " returned no data (an empty vector): no series matched, often because that side served no request yet "
                + "(for bad requests, end the query with `or vector(0)`)");
          }
          read[i++] = value;
        }
      }
    } catch (MeasurementException e) {
      return RawMeasurement.error(run, metric.getName(), at, e.getMessage());
    }
    return RawMeasurement.counters(run, metric.getName(), at, new RawMeasurement.SideCounters(read[0], read[1], read[2], read[3],
        comparison.word()));
  }

  /**
   * Both sides' points over the compare metric's window. An empty side is no data; sides whose series
   * carry different label names are an error: the query would not read both alike.
   */
  private RawMeasurement ranges(String run, Metric metric, Instant at, PrometheusProvider p, SecretReader secrets,
      SidePlaceholder comparison) {
    Duration window = io.vigie.api.v1alpha1.Durations.parse(metric.getCompare().window());
    Duration step = io.vigie.api.v1alpha1.Durations.parse(metric.getCompare().step());
    PrometheusSeries[] read = new PrometheusSeries[2];
    List<SidePlaceholder> sides = List.of(SidePlaceholder.CANARY, comparison);
    try {
      for (int i = 0; i < 2; i++) {
        read[i] = range(p, sides.get(i).fill(p.getQuery()), window, step, secrets, sides.get(i).word());
        if (read[i].empty()) {
          return RawMeasurement.noData(run, metric.getName(), at, "the " + sides.get(i).word() + " side's query returned no "
              + "points over the last " + metric.getCompare().window() + ": no series matched, often because that side "
              + "served no request yet");
        }
      }
    } catch (MeasurementException e) {
      return RawMeasurement.error(run, metric.getName(), at, e.getMessage());
    }
    if (!read[0].labels().equals(read[1].labels())) {
      return RawMeasurement.error(run, metric.getName(), at, "the two sides' series have different labels (canary "
          + read[0].labels() + ", " + comparison.word() + " " + read[1].labels() + "): the query must select and aggregate "
          + "both sides alike, with {{side}} the only difference");
    }
    return RawMeasurement.points(run, metric.getName(), at,
        new RawMeasurement.SidePoints(read[0].points(), read[1].points(), comparison.word()));
  }

  /**
   * One side's points: the query as a subquery over the window ({@code (q)[5m:15s]}), evaluated by
   * Prometheus at its own now, so that the operator's clock (skewed, or a test's) never shifts the
   * window. Prometheus answers it as a range query would, a matrix, one point per step.
   */
  private PrometheusSeries range(PrometheusProvider p, String promql, Duration window, Duration step, SecretReader secrets,
      String side) {
    String subquery = "(" + promql + ")[" + window.toSeconds() + "s:" + step.toSeconds() + "s]";
    Duration timeout = HttpCalls.timeout(p.getTimeout());
    String what = "Prometheus at " + address(p);
    HttpResponse<String> response = calls.send(clients.forTls(p.getTls(), secrets), request(p, subquery, secrets), what, timeout);
    return PrometheusSeries.of(successData(response.statusCode(), response.body(), what), side);
  }

  /** Builds the requests a measurement sends, without sending them: throws what would go wrong. */
  void check(PrometheusProvider p, SecretReader secrets) {
    HttpRequest request = request(p, p.getQuery(), secrets);
    calls.refusalWithoutDns(request.uri(), "provider.prometheus.address '" + address(p) + "'").ifPresent(why -> {
      throw new MeasurementException(why);
    });
    if (p.getRequestsQuery() != null) {
      request(p, p.getRequestsQuery(), secrets);
    }
    clients.forTls(p.getTls(), secrets);
  }

  private Double query(PrometheusProvider p, String promql, SecretReader secrets) {
    Duration timeout = HttpCalls.timeout(p.getTimeout());
    String what = "Prometheus at " + address(p);
    HttpResponse<String> response = calls.send(clients.forTls(p.getTls(), secrets), request(p, promql, secrets), what, timeout);
    return parse(response.statusCode(), response.body(), what);
  }

  private static String address(PrometheusProvider p) {
    return p.getAddress().replaceAll("/+$", "");
  }

  private static HttpRequest request(PrometheusProvider p, String promql, SecretReader secrets) {
    Duration timeout = HttpCalls.timeout(p.getTimeout());
    String address = address(p);
    HttpRequest.Builder request = HttpRequest.newBuilder(HttpCalls.uri(address + "/api/v1/query",
        "provider.prometheus.address '" + address + "'"));
    request.timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
            + "&timeout=" + timeout.toSeconds() + "s"));
    authorize(request, p.getAuth(), secrets);
    return request.build();
  }

  private static void authorize(HttpRequest.Builder request, HttpAuth auth, SecretReader secrets) {
    if (auth == null) {
      return;
    }
    if (auth.getBearerToken() != null) {
      request.header("Authorization", "Bearer " + secrets.require(auth.getBearerToken(), "auth.bearerToken").trim());
    } else if (auth.getBasic() != null) {
      String secret = auth.getBasic().getName();
      String user = secrets.require(ref(secret, "username"), "auth.basic");
      String password = secrets.require(ref(secret, "password"), "auth.basic");
      String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      secrets.reveal(credentials);
      request.header("Authorization", "Basic " + credentials);
    }
  }

  private static io.vigie.api.v1alpha1.SecretKeyRef ref(String name, String key) {
    io.vigie.api.v1alpha1.SecretKeyRef ref = new io.vigie.api.v1alpha1.SecretKeyRef();
    ref.setName(name);
    ref.setKey(key);
    return ref;
  }

  /** The value of an API answer; null for an empty result. */
  static Double parse(int status, String body, String what) {
    JsonNode data = successData(status, body, what);
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    return switch (type) {
      case "scalar" -> number(result.path(1).asText(), what);
      case "vector" -> {
        if (result.isEmpty()) {
          yield null;
        }
        if (result.size() > 1) {
          throw new MeasurementException("the query returned " + result.size() + " series, not one: aggregate it, "
              + "e.g. with sum(...) or max(...)");
        }
        yield number(result.get(0).path("value").path(1).asText(), what);
      }
      default -> throw new MeasurementException("the query returned a " + type + ", not a scalar or an instant vector");
    };
  }

  /** The {@code data} of a successful API answer; an error that says why otherwise. */
  private static JsonNode successData(int status, String body, String what) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new MeasurementException(what + " answered HTTP " + status + " with a body that is not JSON: " + excerpt(body));
    }
    if (!"success".equals(json.path("status").asText())) {
      if (status == 401 || status == 403) {
        throw new MeasurementException(what + " refused the credentials (HTTP " + status + "): check provider.prometheus.auth");
      }
      throw new MeasurementException(what + " rejected the query (HTTP " + status + ", " + json.path("errorType").asText("?")
          + "): " + json.path("error").asText(excerpt(body)));
    }
    return json.path("data");
  }

  static double number(String text, String what) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new MeasurementException(what + " returned '" + text + "', not a number");
        }
      }
    };
  }

  private static String excerpt(String body) {
    String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }
}
