package io.gannet.props.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.bounce.ComposedNotice;
import io.gannet.bounce.NoticeComposer;
import io.gannet.bounce.NoticePolicy;
import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.Config;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import io.gannet.global.RecipientOutcome;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.MemoryQueueProjection;
import io.gannet.journal.MessageState;
import io.gannet.journal.MutableClock;
import io.gannet.master.Notices;
import io.gannet.qmgr.Dispatch;
import io.gannet.qmgr.NoticeHook;
import io.gannet.qmgr.Qmgr;
import io.gannet.qmgr.QmgrSettings;
import io.gannet.qmgr.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Exactly-once notices under crash (issue "Thin readers", Notices): the real scheduler ({@link
 * Qmgr}), notice generator ({@link Notices}, {@link NoticePolicy}, {@link NoticeComposer}) and
 * projection fold ({@link MemoryQueueProjection}) run on a journal whose appends the model cuts
 * ({@link CuttableJournal}), with random messages (NOTIFY=SUCCESS / FAILURE / DELAY / NEVER, some
 * from the null sender), random outcomes (delivered, deferred, bounced), clock advances (with
 * {@code delay_warning_time} 0 or set, expiry after {@code maximal_queue_lifetime}), the straggler
 * scan that finishes messages after a restart, and crashes at any record, including between a
 * notice's {@code Accepted} and the original's {@code NoticeQueued}.
 *
 * <p>Why an in-memory journal and not ChronicleJournal in a temp dir: the property needs to cut
 * the journal between any two appends, thousands of times per run. ChronicleJournal's own crash
 * behaviour (a torn tail is cut back to the last whole record, the survivors are a prefix) is what
 * {@code JournalCrashTailProperties} and {@code JournalPowerLossTest} check; given that, "a crash
 * keeps a prefix of the appends" is the whole contract this property relies on, and the double
 * implements exactly that, deterministically.
 *
 * <p>Invariants, over the final journal once the queue has drained: for every message and kind,
 * at most one notice is ever {@code Accepted} (a notice names its original by its derived queue id
 * and by its {@code X-Gannet-Queue-ID} field, and both must agree); every notice that was due is
 * queued (a bounce when a recipient wanting failure notices bounced, a success report when one
 * wanting it was delivered, a delay warning when qmgr found one due and its appends were not cut
 * by a crash); every {@code NoticeQueued} names a notice that exists; every message is {@code
 * Done} exactly once; the projection recovered after a crash equals a full replay. A double bounce
 * about a notice has no derived id (ids derive only once): it may repeat once per crash, which is
 * all that is asked of it here.
 */
@PropertyDefaults(tries = 400, edgeCases = EdgeCasesMode.NONE)
class NoticeExactlyOnceProperties {

  static final String[] DOMAINS = {"a.example", "b.example"};
  static final String DOUBLE_BOUNCE_SENDER = "double-bounce@mx.test";
  static final int[] NOTIFY = {
    Recipient.NOTIFY_DEFAULT,
    Recipient.NOTIFY_NEVER,
    Recipient.NOTIFY_SUCCESS,
    Recipient.NOTIFY_SUCCESS | Recipient.NOTIFY_FAILURE,
    Recipient.NOTIFY_FAILURE | Recipient.NOTIFY_DELAY,
    Recipient.NOTIFY_SUCCESS | Recipient.NOTIFY_DELAY,
  };
  static final Pattern NAMES = Pattern.compile("X-Gannet-Queue-ID: (\\S+)");

  /** Run-wide configuration: {@code delay_warning_time} and whether double bounces are sent. */
  record Settings(int delayWarningMinutes, boolean doubleBounces) {}

  sealed interface Step permits Arrive, Answer, Sync, Advance, Scan, Crash {}

  /** A message arrives (synced, as smtpd syncs before its 250): one NOTIFY choice a recipient. */
  record Arrive(List<Integer> notifyChoices, boolean nullSender) implements Step {}

  /** Answer the {@code pick}-th open delivery (modulo) with this outcome. */
  record Answer(int pick, Outcome outcome) implements Step {}

  /** The journal's group commit: waiting appends become durable and reach qmgr's tail. */
  record Sync() implements Step {}

  record Advance(long millis) implements Step {}

  /** The straggler scan after a restart (QmgrService paces it over the first ticks). */
  record Scan() implements Step {}

  /**
   * The process dies: of the appends waiting for their sync, the first {@code keep} (modulo)
   * reached the disk, or with {@code atNotice}, those up to the first waiting notice's {@code
   * Accepted} when there is one (the window between a notice and its {@code NoticeQueued}); the
   * projection lost its last {@code lost} applied entries.
   */
  record Crash(int keep, int lost, boolean atNotice) implements Step {}

  enum Outcome { SENT, DEFERRED, BOUNCED, MIXED }

  @Provide
  Arbitrary<Settings> settings() {
    return Combinators.combine(Arbitraries.of(0, 5, 20, 90), Arbitraries.of(false, true))
        .as(Settings::new);
  }

  @Provide
  Arbitrary<List<Step>> runs() {
    Arbitrary<Step> arrive = Combinators.combine(
        Arbitraries.integers().between(0, NOTIFY.length - 1).list().ofMinSize(1).ofMaxSize(3),
        Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true))).as(Arrive::new);
    Arbitrary<Step> answer = Combinators.combine(Arbitraries.integers().between(0, 1000),
        Arbitraries.frequency(Tuple.of(3, Outcome.SENT), Tuple.of(4, Outcome.DEFERRED),
            Tuple.of(2, Outcome.BOUNCED), Tuple.of(2, Outcome.MIXED))).as(Answer::new);
    Arbitrary<Step> sync = Arbitraries.just(new Sync());
    Arbitrary<Step> advance = Arbitraries.longs().between(60_000, 3_600_000).map(Advance::new);
    Arbitrary<Step> scan = Arbitraries.just(new Scan());
    Arbitrary<Step> crash = Combinators.combine(Arbitraries.integers().between(0, 20),
        Arbitraries.integers().between(0, 10), Arbitraries.of(false, true)).as(Crash::new);
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        Tuple.of(4, arrive), Tuple.of(8, answer), Tuple.of(8, sync), Tuple.of(5, advance),
        Tuple.of(2, scan), Tuple.of(2, crash));
    return step.list().ofMinSize(20).ofMaxSize(100);
  }

  @Property
  void everyNoticeIsQueuedExactlyOnce(@ForAll("settings") Settings settings,
      @ForAll("runs") List<Step> steps) {
    Model m = new Model(settings);
    for (Step s : steps) {
      m.run(s);
      m.qmgr.checkInvariants();
    }
    m.drain();
    Statistics.label("crash between a notice's Accepted and its NoticeQueued")
        .collect(m.cutBetween > 0);
    Statistics.label("crashes").collect(Math.min(m.crashes, 3));
    m.checkFinal();
  }

  /**
   * The window the property found before the fix (its shrunk case): a message bounces, its bounce
   * notice's {@code Accepted} reaches the disk but the {@code NoticeQueued} after it does not; after
   * the restart the notice is delivered and forgotten before the straggler scan finishes the
   * original, which then must not compose the notice again.
   */
  @Example
  void aCrashBetweenANoticeAndItsNoticeQueuedNeverSendsItTwice() {
    Model m = new Model(new Settings(0, false));
    m.run(new Arrive(List.of(0), false));
    m.run(new Answer(0, Outcome.BOUNCED));
    m.run(new Sync()); // the Bounced comes back: the notice and NoticeQueued are appended
    m.run(new Crash(0, 0, true));
    assertEquals(1, m.cutBetween);
    m.run(new Answer(0, Outcome.SENT)); // the notice, taken in by the restarted qmgr
    m.run(new Sync());
    m.run(new Sync());
    assertEquals(1, m.projection.size(), "the notice is Done, the original waits for the scan");
    m.run(new Scan());
    m.drain();
    m.checkFinal();
  }

  /**
   * The same window for a delay warning, where no straggler scan is involved: the warning's
   * {@code Accepted} survives a crash, its {@code NoticeQueued} does not, the warning is delivered
   * and forgotten, and the message is deferred again later: no second warning.
   */
  @Example
  void aCrashBetweenADelayWarningAndItsNoticeQueuedNeverWarnsTwice() {
    Model m = new Model(new Settings(5, false));
    m.run(new Arrive(List.of(0), false)); // NOTIFY absent: failure and delay notices
    QueueId original = m.originals.get(0);
    m.answerOnly(original, Outcome.DEFERRED);
    m.run(new Sync()); // deferred before delay_warning_time: no warning yet
    assertTrue(m.journal.waiting().isEmpty());
    m.run(new Advance(Duration.ofMinutes(31).toMillis()));
    m.answerOnly(original, Outcome.DEFERRED);
    m.run(new Sync()); // deferred after it: the warning and its NoticeQueued are appended
    m.run(new Crash(0, 0, true));
    assertEquals(1, m.cutBetween);
    m.answerOnly(NoticeKind.DELAY.noticeId(original), Outcome.SENT);
    m.run(new Sync());
    m.run(new Sync());
    assertEquals(1, m.projection.size(), "the warning is Done");
    m.run(new Advance(Duration.ofMinutes(31).toMillis()));
    m.answerOnly(original, Outcome.DEFERRED);
    m.run(new Sync());
    m.drain();
    m.checkFinal();
    assertEquals(1, m.journal.entries().stream().filter(e -> e.record() instanceof
        JournalRecord.Accepted a && NoticeKind.DELAY.noticeId(original).equals(a.queueId()))
        .count());
  }

  /** The scheduler and the notice generator on a cuttable journal, with a manual clock. */
  static final class Model {
    final Settings run;
    final MutableClock clock = new MutableClock(1_704_067_200_000L);
    final QueueIdGenerator ids = new QueueIdGenerator(clock);
    final CuttableJournal journal = new CuttableJournal();
    final NoticePolicy policy;
    final NoticeComposer composer;
    final QmgrSettings settings;
    final SplittableRandom random = new SplittableRandom(7);
    final Map<Long, Dispatch> open = new LinkedHashMap<>();
    MemoryQueueProjection projection = new MemoryQueueProjection();
    Qmgr qmgr;
    boolean stragglersPending;
    int crashes;
    /** Crashes that kept a notice's Accepted and lost the NoticeQueued after it. */
    int cutBetween;
    /** Messages whose delay warning qmgr found due, appended but not yet synced. */
    final Set<QueueId> delayDueUnsynced = new HashSet<>();
    /** Messages whose delay warning was found due and whose appends were synced. */
    final Set<QueueId> delayDue = new HashSet<>();
    final List<QueueId> originals = new ArrayList<>();
    int senders;

    Model(Settings run) {
      this.run = run;
      Map<String, String> conf = new HashMap<>(Map.of(
          "myhostname", "mx.test",
          "myorigin", "mx.test",
          "delay_warning_time", run.delayWarningMinutes() + "m",
          "maximal_queue_lifetime", "8h",
          "bounce_queue_lifetime", "4h",
          "queue_run_delay", "300s",
          "minimal_backoff_time", "300s",
          "maximal_backoff_time", "1800s",
          "qmgr_message_active_limit", "8"));
      if (run.doubleBounces()) {
        conf.put("notify_classes", "resource, software, bounce");
      }
      Config config = Config.of(conf);
      policy = new NoticePolicy(config, clock);
      composer = new NoticeComposer(config, clock);
      settings = new QmgrSettings(config);
      qmgr = newQmgr();
    }

    Qmgr newQmgr() {
      Notices notices = new Notices(policy, composer, journal, projection, clock);
      NoticeHook hook = new NoticeHook() {
        @Override
        public boolean finished(MessageState message) {
          return notices.finished(message);
        }

        @Override
        public void deferred(MessageState message) {
          if (policy.due(message).stream().anyMatch(d -> d.kind() == NoticeKind.DELAY)) {
            delayDueUnsynced.add(message.queueId());
          }
          notices.deferred(message);
        }
      };
      return new Qmgr(settings, projection, address -> new Route("smtp",
          address.substring(address.indexOf('@') + 1)), d -> open.put(d.id(), d),
          journal::append, hook, clock, random);
    }

    void run(Step step) {
      if (step instanceof Arrive a) {
        List<Recipient> rcpts = new ArrayList<>();
        for (int i = 0; i < a.notifyChoices().size(); i++) {
          String address = "u" + i + "@" + DOMAINS[i % DOMAINS.length];
          rcpts.add(new Recipient(address, "rfc822;" + address, NOTIFY[a.notifyChoices().get(i)]));
        }
        QueueId id = ids.next();
        originals.add(id);
        String sender = a.nullSender() ? "" : "s" + senders++ + "@sender.example";
        journal.append(new JournalRecord.Accepted(id, clock.millis(), ClientInfo.LOCAL, sender,
            null, DsnRet.DEFAULT, BodyType.SEVEN_BIT, false, rcpts,
            ("Subject: m " + id + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)));
        sync();
      } else if (step instanceof Answer a) {
        if (!open.isEmpty()) {
          List<Dispatch> list = new ArrayList<>(open.values());
          answer(list.get(a.pick() % list.size()), a.outcome());
        }
      } else if (step instanceof Sync) {
        sync();
      } else if (step instanceof Advance a) {
        clock.advance(Duration.ofMillis(a.millis()));
        qmgr.tick();
      } else if (step instanceof Scan) {
        scan();
      } else if (step instanceof Crash c) {
        crash(c.keep(), c.lost(), c.atNotice());
      }
    }

    void sync() {
      delayDue.addAll(delayDueUnsynced); // appended before this sync: durable now
      delayDueUnsynced.clear();
      for (JournalEntry e : journal.sync()) {
        projection.apply(List.of(e));
        qmgr.onJournal(e);
      }
    }

    void scan() {
      if (stragglersPending) {
        stragglersPending = false;
        qmgr.finishStragglers(projection.all());
      }
    }

    void answer(Dispatch d, Outcome outcome) {
      open.remove(d.id());
      List<RecipientOutcome> outcomes = new ArrayList<>();
      int i = 0;
      for (var r : d.recipients()) {
        DeliveryStatus st = switch (outcome) {
          case SENT -> DeliveryStatus.SENT;
          case DEFERRED -> DeliveryStatus.DEFERRED;
          case BOUNCED -> DeliveryStatus.BOUNCED;
          case MIXED -> DeliveryStatus.values()[i++ % 3];
        };
        String dsn = st == DeliveryStatus.SENT ? "2.0.0"
            : st == DeliveryStatus.DEFERRED ? "4.2.0" : "5.1.1";
        outcomes.add(new RecipientOutcome(r.index(), r.address(), st, dsn,
            dsn.charAt(0) + "50 model " + st));
      }
      qmgr.onResult(d.id(), new DeliveryResult("mx." + d.route().nexthop(), false, outcomes,
          null));
    }

    /** Answers the one open delivery, which must be for {@code id}. */
    void answerOnly(QueueId id, Outcome outcome) {
      assertEquals(1, open.size(), "open deliveries: " + open.values());
      Dispatch d = open.values().iterator().next();
      assertEquals(id, d.message().queueId());
      answer(d, outcome);
    }

    /** The process dies: what was not synced is cut, deliveries in flight are forgotten. */
    void crash(int keep, int lost, boolean atNotice) {
      List<JournalRecord> waiting = journal.waiting();
      int kept = keep % (waiting.size() + 1);
      for (int i = 0; atNotice && i < waiting.size(); i++) {
        if (waiting.get(i) instanceof JournalRecord.Accepted a && a.queueId().isDerived()) {
          kept = i + 1;
          break;
        }
      }
      if (kept > 0 && kept < waiting.size()
          && waiting.get(kept - 1) instanceof JournalRecord.Accepted a && a.queueId().isDerived()
          && waiting.get(kept) instanceof JournalRecord.NoticeQueued) {
        cutBetween++;
      }
      journal.crash(kept);
      delayDueUnsynced.clear(); // a cut delay warning is due again only on a later deferral
      open.clear();
      crashes++;
      List<JournalEntry> all = journal.entries();
      int applied = (int) (projection.checkpoint() + 1);
      MemoryQueueProjection reopened = new MemoryQueueProjection();
      reopened.apply(all.subList(0, Math.max(0, applied - lost)));
      reopened.catchUp(journal.reader());
      MemoryQueueProjection full = new MemoryQueueProjection();
      full.apply(all);
      assertEquals(full.all(), reopened.all(), "recovered projection equals a full replay");
      projection = reopened;
      qmgr = newQmgr();
      stragglersPending = true;
      qmgr.tick();
    }

    /** Delivers everything, as time passes, until the queue is empty. */
    void drain() {
      for (int round = 0; round < 300; round++) {
        scan();
        sync();
        while (!open.isEmpty()) {
          answer(open.values().iterator().next(), Outcome.SENT);
          sync();
        }
        if (projection.size() == 0 && journal.waiting().isEmpty()) {
          return;
        }
        clock.advance(Duration.ofMinutes(10));
        qmgr.tick();
      }
      assertEquals(0, projection.size(), "the queue drains: " + projection.all());
    }

    void checkFinal() {
      List<JournalEntry> entries = journal.entries();
      Map<QueueId, JournalRecord.Accepted> accepted = new LinkedHashMap<>();
      /** Per original and kind: its notices' ids (derived ids). */
      Map<QueueId, Map<NoticeKind, List<QueueId>>> notices = new HashMap<>();
      /** Per notice: the double bounces about it (fresh ids). */
      Map<QueueId, Integer> doubleBounces = new HashMap<>();
      Map<QueueId, Map<Integer, DeliveryStatus>> firstFinal = new HashMap<>();
      Map<QueueId, Integer> done = new HashMap<>();
      for (JournalEntry e : entries) {
        JournalRecord r = e.record();
        if (r instanceof JournalRecord.Accepted a) {
          accepted.putIfAbsent(a.queueId(), a);
          String named = named(a);
          if (a.queueId().isDerived()) {
            QueueId origin = a.queueId().origin();
            assertEquals(origin.toString(), named, a.queueId() + ": X-Gannet-Queue-ID");
            notices.computeIfAbsent(origin, k -> new HashMap<>())
                .computeIfAbsent(NoticeKind.ofNoticeId(a.queueId()), k -> new ArrayList<>())
                .add(a.queueId());
          } else if (named != null) {
            assertEquals(DOUBLE_BOUNCE_SENDER, a.sender(), a.queueId() + ": a fresh-id notice");
            doubleBounces.merge(QueueId.parse(named), 1, Integer::sum);
          }
        } else if (r instanceof JournalRecord.Delivered d) {
          d.results().forEach(x -> firstFinal.computeIfAbsent(d.queueId(), k -> new HashMap<>())
              .putIfAbsent(x.index(), DeliveryStatus.SENT));
        } else if (r instanceof JournalRecord.Bounced b) {
          b.results().forEach(x -> firstFinal.computeIfAbsent(b.queueId(), k -> new HashMap<>())
              .putIfAbsent(x.index(), DeliveryStatus.BOUNCED));
        } else if (r instanceof JournalRecord.NoticeQueued n) {
          assertTrue(accepted.containsKey(n.notice()), n + ": its notice was Accepted before");
        } else if (r instanceof JournalRecord.Done) {
          done.merge(r.queueId(), 1, Integer::sum);
        }
      }
      Statistics.label("notice kinds queued").collect(notices.values().stream()
          .flatMap(k -> k.keySet().stream()).distinct().sorted().toList());
      for (JournalRecord.Accepted a : accepted.values()) {
        QueueId id = a.queueId();
        assertEquals(1, done.getOrDefault(id, 0), id + ": Done exactly once");
        Map<NoticeKind, List<QueueId>> byKind = notices.getOrDefault(id, Map.of());
        for (var k : byKind.entrySet()) {
          assertEquals(1, k.getValue().size(), id + ": " + k.getKey() + " notices "
              + k.getValue() + "\n" + history(id));
        }
        Map<Integer, DeliveryStatus> outcome = firstFinal.getOrDefault(id, Map.of());
        boolean bouncedWanting = false;
        boolean deliveredWanting = false;
        for (var o : outcome.entrySet()) {
          Recipient rcpt = a.recipients().get(o.getKey());
          bouncedWanting |= o.getValue() == DeliveryStatus.BOUNCED
              && (a.sender().isEmpty() || rcpt.wants(Recipient.NOTIFY_FAILURE));
          deliveredWanting |= o.getValue() == DeliveryStatus.SENT
              && rcpt.wants(Recipient.NOTIFY_SUCCESS);
        }
        int bounces = byKind.getOrDefault(NoticeKind.BOUNCE, List.of()).size();
        int delays = byKind.getOrDefault(NoticeKind.DELAY, List.of()).size();
        int successes = byKind.getOrDefault(NoticeKind.SUCCESS, List.of()).size();
        if (DOUBLE_BOUNCE_SENDER.equals(a.sender())) {
          assertEquals(0, bounces + delays + successes, id + ": a postmaster notice is final");
        } else if (a.sender().isEmpty()) {
          boolean expected = bouncedWanting && run.doubleBounces();
          assertEquals(0, delays + successes, id + ": the null sender gets no notice");
          if (id.isDerived()) {
            int n = doubleBounces.getOrDefault(id, 0);
            assertTrue(expected ? n >= 1 && n <= 1 + crashes : n == 0,
                id + ": " + n + " double bounces after " + crashes + " crashes\n" + history(id));
          } else {
            assertEquals(expected ? 1 : 0, bounces, id + ": double bounce\n" + history(id));
          }
        } else {
          assertEquals(bouncedWanting ? 1 : 0, bounces, id + ": bounce notice\n" + history(id));
          assertEquals(deliveredWanting ? 1 : 0, successes,
              id + ": success notice\n" + history(id));
          if (delayDue.contains(id)) {
            assertEquals(1, delays, id + ": delay warning was due\n" + history(id));
          }
        }
      }
    }

    /** The {@code X-Gannet-Queue-ID} a notice names, or null for a message that is no notice. */
    static String named(JournalRecord.Accepted a) {
      if (!ComposedNotice.isNotice(a.client())) {
        return null;
      }
      Matcher m = NAMES.matcher(new String(a.content(), StandardCharsets.US_ASCII));
      assertTrue(m.find(), a.queueId() + ": a notice names its original");
      return m.group(1);
    }

    /** The records about {@code id} and its notices, for a failure message. */
    String history(QueueId id) {
      return journal.entries().stream()
          .filter(e -> id.equals(e.record().queueId())
              || id.equals(e.record().queueId().origin()))
          .map(e -> e.index() + " " + describe(e.record()))
          .collect(Collectors.joining("\n"));
    }

    static String describe(JournalRecord r) {
      if (r instanceof JournalRecord.Accepted a) {
        return "Accepted " + a.queueId() + " from <" + a.sender() + "> to "
            + a.recipients().stream().map(x -> x.address() + "/" + x.notifyText()).toList();
      }
      return r.toString();
    }
  }
}
