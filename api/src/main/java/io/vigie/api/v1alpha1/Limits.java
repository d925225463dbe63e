package io.vigie.api.v1alpha1;

import java.time.Duration;

/**
 * The bounds of every name, number, duration, text and list of the API. The CRD schema enforces
 * them at apply time (from these constants) and the operator checks them again, for API servers
 * that store objects without Vigie's schema or without CEL (before Kubernetes 1.25). docs/operations.md
 * lists them with what happens past each.
 */
public final class Limits {
  /** Kubernetes' limit on a DNS label: a Service name, a label value, a name pods inherit. */
  public static final int DNS_LABEL = 63;
  /** Kubernetes' limit on a DNS subdomain: the name of most objects. */
  public static final int DNS_SUBDOMAIN = 253;

  /** The suffixes Vigie appends to the target's name: {@code <target>-canary}, {@code <target>-baseline}. */
  public static final String CANARY_SUFFIX = "-canary";
  public static final String BASELINE_SUFFIX = "-baseline";
  /** The suffixes Vigie appends to the Service's name: {@code -stable}, {@code -canary}, {@code -preview}. */
  public static final String STABLE_SUFFIX = "-stable";
  public static final String PREVIEW_SUFFIX = "-preview";

  /** A target name leaves room for the longest suffix, so that every derived name is a DNS label. */
  public static final int TARGET_NAME = DNS_LABEL - 9;
  /** A Service name leaves room for -stable, -canary and -preview. */
  public static final int SERVICE_NAME = DNS_LABEL - 8;
  /** With a baseline, a Service name leaves room for -baseline too. */
  public static final int SERVICE_NAME_WITH_BASELINE = DNS_LABEL - BASELINE_SUFFIX.length();
  public static final int METRIC_NAME = DNS_LABEL;
  public static final int ARG_NAME = DNS_LABEL;

  public static final int STEPS = 100;
  public static final int METRICS = 20;
  /** Metrics of one analysis, its templates' and its own together. */
  public static final int METRICS_PER_ANALYSIS = 50;
  /** Metrics of one Rollout, all its analyses together: with intervals of at least 1s, at most 100 measurements a second. */
  public static final int METRICS_PER_ROLLOUT = 100;
  public static final int TEMPLATES = 10;
  public static final int ARGS = 50;
  public static final int HEADERS = 20;

  public static final int DURATION_TEXT = 20;
  public static final Duration PAUSE_MAX = Duration.ofHours(720);
  public static final Duration INTERVAL_MIN = Duration.ofSeconds(1);
  public static final Duration INTERVAL_MAX = Duration.ofHours(24);
  public static final Duration INITIAL_DELAY_MAX = Duration.ofHours(24);
  public static final Duration TIMEOUT_MIN = Duration.ofSeconds(1);
  public static final Duration TIMEOUT_MAX = Duration.ofSeconds(60);
  public static final Duration JOB_TIMEOUT_MIN = Duration.ofSeconds(10);
  public static final Duration JOB_TIMEOUT_MAX = Duration.ofHours(24);
  public static final Duration JOB_TIMEOUT_DEFAULT = Duration.ofMinutes(10);
  public static final Duration GATE_INTERVAL_MIN = Duration.ofSeconds(5);
  public static final Duration GATE_INTERVAL_MAX = Duration.ofHours(1);
  public static final Duration GATE_INTERVAL_DEFAULT = Duration.ofSeconds(30);
  public static final int PROGRESS_DEADLINE_SECONDS_MAX = 86_400;

  public static final int COUNT_MAX = 10_000;
  /** failureLimit, inconclusiveLimit and consecutiveErrorLimit. */
  public static final int LIMIT_MAX = 10_000;
  public static final int MIN_SAMPLES_MAX = 10_000;
  /** Points of one side of a comparison: the Hodges–Lehmann estimate sorts n·m differences. */
  public static final int COMPARE_POINTS_MAX = 1_000;
  public static final double MIN_REQUESTS_MAX = 1e12;

  public static final int QUERY = 8_192;
  public static final int URL = 2_048;
  public static final int BODY = 16_384;
  public static final int CONDITION = 1_024;
  public static final int JSON_POINTER = 256;
  public static final int ARG_VALUE = 4_096;
  public static final int HEADER_NAME = 256;
  public static final int HEADER_VALUE = 4_096;
  public static final int SECRET_KEY = 253;

  /** The schema's CEL rules, one per kind of duration field, so that the schema and the docs say the same. */
  public static final String PAUSE_RULE = "duration(self) <= duration('720h')";
  public static final String INTERVAL_RULE = "duration(self) >= duration('1s') && duration(self) <= duration('24h')";
  public static final String INITIAL_DELAY_RULE = "duration(self) <= duration('24h')";
  public static final String TIMEOUT_RULE = "duration(self) >= duration('1s') && duration(self) <= duration('60s')";
  public static final String JOB_TIMEOUT_RULE = "duration(self) >= duration('10s') && duration(self) <= duration('24h')";
  public static final String GATE_INTERVAL_RULE = "duration(self) >= duration('5s') && duration(self) <= duration('1h')";

  private Limits() {}
}
