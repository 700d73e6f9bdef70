package io.gannet.qmgr;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.Config;
import io.gannet.global.DeliveryRecipient;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import io.gannet.global.RecipientOutcome;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.MemoryQueueProjection;
import io.gannet.journal.MutableClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A scheduler with everything around it faked but faithful: an in-memory journal (a list whose
 * records reach the projection and the scheduler when {@link #sync()} runs, like the tail), the
 * real in-memory projection, a manual clock and a port that keeps the dispatches for the test to
 * answer. Routes: the recipient's domain over {@code smtp}.
 */
final class QmgrHarness {
  final MutableClock clock = new MutableClock(1_700_000_000_000L);
  final QueueIdGenerator ids = new QueueIdGenerator(clock);
  final MemoryQueueProjection projection = new MemoryQueueProjection();
  final List<JournalEntry> journal = new ArrayList<>();
  final ArrayDeque<JournalRecord> unsynced = new ArrayDeque<>();
  final Map<Long, Dispatch> open = new LinkedHashMap<>();
  final List<Dispatch> allDispatches = new ArrayList<>();
  final Qmgr qmgr;
  NoticeHook notices = NoticeHook.NONE;
  private long nextIndex = 1;

  QmgrHarness(Map<String, String> params) {
    this(params, address -> new Route("smtp", address.substring(address.indexOf('@') + 1)));
  }

  QmgrHarness(Map<String, String> params, Function<String, Route> routes) {
    QmgrSettings settings = new QmgrSettings(Config.of(params));
    qmgr = new Qmgr(settings, projection, routes::apply, d -> {
      open.put(d.id(), d);
      allDispatches.add(d);
    }, unsynced::add, m -> notices.finished(m), clock, new SplittableRandom(7));
  }

  /** Delivers journaled records to the projection and the scheduler until none is left. */
  void sync() {
    while (!unsynced.isEmpty()) {
      JournalRecord r = unsynced.poll();
      JournalEntry e = JournalEntry.of(nextIndex++, r);
      journal.add(e);
      projection.apply(List.of(e));
      qmgr.onJournal(e);
      qmgr.checkInvariants();
    }
  }

  QueueId accept(String... recipients) {
    return accept(clock.millis(), "sender@example.com", recipients);
  }

  QueueId accept(long arrival, String sender, String... recipients) {
    QueueId id = ids.next();
    List<Recipient> rcpts = new ArrayList<>();
    for (String r : recipients) {
      rcpts.add(Recipient.of(r));
    }
    unsynced.add(new JournalRecord.Accepted(id, arrival, ClientInfo.LOCAL, sender, null,
        DsnRet.DEFAULT, BodyType.SEVEN_BIT, false, rcpts, "Subject: x\r\n\r\nx\r\n".getBytes()));
    sync();
    return id;
  }

  /** Answers one open dispatch with the same status for every recipient. */
  void answer(Dispatch d, DeliveryStatus status, boolean siteFailure) {
    String dsn = switch (status) {
      case SENT -> "2.0.0";
      case DEFERRED -> "4.4.1";
      case BOUNCED -> "5.1.1";
    };
    List<RecipientOutcome> outcomes = new ArrayList<>();
    for (DeliveryRecipient r : d.recipients()) {
      outcomes.add(new RecipientOutcome(r.index(), r.address(), status, dsn, status + " reply"));
    }
    open.remove(d.id());
    qmgr.onResult(d.id(), new DeliveryResult(siteFailure ? "none" : "mx[127.0.0.1]:25",
        siteFailure, outcomes, null));
    sync();
  }

  /** Answers the deliveries open now (not those their answers cause). */
  void answerCurrent(DeliveryStatus status) {
    for (Dispatch d : List.copyOf(open.values())) {
      answer(d, status, false);
    }
  }

  /** Answers deliveries until none is open. */
  void answerAll(DeliveryStatus status) {
    while (!open.isEmpty()) {
      answer(open.values().iterator().next(), status, false);
    }
  }

  void advance(long millis) {
    clock.advance(java.time.Duration.ofMillis(millis));
    qmgr.tick();
    sync();
  }

  <T extends JournalRecord> List<T> records(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (JournalEntry e : journal) {
      if (type.isInstance(e.record())) {
        out.add(type.cast(e.record()));
      }
    }
    return out;
  }

  int openTo(String domain) {
    return (int) open.values().stream().filter(d -> d.route().nexthop().equals(domain)).count();
  }
}
