package io.vigie.notify;

import io.vigie.analysis.Quantity;
import io.vigie.api.v1alpha1.MetricEvidence;
import io.vigie.api.v1alpha1.NotificationSubscription;
import io.vigie.api.v1alpha1.NotificationSubscription.Event;
import io.vigie.api.v1alpha1.PendingNotification;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.EventReason;
import io.vigie.core.RolloutEvent;
import io.vigie.domain.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The messages a Rollout owes its channels, as status keeps them: a pure function of the decision's
 * Events and status, the subscriptions, and what the notifier has settled (delivered or given up).
 * Status carries them across operator restarts and leader changes; the key (revision, event, step,
 * attempt) is the same when a decision is made again after a crash, so a message is added once.
 */
public final class Outbox {
  /** A message given up on stays out: status keeps at most this many owed. */
  static final int LIMIT = 50;

  private Outbox() {}

  /** The annotation by which a Rollout opts out of the operator's default channel. */
  public static final String DEFAULT_NOTIFICATIONS = "vigie.io/default-notifications";

  /** The operator's default subscription for this Rollout: none when it opted out. */
  public static Optional<NotificationSubscription> defaultFor(io.fabric8.kubernetes.api.model.ObjectMeta rollout,
      Optional<NotificationSubscription> defaults) {
    boolean optedOut = rollout.getAnnotations() != null && "false".equals(rollout.getAnnotations().get(DEFAULT_NOTIFICATIONS));
    return optedOut ? Optional.empty() : defaults;
  }

  /** The notification an Event of this reason is, if any. */
  static Optional<Event> eventOf(EventReason reason) {
    return switch (reason) {
      case NewRevision -> Optional.of(Event.Started);
      case Paused -> Optional.of(Event.Paused);
      case Promoted -> Optional.of(Event.Promoted);
      case RolloutAborted -> Optional.of(Event.RolledBack);
      case AnalysisInconclusive -> Optional.of(Event.AnalysisInconclusive);
      case Invalid -> Optional.of(Event.Invalid);
      default -> Optional.empty();
    };
  }

  /**
   * @param before the status the decision started from (its owed messages)
   * @param after the status the decision wrote
   * @param events the decision's Events
   * @param settled keys the notifier delivered or gave up on: no longer owed
   */
  public static List<PendingNotification> next(RolloutSpec spec, RolloutStatus before, RolloutStatus after,
      List<RolloutEvent> events, Set<String> settled, Instant now) {
    return next(spec, Optional.empty(), before, after, events, settled, now);
  }

  /** The same, the operator's default subscription (a cluster channel) added to the spec's when present. */
  public static List<PendingNotification> next(RolloutSpec spec, Optional<NotificationSubscription> defaults, RolloutStatus before,
      RolloutStatus after, List<RolloutEvent> events, Set<String> settled, Instant now) {
    List<PendingNotification> owed = new ArrayList<>();
    if (before != null && before.getNotifications() != null) {
      before.getNotifications().stream().filter(n -> !settled.contains(n.getKey())).forEach(owed::add);
    }
    List<NotificationSubscription> subscriptions = new ArrayList<>(spec == null || spec.getNotifications() == null ? List.of()
        : spec.getNotifications());
    defaults.filter(d -> subscriptions.stream().noneMatch(s -> s.clusterScoped() && d.getChannel().equals(s.getChannel())))
        .ifPresent(subscriptions::add);
    for (RolloutEvent e : events) {
      Optional<Event> event = eventOf(e.cause());
      if (event.isEmpty()) {
        continue;
      }
      for (NotificationSubscription subscription : subscriptions) {
        if (subscription.getOn() == null || !subscription.getOn().contains(event.get())) {
          continue;
        }
        PendingNotification n = message(after, event.get(), e.message(), now);
        n.setChannel(subscription.getChannel());
        n.setClusterScope(subscription.clusterScoped() ? true : null);
        // A cluster channel and a namespace's channel may share a name: they are two receivers.
        n.setKey(key(after, event.get(), (subscription.clusterScoped() ? "cluster:" : "") + subscription.getChannel()));
        if (!settled.contains(n.getKey()) && owed.stream().noneMatch(o -> o.getKey().equals(n.getKey()))) {
          owed.add(n);
        }
      }
    }
    while (owed.size() > LIMIT) {
      owed.remove(0);
    }
    return owed.isEmpty() ? null : owed;
  }

  /**
   * The same for the same moment of a release, however many times it is decided: the revision, the
   * event, the step, and how many verdicts the revision already had (a retry's pause is another one).
   */
  static String key(RolloutStatus s, Event event, String channel) {
    String revision = event == Event.Promoted ? s.getStableRevision() : s.getCanaryRevision();
    long verdicts = s.getHistory() == null ? 0 : s.getHistory().stream().filter(h -> h.getRevision() != null
        && h.getRevision().equals(revision)).count();
    if (event == Event.Promoted || event == Event.RolledBack) {
      verdicts--;
    }
    return (revision == null ? "none" : revision) + "/" + event + "/" + (s.getStep() == null ? "-" : s.getStep()) + "/"
        + Math.max(0, verdicts) + "/" + channel;
  }

  private static PendingNotification message(RolloutStatus s, Event event, String text, Instant now) {
    PendingNotification n = new PendingNotification();
    n.setEvent(event);
    n.setRevision(event == Event.Promoted ? s.getStableRevision() : s.getCanaryRevision());
    n.setStableRevision(s.getStableRevision());
    n.setStep(s.getStep());
    n.setMessage(text);
    n.setAt(Timestamps.format(now));
    if (event == Event.RolledBack && s.getRollbackReport() != null) {
      n.setChanges(new ArrayList<>(s.getRollbackReport().getChanges()));
      n.setEvidence(s.getRollbackReport().getMetrics().stream().map(Outbox::evidence).toList());
    }
    return n;
  }

  /** "error-rate Failed: 16.8%, 18.8% (at most 5%)": the metric, its verdict, its values against its rule. */
  static String evidence(MetricEvidence m) {
    String values = m.getMeasurements().stream().map(v -> Quantity.show(m.getUnit(), v.getValue()))
        .collect(Collectors.joining(", "));
    return m.getMetric() + " " + m.getPhase() + (values.isEmpty() ? "" : ": " + values)
        + (m.getRule() == null ? "" : " (" + m.getRule() + ")");
  }
}
