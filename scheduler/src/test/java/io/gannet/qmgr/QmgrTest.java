package io.gannet.qmgr;

import static io.gannet.global.DeliveryStatus.BOUNCED;
import static io.gannet.global.DeliveryStatus.DEFERRED;
import static io.gannet.global.DeliveryStatus.SENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QmgrTest {

  private static final Route EXAMPLE = new Route("smtp", "example.com");

  @Test
  void deliversGroupedByDestinationAndForgetsTheMessage() {
    QmgrHarness h = new QmgrHarness(Map.of());
    QueueId id = h.accept("a@example.com", "b@example.com", "c@example.org");
    assertEquals(2, h.open.size());
    assertEquals(1, h.openTo("example.com"));
    Dispatch toCom = h.open.values().stream()
        .filter(d -> d.route().equals(EXAMPLE)).findFirst().orElseThrow();
    assertEquals(2, toCom.recipients().size(), "one request carries both recipients");
    h.answerAll(SENT);
    assertEquals(2, h.records(JournalRecord.Delivered.class).size());
    assertEquals(1, h.records(JournalRecord.Done.class).size());
    assertNull(h.projection.get(id));
    assertFalse(h.qmgr.isActive(id));
    assertEquals(0, h.qmgr.activeRecipients());
  }

  @Test
  void activeIdsListTheActiveWindowInQueueIdOrder() {
    QmgrHarness h = new QmgrHarness(Map.of());
    assertEquals(List.of(), h.qmgr.activeIds());
    QueueId first = h.accept("a@example.com");
    QueueId second = h.accept("b@example.org");
    assertEquals(List.of(first, second), h.qmgr.activeIds());
    h.answerAll(SENT);
    assertEquals(List.of(), h.qmgr.activeIds());
  }

  @Test
  void concurrencyStartsAtInitialAndGrowsToTheLimit() {
    QmgrHarness h = new QmgrHarness(Map.of(
        "initial_destination_concurrency", "5",
        "default_destination_concurrency_limit", "20"));
    for (int i = 0; i < 1000; i++) {
      h.accept("u" + i + "@example.com");
    }
    assertEquals(5, h.open.size(), "slow start");
    int max = 0;
    while (!h.open.isEmpty()) {
      max = Math.max(max, h.open.size());
      assertTrue(h.open.size() <= h.qmgr.window(EXAMPLE) + 1e-9, "never more than the window");
      h.answer(h.open.values().iterator().next(), SENT, false);
    }
    assertEquals(20, max, "positive feedback grew the window to its limit");
    assertEquals(1000, h.records(JournalRecord.Done.class).size());
  }

  @Test
  void transportLimitOverridesTheDefault() {
    QmgrHarness h = new QmgrHarness(Map.of(
        "initial_destination_concurrency", "5",
        "smtp_destination_concurrency_limit", "2"));
    for (int i = 0; i < 10; i++) {
      h.accept("u" + i + "@example.com");
    }
    assertEquals(2, h.open.size());
  }

  @Test
  void recipientsAreGroupedUpToTheRecipientLimit() {
    QmgrHarness h = new QmgrHarness(Map.of("default_destination_recipient_limit", "50"));
    String[] rcpts = new String[120];
    for (int i = 0; i < rcpts.length; i++) {
      rcpts[i] = "u" + i + "@example.com";
    }
    h.accept(rcpts);
    List<Integer> sizes = h.open.values().stream().map(d -> d.recipients().size()).toList();
    assertEquals(List.of(50, 50, 20), sizes);
  }

  @Test
  void aSmallMessageIsNotStuckBehindABigOne() {
    QmgrHarness h = new QmgrHarness(Map.of(
        "initial_destination_concurrency", "1",
        "default_destination_concurrency_limit", "1",
        "default_destination_recipient_limit", "10"));
    String[] many = new String[10_000];
    for (int i = 0; i < many.length; i++) {
      many[i] = "u" + i + "@example.com";
    }
    QueueId big = h.accept(many);
    QueueId small = h.accept("one@example.com");
    int dispatchesBeforeSmall = 0;
    while (true) {
      Dispatch d = h.open.values().iterator().next();
      if (d.message().queueId().equals(small)) {
        break;
      }
      assertEquals(big, d.message().queueId());
      dispatchesBeforeSmall++;
      h.answer(d, SENT, false);
    }
    assertTrue(dispatchesBeforeSmall <= 2, "round robin: " + dispatchesBeforeSmall);
  }

  @Test
  void deferredMailBacksOffByItsAgeWithinTheBounds() {
    QmgrHarness h = new QmgrHarness(Map.of());
    long t0 = h.clock.millis();
    h.accept("a@example.com");
    h.answerAll(DEFERRED);
    JournalRecord.Deferred first = h.records(JournalRecord.Deferred.class).get(0);
    long gap = first.nextAttempt() - t0;
    assertTrue(gap >= 300_000 && gap <= 330_000, "minimal_backoff_time + jitter: " + gap);

    // An old message: its age (clamped to maximal_backoff_time) is the gap.
    QmgrHarness old = new QmgrHarness(Map.of());
    long arrival = old.clock.millis() - 86_400_000L;
    old.accept(arrival, "s@example.com", "a@example.com");
    old.answerAll(DEFERRED);
    long oldGap = old.records(JournalRecord.Deferred.class).get(0).nextAttempt()
        - old.clock.millis();
    assertTrue(oldGap >= 4_000_000 && oldGap <= 4_060_000, "maximal_backoff_time: " + oldGap);
  }

  @Test
  void deferredMailComesBackOnTheQueueRunAfterItsNextAttempt() {
    QmgrHarness h = new QmgrHarness(Map.of("queue_run_delay", "60s"));
    QueueId id = h.accept("a@example.com");
    h.answerAll(DEFERRED);
    assertFalse(h.qmgr.isActive(id));
    long next = h.projection.get(id).nextAttempt();
    while (h.clock.millis() < next) {
      h.advance(60_000);
      if (h.clock.millis() < next) {
        assertTrue(h.open.isEmpty(), "no retry before its backoff");
      }
    }
    h.advance(60_000);
    assertEquals(1, h.open.size());
    assertTrue(h.open.values().iterator().next().message().attempts() == 1);
    h.answerAll(SENT);
    assertNull(h.projection.get(id));
  }

  @Test
  void expiredMailBouncesWithMessageExpired() {
    QmgrHarness h = new QmgrHarness(Map.of("maximal_queue_lifetime", "1d"));
    long arrival = h.clock.millis() - 2 * 86_400_000L;
    h.accept(arrival, "s@example.com", "a@example.com");
    h.answerAll(DEFERRED);
    JournalRecord.Bounced b = h.records(JournalRecord.Bounced.class).get(0);
    assertEquals("4.4.7", b.results().get(0).dsn());
    assertTrue(b.results().get(0).reply().startsWith("message expired"));
    assertTrue(h.records(JournalRecord.Deferred.class).isEmpty());
    assertEquals(1, h.records(JournalRecord.Done.class).size());
  }

  @Test
  void nullSenderUsesBounceQueueLifetime() {
    QmgrHarness h = new QmgrHarness(Map.of("bounce_queue_lifetime", "1h",
        "maximal_queue_lifetime", "5d"));
    h.accept(h.clock.millis() - 2 * 3_600_000L, "", "a@example.com");
    h.answerAll(DEFERRED);
    assertEquals(1, h.records(JournalRecord.Bounced.class).size());
  }

  @Test
  void permanentFailureBounces() {
    QmgrHarness h = new QmgrHarness(Map.of());
    h.accept("a@example.com");
    h.answerAll(BOUNCED);
    assertEquals("5.1.1", h.records(JournalRecord.Bounced.class).get(0).results().get(0).dsn());
    assertEquals(1, h.records(JournalRecord.Done.class).size());
  }

  @Test
  void aDestinationWhoseCohortFailsIsDeadAndItsMailDeferred() {
    QmgrHarness h = new QmgrHarness(Map.of(
        "initial_destination_concurrency", "2",
        "transport_retry_time", "60s"));
    for (int i = 0; i < 10; i++) {
      h.accept("u" + i + "@example.com");
    }
    h.accept("x@example.org");
    assertEquals(2, h.openTo("example.com"));
    List<Dispatch> first = new ArrayList<>(h.open.values());
    for (Dispatch d : first) {
      if (d.route().equals(EXAMPLE)) {
        h.answer(d, DEFERRED, true);
      }
    }
    assertTrue(h.qmgr.isDead(EXAMPLE));
    assertEquals(0, h.openTo("example.com"), "nothing more goes to a dead destination");
    assertEquals(1, h.openTo("example.org"), "other destinations go on");
    List<JournalRecord.Deferred> deferred = h.records(JournalRecord.Deferred.class);
    assertEquals(10, deferred.stream().mapToInt(d -> d.results().size()).sum(),
        "every waiting recipient deferred, none bounced");
    assertTrue(deferred.stream().anyMatch(d -> d.results().get(0).reply()
        .startsWith("delivery temporarily suspended")));
    assertTrue(h.records(JournalRecord.Bounced.class).isEmpty());

    // New mail for the dead destination is deferred without a try.
    h.accept("late@example.com");
    assertEquals(0, h.openTo("example.com"));

    h.advance(61_000);
    assertFalse(h.qmgr.isDead(EXAMPLE));
  }

  @Test
  void rateDelaySpacesDeliveries() {
    QmgrHarness h = new QmgrHarness(Map.of("default_destination_rate_delay", "10s"));
    h.accept("a@example.com");
    h.accept("b@example.com");
    assertEquals(1, h.open.size());
    h.answerAll(SENT);
    assertEquals(0, h.open.size(), "the rate delay has not passed");
    h.advance(5_000);
    assertEquals(0, h.open.size());
    h.advance(5_000);
    assertEquals(1, h.open.size());
  }

  @Test
  void theActiveWindowIsBoundedAndRefilledInArrivalOrder() {
    QmgrHarness h = new QmgrHarness(Map.of(
        "qmgr_message_active_limit", "10",
        "default_destination_concurrency_limit", "100",
        "initial_destination_concurrency", "100"));
    List<QueueId> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(h.accept("u" + i + "@example.com"));
    }
    assertEquals(10, h.qmgr.activeCount());
    assertEquals(ids.subList(0, 10), h.open.values().stream()
        .map(d -> d.message().queueId()).toList());
    h.answerCurrent(SENT);
    assertEquals(10, h.qmgr.activeCount());
    assertEquals(ids.subList(10, 20), h.open.values().stream()
        .map(d -> d.message().queueId()).toList());
    h.answerCurrent(SENT);
    h.answerCurrent(SENT);
    assertEquals(30, h.records(JournalRecord.Done.class).size());
  }

  @Test
  void theRecipientWindowIsBounded() {
    QmgrHarness h = new QmgrHarness(Map.of("qmgr_message_recipient_limit", "5"));
    h.accept("a@example.com", "b@example.com", "c@example.com");
    h.accept("d@example.com", "e@example.com", "f@example.com");
    assertEquals(1, h.qmgr.activeCount());
    assertTrue(h.qmgr.activeRecipients() <= 5);
    h.answerCurrent(SENT);
    assertEquals(1, h.qmgr.activeCount());
    h.answerCurrent(SENT);
    assertEquals(2, h.records(JournalRecord.Done.class).size());
  }

  @Test
  void incomingAndDeferredAreTakenInTurn() {
    QmgrHarness h = new QmgrHarness(Map.of(
        "qmgr_message_active_limit", "4",
        "queue_run_delay", "1s",
        "minimal_backoff_time", "1s",
        "maximal_backoff_time", "1s",
        "initial_destination_concurrency", "100",
        "default_destination_concurrency_limit", "100"));
    List<QueueId> old = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      old.add(h.accept("old" + i + "@example.com"));
    }
    h.answerAll(DEFERRED);
    for (int i = 0; i < 20; i++) {
      h.accept("new" + i + "@example.com");
    }
    h.answerAll(SENT); // the window is busy with new mail
    h.advance(2_000); // the deferred mail is due now, and more new mail waits
    int oldTaken = 0;
    for (int round = 0; round < 3 && !h.open.isEmpty(); round++) {
      for (Dispatch d : h.open.values()) {
        if (old.contains(d.message().queueId())) {
          oldTaken++;
        }
      }
      h.answerAll(SENT);
    }
    assertTrue(oldTaken >= 2, "deferred mail is not starved by new mail: " + oldTaken);
  }

  @Test
  void holdAndDeleteStopDeliveries() {
    QmgrHarness h = new QmgrHarness(Map.of(
        "initial_destination_concurrency", "1",
        "default_destination_concurrency_limit", "1"));
    QueueId first = h.accept("a@example.com");
    QueueId held = h.accept("b@example.com");
    QueueId deleted = h.accept("c@example.com");
    h.unsynced.add(new JournalRecord.Held(held, h.clock.millis(), "test"));
    h.unsynced.add(new JournalRecord.Deleted(deleted, h.clock.millis(), "test"));
    h.sync();
    assertFalse(h.qmgr.isActive(held));
    assertFalse(h.qmgr.isActive(deleted));
    h.answerAll(SENT);
    assertTrue(h.open.isEmpty(), "held and deleted mail is not delivered");
    assertTrue(h.projection.get(held).held());
    assertNull(h.projection.get(deleted), "a deleted message is forgotten");
    assertNull(h.projection.get(first));

    h.unsynced.add(new JournalRecord.Released(held, h.clock.millis()));
    h.sync();
    h.advance(1);
    assertEquals(1, h.open.size(), "released mail goes out on the next queue run");
  }

  @Test
  void flushMakesDeferredMailDueNow() {
    QmgrHarness h = new QmgrHarness(Map.of());
    QueueId id = h.accept("a@example.com");
    h.answerAll(DEFERRED);
    h.advance(1_000);
    assertTrue(h.open.isEmpty());
    h.qmgr.flushAll();
    assertEquals(1, h.open.size());
    h.answerAll(SENT);
    assertNull(h.projection.get(id));
  }

  @Test
  void flushOfOneSiteTakesOnlyItsMail() {
    QmgrHarness h = new QmgrHarness(Map.of());
    QueueId com = h.accept("a@example.com");
    QueueId org = h.accept("b@example.org");
    h.answerAll(DEFERRED);
    h.advance(1_000);
    h.qmgr.flushSite("EXAMPLE.org");
    assertEquals(1, h.open.size());
    assertEquals(org, h.open.values().iterator().next().message().queueId());
    h.answerAll(SENT);
    h.advance(1_000);
    assertTrue(h.open.isEmpty(), "the other site's mail keeps its schedule");
    assertTrue(h.projection.get(com) != null);
    assertNull(h.projection.get(org));
  }

  @Test
  void flushOfOneMessage() {
    QmgrHarness h = new QmgrHarness(Map.of());
    QueueId a = h.accept("a@example.com");
    QueueId b = h.accept("b@example.com");
    h.answerAll(DEFERRED);
    assertTrue(h.qmgr.flushMessage(b));
    assertEquals(1, h.open.size());
    assertEquals(b, h.open.values().iterator().next().message().queueId());
    assertFalse(h.qmgr.flushMessage(h.ids.next()), "unknown id");
    assertTrue(h.projection.get(a) != null);
  }

  @Test
  void noticesHoldBackTheDone() {
    QmgrHarness h = new QmgrHarness(Map.of());
    boolean[] ready = {false};
    h.notices = m -> ready[0];
    QueueId id = h.accept("a@example.com");
    h.answerAll(BOUNCED);
    assertTrue(h.records(JournalRecord.Done.class).isEmpty());
    ready[0] = true;
    h.advance(100);
    assertEquals(1, h.records(JournalRecord.Done.class).size());
    assertNull(h.projection.get(id));
  }

  @Test
  void aFailedAgentDefersItsRecipients() {
    QmgrHarness h = new QmgrHarness(Map.of());
    h.accept("a@example.com");
    Dispatch d = h.open.values().iterator().next();
    h.open.remove(d.id());
    h.qmgr.onResult(d.id(), null);
    h.sync();
    assertEquals("4.3.0", h.records(JournalRecord.Deferred.class).get(0).results().get(0).dsn());
  }
}
