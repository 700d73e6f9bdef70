package io.gannet.props.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.gannet.journal.MessageState;
import io.gannet.qmgr.Dispatch;
import io.gannet.qmgr.NoticeHook;
import io.gannet.qmgr.Qmgr;
import io.gannet.qmgr.QmgrSettings;
import io.gannet.qmgr.Route;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;

/**
 * A model-based run of the scheduler (issue "qmgr"): random arrivals (1 to 200 recipients over
 * several destinations), agent outcomes (2xx, 4xx, 5xx, site failures), clock advances, admin
 * actions (hold, release, delete, flush) and crashes that drop the scheduler and the projection's
 * unsynced writes (the projection reopens from a random earlier checkpoint and catches up from
 * the journal). The journal is a list: what was appended survives a crash.
 *
 * <p>Invariants, after every step and at the end: deliveries to a destination never exceed its
 * concurrency limit; the active window's bounds hold; no message is tried before its backoff
 * (unless flushed or released); the recovered projection equals a full replay; and once the
 * queue is drained every recipient was delivered or bounced exactly once (or deleted), never
 * lost.
 */
@PropertyDefaults(tries = 300, edgeCases = EdgeCasesMode.NONE)
class SchedulerModelProperties {

  static final String[] DOMAINS = {"a.example", "b.example", "c.example", "d.example"};
  static final int ACTIVE_LIMIT = 12;
  static final int CONCURRENCY_LIMIT = 4;

  sealed interface Step permits Arrive, Answer, Advance, Hold, Release, Delete, Flush, Crash {}

  record Arrive(int recipients, int domainMask) implements Step {}

  /** Answer the {@code pick}-th open delivery (modulo) with this outcome. */
  record Answer(int pick, Outcome outcome) implements Step {}

  record Advance(long millis) implements Step {}

  record Hold(int pick) implements Step {}

  record Release(int pick) implements Step {}

  record Delete(int pick) implements Step {}

  record Flush() implements Step {}

  /** Crash; the projection lost its last {@code lost} applied entries. */
  record Crash(int lost) implements Step {}

  enum Outcome { SENT, DEFERRED, BOUNCED, SITE_FAILURE, MIXED }

  @Provide
  Arbitrary<List<Step>> runs() {
    Arbitrary<Step> arrive = Combinators.combine(
        Arbitraries.integers().between(1, 200).withDistribution(
            net.jqwik.api.RandomDistribution.biased()),
        Arbitraries.integers().between(1, 15)).as(Arrive::new);
    Arbitrary<Step> answer = Combinators.combine(Arbitraries.integers().between(0, 1000),
        Arbitraries.of(Outcome.class)).as(Answer::new);
    Arbitrary<Step> advance = Arbitraries.longs().between(1_000, 3_600_000).map(Advance::new);
    Arbitrary<Step> hold = Arbitraries.integers().between(0, 1000).map(Hold::new);
    Arbitrary<Step> release = Arbitraries.integers().between(0, 1000).map(Release::new);
    Arbitrary<Step> delete = Arbitraries.integers().between(0, 1000).map(Delete::new);
    Arbitrary<Step> flush = Arbitraries.just(new Flush());
    Arbitrary<Step> crash = Arbitraries.integers().between(0, 50).map(Crash::new);
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, arrive), net.jqwik.api.Tuple.of(12, answer),
        net.jqwik.api.Tuple.of(4, advance), net.jqwik.api.Tuple.of(1, hold),
        net.jqwik.api.Tuple.of(1, release), net.jqwik.api.Tuple.of(1, delete),
        net.jqwik.api.Tuple.of(1, flush), net.jqwik.api.Tuple.of(1, crash));
    return step.list().ofMinSize(5).ofMaxSize(120);
  }

  @Property
  void everyRecipientIsFinalExactlyOnceAndTheLimitsHold(@ForAll("runs") List<Step> steps) {
    Model m = new Model();
    for (Step s : steps) {
      m.run(s);
      m.checkStep();
    }
    m.drain();
    m.checkFinal();
  }

  /** The scheduler with a list for a journal, an in-memory projection and a manual clock. */
  static final class Model {
    final MutableClock clock = new MutableClock(1_704_067_200_000L);
    final QueueIdGenerator ids = new QueueIdGenerator(clock);
    final List<JournalEntry> journal = new ArrayList<>();
    final ArrayDeque<JournalRecord> unsynced = new ArrayDeque<>();
    final Map<Long, Dispatch> open = new LinkedHashMap<>();
    final SplittableRandom random = new SplittableRandom(42);
    final QmgrSettings settings = new QmgrSettings(Config.of(Map.of(
        "qmgr_message_active_limit", Integer.toString(ACTIVE_LIMIT),
        "qmgr_message_recipient_limit", "400",
        "initial_destination_concurrency", "2",
        "default_destination_concurrency_limit", Integer.toString(CONCURRENCY_LIMIT),
        "default_destination_recipient_limit", "10",
        "queue_run_delay", "60s",
        "minimal_backoff_time", "60s",
        "maximal_backoff_time", "600s",
        "transport_retry_time", "60s")));
    /** Which journal entries the projection has applied (the rest is "unsynced"). */
    MemoryQueueProjection projection = new MemoryQueueProjection();
    Qmgr qmgr;
    /** Time of the last flush or release per message (null: none); all messages for flush. */
    long lastFlush = Long.MIN_VALUE;
    final Map<QueueId, Long> lastRelease = new HashMap<>();
    /** Per "queueid/index": {time of the last deferral}. */
    final Map<String, long[]> deferrals = new HashMap<>();
    final List<QueueId> accepted = new ArrayList<>();
    final Map<QueueId, Integer> recipientCount = new HashMap<>();
    long nextIndex = 1;

    Model() {
      qmgr = newQmgr();
    }

    Qmgr newQmgr() {
      return new Qmgr(settings, projection,
          address -> new Route("smtp", address.substring(address.indexOf('@') + 1)),
          this::onDispatch, unsynced::add, NoticeHook.NONE, clock, random);
    }

    void onDispatch(Dispatch d) {
      MessageState s = d.message();
      long now = clock.millis();
      long released = lastRelease.getOrDefault(s.queueId(), Long.MIN_VALUE);
      for (DeliveryRecipient r : d.recipients()) {
        long[] deferral = deferrals.get(s.queueId() + "/" + r.index());
        if (deferral == null || lastFlush >= deferral[0] || released >= deferral[0]) {
          continue; // never deferred, or flushed or released since
        }
        long gap = Math.min(600_000, Math.max(60_000, deferral[0] - s.arrivalTime()));
        assertTrue(now >= deferral[0] + gap, s.queueId() + " rcpt " + r.index() + " retried "
            + (deferral[0] + gap - now) + " ms before its backoff");
      }
      open.put(d.id(), d);
      long toRoute = open.values().stream().filter(o -> o.route().equals(d.route())).count();
      assertTrue(toRoute <= CONCURRENCY_LIMIT, d.route() + ": " + toRoute + " in flight");
    }

    void sync() {
      while (!unsynced.isEmpty()) {
        JournalEntry e = JournalEntry.of(nextIndex++, unsynced.poll());
        journal.add(e);
        if (e.record() instanceof JournalRecord.Deferred df) {
          for (JournalRecord.RecipientResult r : df.results()) {
            deferrals.put(df.queueId() + "/" + r.index(), new long[] {df.time()});
          }
        }
        projection.apply(List.of(e));
        qmgr.onJournal(e);
      }
    }

    void append(JournalRecord r) {
      unsynced.add(r);
      sync();
    }

    QueueId pickLive(int pick) {
      List<MessageState> live = projection.all();
      return live.isEmpty() ? null : live.get(pick % live.size()).queueId();
    }

    void run(Step step) {
      long now = clock.millis();
      if (step instanceof Arrive a) {
        List<Recipient> rcpts = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < DOMAINS.length; i++) {
          if ((a.domainMask() & (1 << i)) != 0) {
            domains.add(DOMAINS[i]);
          }
        }
        for (int i = 0; i < a.recipients(); i++) {
          rcpts.add(Recipient.of("u" + i + "@" + domains.get(i % domains.size())));
        }
        QueueId id = ids.next();
        accepted.add(id);
        recipientCount.put(id, rcpts.size());
        append(new JournalRecord.Accepted(id, now, ClientInfo.LOCAL, "s@example.com", null,
            DsnRet.DEFAULT, BodyType.SEVEN_BIT, false, rcpts, new byte[] {'x'}));
      } else if (step instanceof Answer a) {
        if (open.isEmpty()) {
          return;
        }
        List<Dispatch> list = new ArrayList<>(open.values());
        Dispatch d = list.get(a.pick() % list.size());
        answer(d, a.outcome());
      } else if (step instanceof Advance a) {
        clock.advance(java.time.Duration.ofMillis(a.millis()));
        qmgr.tick();
        sync();
      } else if (step instanceof Hold h) {
        QueueId id = pickLive(h.pick());
        if (id != null) {
          append(new JournalRecord.Held(id, now, "model"));
        }
      } else if (step instanceof Release r) {
        QueueId id = pickLive(r.pick());
        if (id != null && projection.get(id).held()) {
          lastRelease.put(id, now);
          append(new JournalRecord.Released(id, now));
        }
      } else if (step instanceof Delete d) {
        QueueId id = pickLive(d.pick());
        if (id != null) {
          append(new JournalRecord.Deleted(id, now, "model"));
        }
      } else if (step instanceof Flush) {
        lastFlush = now;
        qmgr.flushAll();
        sync();
      } else if (step instanceof Crash c) {
        crash(c.lost());
      }
    }

    void answer(Dispatch d, Outcome outcome) {
      open.remove(d.id());
      List<RecipientOutcome> outcomes = new ArrayList<>();
      int i = 0;
      for (DeliveryRecipient r : d.recipients()) {
        DeliveryStatus st = switch (outcome) {
          case SENT -> DeliveryStatus.SENT;
          case DEFERRED, SITE_FAILURE -> DeliveryStatus.DEFERRED;
          case BOUNCED -> DeliveryStatus.BOUNCED;
          case MIXED -> DeliveryStatus.values()[i++ % 3];
        };
        String dsn = st == DeliveryStatus.SENT ? "2.0.0"
            : st == DeliveryStatus.DEFERRED ? "4.0.0" : "5.0.0";
        outcomes.add(new RecipientOutcome(r.index(), r.address(), st, dsn, "model " + st));
      }
      qmgr.onResult(d.id(), new DeliveryResult("model", outcome == Outcome.SITE_FAILURE,
          outcomes, null));
      sync();
    }

    /** The process dies: open deliveries are lost, the projection loses its last writes. */
    void crash(int lost) {
      open.clear();
      unsynced.clear();
      int keep = Math.max(0, journal.size() - lost);
      MemoryQueueProjection reopened = new MemoryQueueProjection();
      reopened.apply(journal.subList(0, keep));
      reopened.apply(journal); // catch up from the checkpoint: entries <= it are skipped
      MemoryQueueProjection full = new MemoryQueueProjection();
      full.apply(journal);
      assertEquals(full.all(), reopened.all(), "recovered projection equals a full replay");
      assertEquals(full.checkpoint(), reopened.checkpoint());
      projection = reopened;
      qmgr = newQmgr();
      qmgr.finishStragglers(projection.all());
      qmgr.tick();
      sync();
    }

    void checkStep() {
      qmgr.checkInvariants();
      assertTrue(qmgr.activeCount() <= ACTIVE_LIMIT, "active " + qmgr.activeCount());
      assertEquals(open.size(), qmgr.inFlightCount());
    }

    /** Releases what is held and delivers everything, as time passes. */
    void drain() {
      for (int round = 0; round < 400 && projection.size() > 0; round++) {
        for (MessageState s : projection.all()) {
          if (s.held()) {
            lastRelease.put(s.queueId(), clock.millis());
            append(new JournalRecord.Released(s.queueId(), clock.millis()));
          }
        }
        while (!open.isEmpty()) {
          answer(open.values().iterator().next(), Outcome.SENT);
          checkStep();
        }
        clock.advance(java.time.Duration.ofMillis(600_000));
        qmgr.tick();
        sync();
      }
      assertEquals(0, projection.size(), "the queue drains: " + projection.all());
    }

    void checkFinal() {
      Map<QueueId, Map<Integer, Integer>> finals = new HashMap<>();
      Map<QueueId, Boolean> deleted = new HashMap<>();
      Map<QueueId, Integer> done = new HashMap<>();
      for (JournalEntry e : journal) {
        JournalRecord r = e.record();
        List<JournalRecord.RecipientResult> results = List.of();
        if (r instanceof JournalRecord.Delivered d) {
          results = d.results();
        } else if (r instanceof JournalRecord.Bounced b) {
          results = b.results();
        } else if (r instanceof JournalRecord.Deleted) {
          deleted.put(r.queueId(), true);
        } else if (r instanceof JournalRecord.Done) {
          done.merge(r.queueId(), 1, Integer::sum);
        }
        for (JournalRecord.RecipientResult x : results) {
          Map<Integer, Integer> byIndex = finals.computeIfAbsent(r.queueId(),
              k -> new HashMap<>());
          if (deleted.containsKey(r.queueId()) && byIndex.containsKey(x.index())) {
            continue; // a late result for a deleted message is harmless
          }
          byIndex.merge(x.index(), 1, Integer::sum);
        }
      }
      for (QueueId id : accepted) {
        assertEquals(1, done.getOrDefault(id, 0), id + ": one Done");
        Map<Integer, Integer> byIndex = finals.getOrDefault(id, Map.of());
        for (int i = 0; i < recipientCount.get(id); i++) {
          int n = byIndex.getOrDefault(i, 0);
          if (deleted.containsKey(id)) {
            assertTrue(n <= 1, id + " rcpt " + i + " final " + n + " times");
          } else {
            assertEquals(1, n, id + " rcpt " + i + ": delivered or bounced exactly once");
          }
        }
      }
    }
  }
}
