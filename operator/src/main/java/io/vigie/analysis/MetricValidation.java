package io.vigie.analysis;

import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.Limits;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.PrometheusProvider;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.api.v1alpha1.WebHeader;
import io.vigie.api.v1alpha1.WebProvider;
import io.vigie.domain.Names;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks one metric, its templates and args already resolved, against the rules and the bounds of
 * the API ({@link Limits}): what the schema refuses at apply time, checked again for API servers
 * without it, and what only the resolved metric shows (a condition with its args' values).
 */
final class MetricValidation {
  private MetricValidation() {}

  /**
   * @param args the values of the args its conditions name
   * @param defaultPrometheus set as the address of a Prometheus metric that names none
   */
  static void check(String where, Metric metric, Map<String, String> args, Optional<String> defaultPrometheus,
      List<String> problems) {
    if (metric.getName() == null || !metric.getName().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        || metric.getName().length() > Limits.METRIC_NAME) {
      problems.add(where + ": name " + (metric.getName() == null ? "is missing" : Names.quote(metric.getName())
          + " is not a metric name") + ": lowercase letters, digits and '-', at most " + Limits.METRIC_NAME);
    }
    rule(where, metric, args, problems);
    bound(where, "count", metric.getCount(), 1, Limits.COUNT_MAX, problems);
    bound(where, "failureLimit", metric.getFailureLimit(), 0, Limits.LIMIT_MAX, problems);
    bound(where, "inconclusiveLimit", metric.getInconclusiveLimit(), 0, Limits.LIMIT_MAX, problems);
    bound(where, "consecutiveErrorLimit", metric.getConsecutiveErrorLimit(), 0, Limits.LIMIT_MAX, problems);
    bound(where, "minSamples", metric.getMinSamples(), 1, Limits.MIN_SAMPLES_MAX, problems);
    if (metric.getMinSamples() != null && metric.getCount() != null && metric.getMinSamples() > metric.getCount()) {
      problems.add(where + ": minSamples " + metric.getMinSamples() + " is above count " + metric.getCount()
          + ", so the metric could never pass");
    }
    if (metric.getMinRequests() != null && !(metric.getMinRequests() >= 0 && metric.getMinRequests() <= Limits.MIN_REQUESTS_MAX)) {
      problems.add(where + ": minRequests is " + MeasurementJudge.number(metric.getMinRequests()) + ": use 0 to "
          + MeasurementJudge.number(Limits.MIN_REQUESTS_MAX));
    }
    duration(where, "interval", metric.getInterval(), Limits.INTERVAL_MIN, Limits.INTERVAL_MAX, problems);
    duration(where, "initialDelay", metric.getInitialDelay(), Duration.ZERO, Limits.INITIAL_DELAY_MAX, problems);
    var provider = metric.getProvider();
    long providers = provider == null ? 0 : java.util.stream.Stream.of(provider.getPrometheus(), provider.getWeb(), provider.getJob())
        .filter(java.util.Objects::nonNull).count();
    if (providers != 1) {
      problems.add(where + ": needs exactly one provider, prometheus, web or job");
      return;
    }
    if (provider.getPrometheus() != null) {
      prometheus(where, metric, provider.getPrometheus(), defaultPrometheus, problems);
    } else if (provider.getWeb() != null) {
      web(where, metric, provider.getWeb(), problems);
    } else {
      JobMetrics.problems(where, metric, problems);
    }
  }

  private static void rule(String where, Metric metric, Map<String, String> args, List<String> problems) {
    boolean threshold = metric.getThresholdRange() != null || metric.getSuccessCondition() != null
        || metric.getFailureCondition() != null;
    if (JobMetrics.isJob(metric)) {
      if (threshold || metric.getErrorRate() != null || metric.getCompare() != null || metric.getMinRequests() != null) {
        problems.add(where + ": a job metric's rule is its Job (it passes when the Job succeeds): drop thresholdRange, "
            + "successCondition, failureCondition, errorRate, compare and minRequests");
      }
      return;
    }
    if (!threshold && metric.getErrorRate() == null && metric.getCompare() == null) {
      problems.add(where + ": needs a rule: thresholdRange, successCondition, failureCondition, errorRate or compare");
    }
    if (threshold && metric.getErrorRate() != null) {
      problems.add(where + ": errorRate is a rule of its own: drop thresholdRange, successCondition and failureCondition");
    }
    if (metric.getCompare() != null && (threshold || metric.getErrorRate() != null)) {
      problems.add(where + ": compare is a rule of its own: drop thresholdRange, successCondition, failureCondition and "
          + "errorRate");
    }
    if (metric.getErrorRate() != null) {
      errorRate(where, metric, problems);
    }
    if (metric.getCompare() != null) {
      compare(where, metric, problems);
    }
    var range = metric.getThresholdRange();
    if (range != null && range.getMin() == null && range.getMax() == null) {
      problems.add(where + ": thresholdRange has neither min nor max, so nothing could fail: give one");
    }
    if (range != null && range.getMin() != null && range.getMax() != null && range.getMin() > range.getMax()) {
      problems.add(where + ": thresholdRange min " + range.getMin() + " is above max " + range.getMax());
    }
    String[][] conditions = {{"successCondition", metric.getSuccessCondition()}, {"failureCondition", metric.getFailureCondition()}};
    for (String[] condition : conditions) {
      if (condition[1] == null) {
        continue;
      }
      if (condition[1].length() > Limits.CONDITION) {
        problems.add(where + ": " + condition[0] + " is longer than " + Limits.CONDITION + " characters");
      } else if (ArgPlaceholders.PATTERN.matcher(condition[1]).results().allMatch(r -> args.containsKey(r.group(1)))) {
        // A condition naming an arg without a value is reported where the arg is declared.
        MeasurementJudge.problemWith(condition[1], args).ifPresent(p -> problems.add(where + ": " + condition[0] + " " + p));
      }
    }
  }

  /** A comparison reads each side's points: the side named in the query (Prometheus) or the URL (web). */
  private static void compare(String where, Metric metric, List<String> problems) {
    var c = metric.getCompare();
    if (c.getTolerance() != null && !(c.getTolerance() >= 0 && c.getTolerance() <= 10)) {
      problems.add(where + ": compare.tolerance is " + c.getTolerance() + ": use 0 to 10 (0.1: a 10% shift is tolerated)");
    }
    if (c.getConfidence() != null && !(c.getConfidence() >= 0.5 && c.getConfidence() <= 0.9999)) {
      problems.add(where + ": compare.confidence is " + c.getConfidence() + ": use 0.5 to 0.9999");
    }
    if (c.getWeight() != null && !(c.getWeight() >= 1 && c.getWeight() <= 100)) {
      problems.add(where + ": compare.weight is " + c.getWeight() + ": use 1 to 100");
    }
    if (c.getMinPoints() != null && !(c.getMinPoints() >= 1 && c.getMinPoints() <= Limits.COMPARE_POINTS_MAX)) {
      problems.add(where + ": compare.minPoints is " + c.getMinPoints() + ": use 1 to " + Limits.COMPARE_POINTS_MAX);
    }
    duration(where, "compare.window", c.getWindow(), java.time.Duration.ofSeconds(1), java.time.Duration.ofHours(24), problems);
    duration(where, "compare.step", c.getStep(), java.time.Duration.ofSeconds(1), java.time.Duration.ofHours(24), problems);
    try {
      long step = Math.max(1, io.vigie.api.v1alpha1.Durations.parse(c.step()).getSeconds());
      long points = io.vigie.api.v1alpha1.Durations.parse(c.window()).getSeconds() / step + 1;
      if (points > Limits.COMPARE_POINTS_MAX) {
        problems.add(where + ": compare.window / compare.step gives " + points + " points a side, more than "
            + Limits.COMPARE_POINTS_MAX + ": widen the step");
      }
    } catch (IllegalArgumentException e) {
      // A duration that does not parse is reported above.
    }
    var provider = metric.getProvider();
    String side = provider == null ? null : provider.getPrometheus() != null ? provider.getPrometheus().getQuery()
        : provider.getWeb() != null ? provider.getWeb().getUrl() : null;
    String field = provider != null && provider.getPrometheus() != null ? "provider.prometheus.query" : "provider.web.url";
    if (side != null && !SidePlaceholder.PATTERN.matcher(side).find()) {
      problems.add(where + ": " + field + " does not name the side: write {{side}} where the canary's and the other side's "
          + "series differ, e.g. service=\"{{args.service}}-{{side}}\" (Vigie's Services) or role=\"{{side}}\"");
    }
  }

  /** The sequential test reads two counters of each side from Prometheus, the side named in both queries. */
  private static void errorRate(String where, Metric metric, List<String> problems) {
    var test = metric.getErrorRate();
    if (test.getTolerance() != null && !(test.getTolerance() >= 0 && test.getTolerance() <= 10)) {
      problems.add(where + ": errorRate.tolerance is " + test.getTolerance() + ": use 0 to 10 (0.1: 10% worse is tolerated)");
    }
    if (test.getConfidence() != null && !(test.getConfidence() >= 0.5 && test.getConfidence() <= 0.9999)) {
      problems.add(where + ": errorRate.confidence is " + test.getConfidence() + ": use 0.5 to 0.9999");
    }
    if (test.getMinRequests() != null && !(test.getMinRequests() >= 0 && test.getMinRequests() <= Limits.MIN_REQUESTS_MAX)) {
      problems.add(where + ": errorRate.minRequests is " + test.getMinRequests() + ": use 0 to "
          + MeasurementJudge.number(Limits.MIN_REQUESTS_MAX));
    }
    PrometheusProvider p = metric.getProvider() == null ? null : metric.getProvider().getPrometheus();
    if (p == null) {
      problems.add(where + ": errorRate reads counters from Prometheus: use provider.prometheus");
      return;
    }
    if (p.getRequestsQuery() == null) {
      problems.add(where + ": errorRate needs provider.prometheus.requestsQuery, the counter of one side's requests "
          + "(query counts its bad ones)");
    }
    for (String[] q : new String[][] {{"query", p.getQuery()}, {"requestsQuery", p.getRequestsQuery()}}) {
      if (q[1] != null && !SidePlaceholder.PATTERN.matcher(q[1]).find()) {
        problems.add(where + ": provider.prometheus." + q[0] + " does not name the side: write {{side}} where the canary's "
            + "and the stable side's series differ, e.g. service=\"{{args.service}}-{{side}}\" (Vigie's Services)");
      }
    }
  }

  private static void prometheus(String where, Metric metric, PrometheusProvider p, Optional<String> defaultPrometheus,
      List<String> problems) {
    if (p.getQuery() == null || p.getQuery().isBlank()) {
      problems.add(where + ": provider.prometheus.query is empty");
    }
    length(where, "provider.prometheus.query", p.getQuery(), Limits.QUERY, problems);
    length(where, "provider.prometheus.requestsQuery", p.getRequestsQuery(), Limits.QUERY, problems);
    length(where, "provider.prometheus.address", p.getAddress(), Limits.URL, problems);
    duration(where, "provider.prometheus.timeout", p.getTimeout(), Limits.TIMEOUT_MIN, Limits.TIMEOUT_MAX, problems);
    if (p.getAddress() == null) {
      if (defaultPrometheus.isPresent()) {
        p.setAddress(defaultPrometheus.get());
      } else {
        problems.add(where + ": no Prometheus address: set provider.prometheus.address or run the operator with "
            + "--prometheus-address");
      }
    }
    if (p.getAuth() != null) {
      secret(where, "provider.prometheus.auth.bearerToken", p.getAuth().getBearerToken(), problems);
      if (p.getAuth().getBasic() != null && !Names.isObjectName(p.getAuth().getBasic().getName(), Limits.DNS_SUBDOMAIN)) {
        problems.add(where + ": provider.prometheus.auth.basic.name is not the name of a Secret");
      }
    }
    if (p.getTls() != null) {
      secret(where, "provider.prometheus.tls.ca", p.getTls().getCa(), problems);
    }
    if (metric.getMinRequests() != null && p.getRequestsQuery() == null) {
      problems.add(where + ": minRequests needs provider.prometheus.requestsQuery");
    }
  }

  private static void web(String where, Metric metric, WebProvider web, List<String> problems) {
    if (web.getUrl() == null || web.getUrl().isBlank()) {
      problems.add(where + ": provider.web.url is empty");
    }
    length(where, "provider.web.url", web.getUrl(), Limits.URL, problems);
    length(where, "provider.web.body", web.getBody(), Limits.BODY, problems);
    length(where, "provider.web.jsonPointer", web.getJsonPointer(), Limits.JSON_POINTER, problems);
    length(where, "provider.web.requestsJsonPointer", web.getRequestsJsonPointer(), Limits.JSON_POINTER, problems);
    duration(where, "provider.web.timeout", web.getTimeout(), Limits.TIMEOUT_MIN, Limits.TIMEOUT_MAX, problems);
    if (web.getMethod() != null && !web.getMethod().equals("GET") && !web.getMethod().equals("POST")) {
      problems.add(where + ": provider.web.method is " + Names.quote(web.getMethod()) + ": use GET or POST");
    }
    List<WebHeader> headers = web.getHeaders() == null ? List.of() : web.getHeaders();
    if (headers.size() > Limits.HEADERS) {
      problems.add(where + ": provider.web.headers has " + headers.size() + " headers: at most " + Limits.HEADERS);
    }
    for (int i = 0; i < headers.size(); i++) {
      WebHeader h = headers.get(i);
      String at = "provider.web.headers[" + i + "]";
      if (h == null || h.getName() == null || h.getName().isEmpty()) {
        problems.add(where + ": " + at + " needs a name");
      } else if ((h.getValue() == null) == (h.getValueFrom() == null || h.getValueFrom().getSecretKeyRef() == null)) {
        problems.add(where + ": " + at + " needs value or valueFrom.secretKeyRef, not both");
      } else {
        length(where, at + ".name", h.getName(), Limits.HEADER_NAME, problems);
        length(where, at + ".value", h.getValue(), Limits.HEADER_VALUE, problems);
        if (h.getValueFrom() != null) {
          secret(where, at + ".valueFrom.secretKeyRef", h.getValueFrom().getSecretKeyRef(), problems);
        }
      }
    }
    if (web.getTls() != null) {
      secret(where, "provider.web.tls.ca", web.getTls().getCa(), problems);
    }
    if (metric.getMinRequests() != null && web.getRequestsJsonPointer() == null) {
      problems.add(where + ": minRequests needs provider.web.requestsJsonPointer");
    }
  }

  /** A Secret reference names a Secret and a key the API server would accept, before anything reads it. */
  static void secret(String where, String field, SecretKeyRef ref, List<String> problems) {
    if (ref == null) {
      return;
    }
    if (!Names.isObjectName(ref.getName(), Limits.DNS_SUBDOMAIN)) {
      problems.add(where + ": " + field + ".name " + (ref.getName() == null ? "is missing" : Names.quote(ref.getName())
          + " is not the name of a Secret"));
    }
    if (ref.getKey() == null || ref.getKey().length() > Limits.SECRET_KEY || !ref.getKey().matches("[-._a-zA-Z0-9]+")) {
      problems.add(where + ": " + field + ".key " + (ref.getKey() == null ? "is missing" : Names.quote(ref.getKey())
          + " is not a Secret key"));
    }
  }

  private static void bound(String where, String field, Integer value, int min, int max, List<String> problems) {
    if (value != null && (value < min || value > max)) {
      problems.add(where + ": " + field + " is " + value + ": use " + min + " to " + max);
    }
  }

  private static void length(String where, String field, String value, int max, List<String> problems) {
    if (value != null && value.length() > max) {
      problems.add(where + ": " + field + " is longer than " + max + " characters");
    }
  }

  static void duration(String where, String field, String value, Duration min, Duration max, List<String> problems) {
    if (value == null) {
      return;
    }
    try {
      Durations.parseWithin(value, min, max);
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + field + " " + e.getMessage());
    }
  }
}
