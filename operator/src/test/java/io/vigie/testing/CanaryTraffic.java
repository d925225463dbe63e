package io.vigie.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.Function;

/**
 * Users' requests to an app, split between stable and canary the way the cluster routes them at
 * that moment (the route's weights through a router; the share of ready pods with replica ratios),
 * and a metrics backend that counts only what the canary actually served. Each scrape sends a batch
 * of requests; the canary's errors come from how its version behaves on each request it gets. So a
 * canary that gets no traffic produces no evidence: no requests, and no error rate.
 */
public final class CanaryTraffic {
  private static final int REQUESTS_PER_SCRAPE = 100;
  private static final int WINDOW = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final String target;
  private final Routes routes;
  private final Function<String, Double> errorRatioOfImage;
  private final Deque<int[]> window = new ArrayDeque<>();
  private long served;

  /**
   * @param errorRatioOfImage how the version behind an image behaves: the share of its requests that fail
   */
  public CanaryTraffic(KubernetesClient client, String namespace, String target, Routes routes,
      Function<String, Double> errorRatioOfImage) {
    this.client = client;
    this.namespace = namespace;
    this.target = target;
    this.routes = routes;
    this.errorRatioOfImage = errorRatioOfImage;
  }

  /** The canary's share of requests now, in percent, as the cluster routes them. */
  public int canaryShare() {
    Deployment canary = client.apps().deployments().inNamespace(namespace).withName(target + "-canary").get();
    int canaryReady = ready(canary);
    if (canaryReady == 0) {
      return 0;
    }
    if (routes.routed()) {
      return routes.split(client).canaryWeight();
    }
    // A blue-green active Service pinned to one side sends it everything.
    var selector = client.services().inNamespace(namespace).withName(target).get().getSpec().getSelector();
    if ("canary".equals(selector.get("vigie.io/role"))) {
      return 100;
    }
    if (selector.containsKey("pod-template-hash")) {
      return 0;
    }
    int stableReady = ready(client.apps().deployments().inNamespace(namespace).withName(target).get());
    return (int) Math.round(100.0 * canaryReady / (stableReady + canaryReady));
  }

  /** Serves a batch of users' requests and answers as a metrics backend would, over the last few batches. */
  public synchronized String scrape() {
    int canaryRequests = REQUESTS_PER_SCRAPE * canaryShare() / 100;
    int errors = 0;
    if (canaryRequests > 0) {
      double ratio = errorRatioOfImage.apply(canaryImage());
      // Request by request, each failing when its turn in the version's error ratio comes.
      for (int i = 0; i < canaryRequests; i++) {
        long n = served++;
        if (Math.floor((n + 1) * ratio) > Math.floor(n * ratio)) {
          errors++;
        }
      }
    }
    window.addLast(new int[] {canaryRequests, errors});
    while (window.size() > WINDOW) {
      window.removeFirst();
    }
    int requests = window.stream().mapToInt(b -> b[0]).sum();
    int failed = window.stream().mapToInt(b -> b[1]).sum();
    return "{\"requests\": " + requests + ", \"errorRate\": "
        + (requests == 0 ? "null" : String.format(Locale.ROOT, "%.4f", (double) failed / requests)) + "}";
  }

  private String canaryImage() {
    Deployment canary = client.apps().deployments().inNamespace(namespace).withName(target + "-canary").get();
    return canary == null ? "" : canary.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static int ready(Deployment d) {
    return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
  }
}
