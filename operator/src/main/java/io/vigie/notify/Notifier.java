package io.vigie.notify;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigie.analysis.provider.AddressPolicy;
import io.vigie.analysis.provider.HttpCalls;
import io.vigie.api.v1alpha1.ClusterNotificationChannel;
import io.vigie.api.v1alpha1.NotificationChannel;
import io.vigie.api.v1alpha1.NotificationChannelSpec;
import io.vigie.api.v1alpha1.PendingNotification;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.SecretKeyRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the messages status owes (the {@link Outbox}) off the reconcile thread, with retries and
 * backoff: a receiver that is down, slow or failing costs a counter and a Warning Event, never a
 * decision's time. What it settled (delivered, or given up after {@link #ATTEMPTS} attempts) the next
 * reconcile removes from status, and this operator remembers it (the last {@link #REMEMBERED} keys
 * of each Rollout): a status written from a stale read that owes it again sends nothing twice. A
 * message owed when an operator stops is sent by the next one (at least once; receivers dedupe on
 * the key).
 */
public final class Notifier implements AutoCloseable {
  /** The label a Secret needs before a channel may read it. */
  public static final String SECRET_LABEL = "vigie.io/notification-secret";
  static final int ATTEMPTS = 8;
  /** Settled keys remembered per Rollout: far more than one release's messages. */
  static final int REMEMBERED = 200;
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  /** What was settled for one Rollout: keys no longer owed, and failures to tell people about (Warning Events). */
  public record Settled(Set<String> keys, List<String> failures) {
    public static final Settled NONE = new Settled(Set.of(), List.of());
  }

  private final KubernetesClient client;
  private final HttpCalls calls;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "vigie-notifier");
    t.setDaemon(true);
    return t;
  });
  private final Consumer<String> wake;
  private final Runnable onSent;
  private final Runnable onFailed;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> settled = new ConcurrentHashMap<>();
  private final Map<String, List<String>> failures = new ConcurrentHashMap<>();

  /**
   * @param wake asks for a reconcile of a Rollout ("namespace/name") whose messages were settled
   * @param onSent counts a delivery, {@code onFailed} a failed attempt
   */
  public Notifier(KubernetesClient client, AddressPolicy policy, Consumer<String> wake, Runnable onSent, Runnable onFailed) {
    this.client = client;
    this.calls = new HttpCalls(policy);
    this.wake = wake;
    this.onSent = onSent;
    this.onFailed = onFailed;
  }

  /** Sends what the Rollout's status owes and is not being sent already. */
  public void deliver(Rollout rollout) {
    List<PendingNotification> owed = rollout.getStatus() == null || rollout.getStatus().getNotifications() == null ? List.of()
        : rollout.getStatus().getNotifications();
    String key = rollout.getMetadata().getNamespace() + "/" + rollout.getMetadata().getName();
    for (PendingNotification n : owed) {
      if (settled.getOrDefault(key, Set.of()).contains(n.getKey()) || !inFlight.add(key + "|" + n.getKey())) {
        continue;
      }
      pool.execute(() -> attempt(rollout.getMetadata().getNamespace(), rollout.getMetadata().getName(), n, 1));
    }
  }

  /** What was settled for this Rollout (the last keys remembered), and the failures not told yet. */
  public Settled settled(String rollout) {
    Set<String> keys = settled.getOrDefault(rollout, Set.of());
    Set<String> copy;
    synchronized (keys) {
      copy = Set.copyOf(keys);
    }
    return new Settled(copy, List.copyOf(failures.getOrDefault(rollout, List.of())));
  }

  /**
   * Status no longer owes these (its write landed): their sends are over. The keys stay remembered,
   * the oldest beyond {@link #REMEMBERED} forgotten, so that no stale status makes them owed again.
   */
  public void forget(String rollout, Settled done) {
    Set<String> keys = settled.get(rollout);
    if (keys != null) {
      done.keys().forEach(k -> inFlight.remove(rollout + "|" + k));
      synchronized (keys) {
        var oldest = keys.iterator();
        for (int extra = keys.size() - REMEMBERED; extra > 0 && oldest.hasNext(); extra--) {
          oldest.next();
          oldest.remove();
        }
      }
    }
    List<String> told = failures.get(rollout);
    if (told != null) {
      told.removeAll(done.failures());
    }
  }

  /**
   * The Rollout is deleted: what was settled for it is dropped. Messages still being retried are
   * sent or given up as usual (a RolledBack told to on-call is worth its last attempts).
   */
  public void forget(String rollout) {
    settled.remove(rollout);
    failures.remove(rollout);
  }

  private void attempt(String namespace, String name, PendingNotification n, int attempt) {
    String rollout = namespace + "/" + name;
    try {
      send(namespace, name, n);
      onSent.run();
      settle(rollout, n.getKey(), null);
    } catch (RuntimeException e) {
      onFailed.run();
      String why = "notification " + n.getEvent() + " of revision " + n.getRevision() + " to channel " + n.getChannel() + ": "
          + e.getMessage();
      LOG.warn("rollout={} {} (attempt {} of {})", rollout, why, attempt, ATTEMPTS);
      if (attempt >= ATTEMPTS) {
        settle(rollout, n.getKey(), why + "; given up after " + ATTEMPTS + " attempts");
        return;
      }
      if (attempt == 1) {
        failures.computeIfAbsent(rollout, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(why + "; retrying");
        wake.accept(rollout);
      }
      long delay = Math.min(60, 1L << (attempt - 1));
      pool.schedule(() -> attempt(namespace, name, n, attempt + 1), delay, TimeUnit.SECONDS);
    }
  }

  private void settle(String rollout, String key, String failure) {
    Set<String> keys = settled.computeIfAbsent(rollout, k -> java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>()));
    keys.add(key);
    if (failure != null) {
      failures.computeIfAbsent(rollout, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(failure);
    }
    wake.accept(rollout);
  }

  /** A channel to send through: its spec, where its Secrets are, and whether they need the label (a namespace's do). */
  private record Channel(NotificationChannelSpec spec, String what, String secretsNamespace, boolean labelRequired) {}

  private Channel channel(String namespace, PendingNotification n) {
    if (Boolean.TRUE.equals(n.getClusterScope())) {
      ClusterNotificationChannel channel = client.resources(ClusterNotificationChannel.class).withName(n.getChannel()).get();
      if (channel == null || channel.getSpec() == null) {
        throw new IllegalStateException("ClusterNotificationChannel " + n.getChannel() + " not found: create it or fix the "
            + "subscription (spec.notifications[].channel, or the operator's --default-notification-channel)");
      }
      return new Channel(channel.getSpec(), "ClusterNotificationChannel " + n.getChannel(), channel.getSpec().getSecretsNamespace(),
          false);
    }
    NotificationChannel channel = client.resources(NotificationChannel.class).inNamespace(namespace).withName(n.getChannel()).get();
    if (channel == null || channel.getSpec() == null) {
      throw new IllegalStateException("NotificationChannel " + namespace + "/" + n.getChannel()
          + " not found: create it or fix spec.notifications[].channel");
    }
    return new Channel(channel.getSpec(), "NotificationChannel " + namespace + "/" + n.getChannel(), namespace, true);
  }

  private void send(String namespace, String name, PendingNotification n) {
    Channel channel = channel(namespace, n);
    NotificationChannelSpec spec = channel.spec();
    Optional<String> link = Optional.ofNullable(spec.getDashboardURL()).map(l -> l.replace("{{namespace}}", namespace)
        .replace("{{rollout}}", name).replace("{{revision}}", n.getRevision() == null ? "" : n.getRevision()));
    String what = channel.what();
    HttpRequest.Builder request;
    if (spec.getSlack() != null) {
      request = post(secret(channel, spec.getSlack().getUrlSecretRef()), NotificationPayloads.slack(namespace, name, n, link));
    } else if (spec.getTeams() != null) {
      request = post(secret(channel, spec.getTeams().getUrlSecretRef()), NotificationPayloads.teams(namespace, name, n, link));
    } else if (spec.getWebhook() != null) {
      String body = NotificationPayloads.webhook(namespace, name, n, link);
      String key = secret(channel, spec.getWebhook().getSigningSecretRef());
      request = post(spec.getWebhook().getUrl(), body).header("X-Vigie-Signature", "sha256=" + hmac(key, body))
          .header("X-Vigie-Idempotency-Key", n.getKey());
    } else {
      throw new IllegalStateException(what + " has none of slack, teams or webhook");
    }
    Duration timeout = Duration.ofSeconds(spec.getTimeoutSeconds() == null ? NotificationChannelSpec.DEFAULT_TIMEOUT_SECONDS
        : spec.getTimeoutSeconds());
    HttpResponse<String> response = calls.send(http, request.timeout(timeout).build(), what, timeout);
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(what + " answered HTTP " + response.statusCode());
    }
  }

  private static HttpRequest.Builder post(String url, String body) {
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      // The URL may be a credential: never quoted.
      throw new IllegalStateException("the channel's URL is not a URL");
    }
    return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
  }

  private String secret(Channel channel, SecretKeyRef ref) {
    String namespace = channel.secretsNamespace();
    String what = channel.what();
    if (ref == null) {
      throw new IllegalStateException(what + " names no Secret");
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret == null) {
      throw new IllegalStateException(what + ": Secret " + namespace + "/" + ref.getName() + " not found");
    }
    Map<String, String> labels = secret.getMetadata().getLabels() == null ? Map.of() : secret.getMetadata().getLabels();
    if (channel.labelRequired() && !"true".equals(labels.get(SECRET_LABEL))) {
      throw new IllegalStateException(what + ": Secret " + namespace + "/" + ref.getName() + " is not labelled " + SECRET_LABEL
          + "=true: label it so that Vigie may read it");
    }
    String encoded = secret.getData() == null ? null : secret.getData().get(ref.getKey());
    if (encoded == null) {
      throw new IllegalStateException(what + ": Secret " + namespace + "/" + ref.getName() + " has no key " + ref.getKey());
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
  }

  static String hmac(String key, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

}
