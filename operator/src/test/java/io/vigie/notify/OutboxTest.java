package io.vigie.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.NotificationSubscription;
import io.vigie.api.v1alpha1.NotificationSubscription.Event;
import io.vigie.api.v1alpha1.PendingNotification;
import io.vigie.api.v1alpha1.RevisionRecord;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.EventReason;
import io.vigie.core.RolloutEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a decision owes the channels: once per moment of a release, however many times it is decided. */
class OutboxTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static RolloutSpec subscribed(String channel, Event... events) {
    RolloutSpec spec = new RolloutSpec();
    NotificationSubscription s = new NotificationSubscription();
    s.setChannel(channel);
    s.setOn(List.of(events));
    spec.setNotifications(List.of(s));
    return spec;
  }

  private static RolloutStatus canaryAt(String step) {
    RolloutStatus s = new RolloutStatus();
    s.setStableRevision("v1");
    s.setCanaryRevision("v2");
    s.setStep(step);
    return s;
  }

  @Test
  void anEventASubscriptionAsksForIsOwedOnceWithAStableKey() {
    RolloutSpec spec = subscribed("chat", Event.Started, Event.RolledBack);
    List<RolloutEvent> events = List.of(RolloutEvent.normal(EventReason.NewRevision, "revision v2 detected"),
        RolloutEvent.normal(EventReason.StepCompleted, "step 1/2 completed"));
    List<PendingNotification> owed = Outbox.next(spec, new RolloutStatus(), canaryAt("1/2"), events, Set.of(), NOW);
    assertThat(owed).singleElement().satisfies(n -> {
      assertThat(n.getEvent()).isEqualTo(Event.Started);
      assertThat(n.getKey()).isEqualTo("v2/Started/1/2/0/chat");
      assertThat(n.getMessage()).isEqualTo("revision v2 detected");
    });

    // The same decision made again after a crash (the status it started from already owes it): owed once.
    RolloutStatus before = canaryAt("1/2");
    before.setNotifications(owed);
    assertThat(Outbox.next(spec, before, canaryAt("1/2"), events, Set.of(), NOW.plusSeconds(5))).hasSize(1);
    // Delivered: no longer owed, and not owed again when the same Event comes back from a replayed decision.
    assertThat(Outbox.next(spec, before, canaryAt("1/2"), events, Set.of("v2/Started/1/2/0/chat"), NOW)).isNull();
  }

  @Test
  void aRollbackCarriesItsEvidenceAndAPromotionItsNewStableRevision() {
    RolloutSpec spec = subscribed("chat", Event.RolledBack, Event.Promoted, Event.Paused);
    RolloutStatus rolledBack = canaryAt("2/4");
    rolledBack.setHistory(List.of(new RevisionRecord("v2", RevisionRecord.Verdict.RolledBack, "AnalysisFailed", "t")));
    var report = new io.vigie.api.v1alpha1.RollbackReport();
    report.setChanges(List.of("container web: image v1 → v2"));
    rolledBack.setRollbackReport(report);
    List<PendingNotification> owed = Outbox.next(spec, null, rolledBack,
        List.of(RolloutEvent.warning(EventReason.RolloutAborted, "revision v2 rolled back")), Set.of(), NOW);
    assertThat(owed).singleElement().satisfies(n -> {
      assertThat(n.getKey()).isEqualTo("v2/RolledBack/2/4/0/chat");
      assertThat(n.getChanges()).containsExactly("container web: image v1 → v2");
    });

    RolloutStatus promoted = new RolloutStatus();
    promoted.setStableRevision("v2");
    promoted.setHistory(List.of(new RevisionRecord("v2", RevisionRecord.Verdict.Promoted, "passed", "t")));
    assertThat(Outbox.next(spec, null, promoted, List.of(RolloutEvent.normal(EventReason.Promoted, "v2 is stable")), Set.of(), NOW))
        .singleElement().satisfies(n -> assertThat(n.getKey()).isEqualTo("v2/Promoted/-/0/chat"));
  }

  @Test
  void aRetrysPauseIsAnotherMessageAndUnsubscribedEventsAreNone() {
    RolloutSpec spec = subscribed("chat", Event.Paused);
    RolloutStatus retried = canaryAt("2/4");
    retried.setHistory(List.of(new RevisionRecord("v2", RevisionRecord.Verdict.RolledBack, "ManualAbort", "t")));
    List<RolloutEvent> paused = List.of(RolloutEvent.normal(EventReason.Paused, "paused"));
    assertThat(Outbox.next(spec, null, canaryAt("2/4"), paused, Set.of(), NOW)).singleElement()
        .satisfies(n -> assertThat(n.getKey()).isEqualTo("v2/Paused/2/4/0/chat"));
    assertThat(Outbox.next(spec, null, retried, paused, Set.of(), NOW)).singleElement()
        .satisfies(n -> assertThat(n.getKey()).isEqualTo("v2/Paused/2/4/1/chat"));
    assertThat(Outbox.next(spec, null, canaryAt("1/4"), List.of(RolloutEvent.normal(EventReason.NewRevision, "x")), Set.of(), NOW))
        .isNull();
  }
}
