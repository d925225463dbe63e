package io.vigie.domain;

import io.vigie.api.v1alpha1.Limits;
import java.util.regex.Pattern;

/**
 * The names Vigie derives from the user's (the canary and baseline Deployments, the stable, canary and
 * baseline Services),
 * and the rules a name must follow before Vigie looks it up: a name the API server would refuse
 * (too long, another namespace's "other/web") is reported, never sent.
 */
public final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private Names() {}

  public static String canaryDeployment(String target) {
    return target + Limits.CANARY_SUFFIX;
  }

  public static String baselineDeployment(String target) {
    return target + Limits.BASELINE_SUFFIX;
  }

  public static String baselineService(String service) {
    return service + Limits.BASELINE_SUFFIX;
  }

  public static String stableService(String service) {
    return service + Limits.STABLE_SUFFIX;
  }

  /** The Vigie-owned preview Service of a blue-green release without spec.strategy.blueGreen.previewService. */
  public static String previewService(String service) {
    return service + Limits.PREVIEW_SUFFIX;
  }

  public static String canaryService(String service) {
    return service + Limits.CANARY_SUFFIX;
  }

  /** A target Deployment name Vigie can derive its names from: a DNS label of at most {@link Limits#TARGET_NAME}. */
  public static boolean isTargetName(String name) {
    return name != null && name.length() <= Limits.TARGET_NAME && DNS_LABEL.matcher(name).matches();
  }

  /** A Service name Vigie can derive its names from: a DNS label of at most {@link Limits#SERVICE_NAME}. */
  public static boolean isServiceName(String name) {
    return name != null && name.length() <= Limits.SERVICE_NAME && DNS_LABEL.matcher(name).matches();
  }

  /** The name of an object of the Rollout's namespace (a route, a template, a Secret): a DNS subdomain of at most {@code max}. */
  public static boolean isObjectName(String name, int max) {
    return name != null && name.length() <= max && DNS_SUBDOMAIN.matcher(name).matches();
  }

  /** A name as a message quotes it: at most 40 characters. */
  public static String quote(String name) {
    return "'" + (name.length() > 40 ? name.substring(0, 40) + "...' (" + name.length() + " characters)" : name + "'");
  }
}
