package io.gannet.qmgr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.BodyType;
import io.gannet.global.Config;
import io.gannet.global.DeliveryAgent;
import io.gannet.global.DeliveryRecipient;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import io.gannet.global.RecipientOutcome;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.MessageState;
import io.gannet.journal.MutableClock;
import io.gannet.journal.QueueProjection;
import io.gannet.journal.Records;
import io.gannet.journal.RocksQueueProjection;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention driven by qmgr, with the real pieces: a Chronicle journal rolling every five minutes
 * of a manual clock, the RocksDB projection, {@link QmgrService} and an agent the test steers.
 */
class RetentionPassTest {

  private static final Duration CYCLE = Duration.ofMinutes(5);

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(1_800_000_000_000L);
  private final QueueIdGenerator ids = new QueueIdGenerator(clock);
  private final Agent agent = new Agent();
  private ChronicleJournal journal;
  private QueueProjection projection;
  private QmgrService service;

  /** What the agent does with a message's recipients. */
  enum Mode { DEFER, DELIVER, HANG }

  /** Defers by default; delivers or never answers as told; keeps what it delivered. */
  static final class Agent implements DeliveryAgent {
    final Map<QueueId, Mode> modes = new ConcurrentHashMap<>();
    final Map<QueueId, byte[]> delivered = new ConcurrentHashMap<>();
    final Map<QueueId, Integer> attempts = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<DeliveryResult> deliver(DeliveryRequest r) {
      attempts.merge(r.queueId(), 1, Integer::sum);
      Mode mode = modes.getOrDefault(r.queueId(), Mode.DEFER);
      if (mode == Mode.HANG) {
        return new CompletableFuture<>();
      }
      if (mode == Mode.DELIVER) {
        delivered.put(r.queueId(), r.content());
      }
      List<RecipientOutcome> outcomes = new ArrayList<>();
      for (DeliveryRecipient d : r.recipients()) {
        outcomes.add(mode == Mode.DELIVER
            ? new RecipientOutcome(d.index(), d.address(), DeliveryStatus.SENT, "2.0.0", "250 ok")
            : new RecipientOutcome(d.index(), d.address(), DeliveryStatus.DEFERRED, "4.4.1",
                "421 try later"));
      }
      return CompletableFuture.completedFuture(new DeliveryResult("sink", false, outcomes, null));
    }

    @Override
    public void close() {}
  }

  @AfterEach
  void tearDown() {
    stop();
  }

  private JournalOptions journalOptions() {
    return JournalOptions.defaults().withRollCycle(RollCycles.FIVE_MINUTELY).withClock(clock);
  }

  private void openJournal() {
    if (journal == null) {
      journal = ChronicleJournal.open(dir.resolve("journal"), journalOptions());
    }
  }

  private void start() throws Exception {
    start("1d"); // passes run when the test asks
  }

  private void start(String retentionInterval) throws Exception {
    openJournal();
    projection = RocksQueueProjection.open(dir.resolve("projection"));
    Map<String, String> params = new HashMap<>();
    params.put("minimal_backoff_time", "1d"); // deferred mail is not retried by itself here
    params.put("maximal_backoff_time", "1d");
    params.put("queue_run_delay", "1d");
    params.put("journal_retention_interval", retentionInterval);
    params.put("journal_keep_cycles", "2");
    service = new QmgrService(new QmgrSettings(Config.of(params)), journal, journal, projection,
        a -> new Route("smtp", a.substring(a.indexOf('@') + 1)), t -> agent, NoticeHook.NONE,
        clock, new SplittableRandom(1));
    service.start().get(30, TimeUnit.SECONDS);
  }

  /** Stops qmgr and closes the projection (without making it durable) and the journal. */
  private void stop() {
    if (service != null) {
      service.close();
      service = null;
    }
    if (projection != null) {
      projection.close();
      projection = null;
    }
    if (journal != null) {
      journal.close();
      journal = null;
    }
  }

  private Accepted accept(String... recipients) throws Exception {
    return accept(Mode.DEFER, recipients);
  }

  /** Journals a new message; the agent treats it as {@code mode} from its first attempt. */
  private Accepted accept(Mode mode, String... recipients) throws Exception {
    openJournal();
    List<Recipient> rcpts = new ArrayList<>();
    for (String r : recipients) {
      rcpts.add(Recipient.of(r));
    }
    QueueId id = ids.next();
    agent.modes.put(id, mode);
    Accepted a = new Accepted(id, clock.millis(), Records.CLIENT, "sender@example.com", null,
        DsnRet.DEFAULT, BodyType.SEVEN_BIT, false, rcpts,
        ("Subject: " + id + "\r\n\r\nbody of " + id + "\r\n").getBytes(StandardCharsets.UTF_8));
    journal.append(a).toCompletableFuture().get(10, TimeUnit.SECONDS);
    return a;
  }

  private RetentionPass.Result pass() throws Exception {
    return service.retentionPass().get(30, TimeUnit.SECONDS);
  }

  private <T> T call(java.util.function.Function<Qmgr, T> f) throws Exception {
    return service.call(f).get(10, TimeUnit.SECONDS);
  }

  private void flushAll() throws Exception {
    service.call(q -> {
      q.flushAll();
      return Boolean.TRUE;
    }).get(10, TimeUnit.SECONDS);
  }

  private static void await(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  private void awaitDeferred(QueueId id, int attempts) throws Exception {
    await(() -> {
      MessageState s = projection.get(id);
      return s != null && s.attempts() >= attempts;
    }, id + " deferred");
    await(() -> {
      try {
        return !call(q -> q.isBusy(id));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, id + " out of the active window");
  }

  private void awaitGone(QueueId id) throws Exception {
    await(() -> projection.get(id) == null, id + " removed");
  }

  // ------------------------------------------------------------------------------------------

  @Test
  void deferredMessageInOldCycleIsMovedAndItsCycleDeleted() throws Exception {
    start();
    Accepted a = accept("x@defer.test", "y@defer.test");
    awaitDeferred(a.queueId(), 1);
    MessageState before = projection.get(a.queueId());
    int c0 = journal.cycleOf(before.index());
    File oldFile = journal.fileOfCycle(c0);
    assertNotNull(oldFile);

    clock.advance(CYCLE.multipliedBy(2)); // two cycles on: c0 is older than the two kept
    RetentionPass.Result r = pass();

    assertEquals(1, r.moved());
    assertEquals(List.of(c0), r.deleted());
    assertFalse(oldFile.exists());
    MessageState after = projection.get(a.queueId());
    assertEquals(c0 + 2, journal.cycleOf(after.index()));
    assertEquals(before.pending(), after.pending());
    assertEquals(before.attempts(), after.attempts());
    assertEquals(before.nextAttempt(), after.nextAttempt());
    assertEquals(before.held(), after.held());

    // still deliverable: the content comes from the Moved record
    agent.modes.put(a.queueId(), Mode.DELIVER);
    boolean flushed = call(q -> q.flushMessage(a.queueId()));
    assertTrue(flushed);
    awaitGone(a.queueId());
    assertArrayEquals(a.content(), agent.delivered.get(a.queueId()));
  }

  @Test
  void activeAndDeliveredMessagesAreNotMoved() throws Exception {
    start();
    Accepted busy = accept(Mode.HANG, "x@hang.test");
    Accepted done = accept(Mode.DELIVER, "x@ok.test");
    await(() -> agent.attempts.containsKey(busy.queueId()), "busy dispatched");
    awaitGone(done.queueId());
    long busyIndex = projection.get(busy.queueId()).index();
    int c0 = journal.cycleOf(busyIndex);
    clock.advance(CYCLE.multipliedBy(2));

    RetentionPass.Result r = pass();

    assertEquals(0, r.moved());
    assertEquals(c0, r.firstNeededCycle());
    assertEquals(List.of(), r.deleted());
    assertNotNull(journal.fileOfCycle(c0));
    assertEquals(busyIndex, projection.get(busy.queueId()).index());
    boolean active = call(q -> q.isActive(busy.queueId()));
    assertTrue(active);
  }

  @Test
  void heldMessageIsMovedWithItsHold() throws Exception {
    Accepted a = accept("x@defer.test"); // held on arrival, before qmgr runs
    journal.append(new JournalRecord.Held(a.queueId(), clock.millis(), "test"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    start();
    await(() -> {
      MessageState s = projection.get(a.queueId());
      return s != null && s.held();
    }, "held");
    int c0 = journal.cycleOf(projection.get(a.queueId()).index());
    clock.advance(CYCLE.multipliedBy(3));

    RetentionPass.Result r = pass();

    assertEquals(1, r.moved());
    assertEquals(List.of(c0), r.deleted()); // the cycles in between have no file
    MessageState s = projection.get(a.queueId());
    assertTrue(s.held());
    assertTrue(s.isIncoming());
  }

  @Test
  void crashAfterAPassLosesNothing() throws Exception {
    start();
    List<Accepted> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Accepted a = accept("x" + i + "@defer.test");
      all.add(a);
      awaitDeferred(a.queueId(), 1);
    }
    clock.advance(CYCLE);
    Accepted later = accept("late@defer.test"); // stays in a kept cycle
    all.add(later);
    awaitDeferred(later.queueId(), 1);
    clock.advance(CYCLE); // the first five are older than the two kept cycles, later is not
    RetentionPass.Result r = pass();
    assertEquals(5, r.moved());
    assertFalse(r.deleted().isEmpty());
    // more records after the pass, not made durable by anyone
    Accepted fresh = accept("fresh@defer.test");
    all.add(fresh);
    awaitDeferred(fresh.queueId(), 1);

    stop(); // the projection is closed without a sync
    start(); // reopen: catch up from its checkpoint
    for (Accepted a : all) {
      assertNotNull(projection.get(a.queueId()), a.queueId() + " lost");
    }
    Path replayDir = dir.resolve("replay");
    RocksQueueProjection.rebuild(replayDir, journal);
    try (QueueProjection replay = RocksQueueProjection.openReadOnly(replayDir)) {
      assertEquals(view(replay), view(projection));
    }

    // worst case: the projection is gone altogether and rebuilt from the remaining journal
    stop();
    try (ChronicleJournal readOnly = ChronicleJournal.open(dir.resolve("journal"),
        journalOptions().withReadOnly(true))) {
      RocksQueueProjection.rebuild(dir.resolve("projection"), readOnly);
    }
    start();
    assertEquals(all.size(), projection.size());
    for (Accepted a : all) {
      agent.modes.put(a.queueId(), Mode.DELIVER);
    }
    flushAll();
    for (Accepted a : all) {
      awaitGone(a.queueId());
      assertArrayEquals(a.content(), agent.delivered.get(a.queueId()));
    }
  }

  @Test
  void diskStaysBoundedWithAConstantBacklog() throws Exception {
    start();
    List<Accepted> backlog = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Accepted a = accept("x" + i + "@defer.test");
      backlog.add(a);
      awaitDeferred(a.queueId(), 1);
    }
    int maxCycles = 0;
    for (int round = 0; round < 12; round++) {
      clock.advance(CYCLE);
      // steady traffic: one message in, delivered, in every cycle
      Accepted passing = accept(Mode.DELIVER, "y" + round + "@ok.test");
      awaitGone(passing.queueId());
      pass();
      maxCycles = Math.max(maxCycles, journal.cycles().size());
      assertEquals(20, projection.size());
    }
    assertTrue(maxCycles <= 3, "cycle files kept: " + maxCycles);
    for (Accepted a : backlog) {
      agent.modes.put(a.queueId(), Mode.DELIVER);
    }
    flushAll();
    for (Accepted a : backlog) {
      awaitGone(a.queueId());
      assertArrayEquals(a.content(), agent.delivered.get(a.queueId()));
    }
  }

  @Test
  void passRunsEveryRetentionInterval() throws Exception {
    start("10m");
    Accepted a = accept("x@defer.test");
    awaitDeferred(a.queueId(), 1);
    File oldFile = journal.fileOfCycle(journal.cycleOf(projection.get(a.queueId()).index()));

    clock.advance(Duration.ofMinutes(10));

    await(() -> !oldFile.exists(), "the old cycle deleted by a timed pass");
    assertEquals(journal.currentCycle(), journal.cycleOf(projection.get(a.queueId()).index()));
  }

  // ------------------------------------------------------------------------------------------

  /**
   * What a Moved record carries of each message. (Final outcomes and deferral replies of earlier
   * attempts are not in it: a replay that starts at a Moved record does not know them.)
   */
  private static List<List<Object>> view(QueueProjection p) {
    List<List<Object>> out = new ArrayList<>();
    for (MessageState s : p.messages(null, Integer.MAX_VALUE)) {
      out.add(List.of(s.queueId(), s.index(), s.arrivalTime(), s.sender(), s.recipients(),
          List.copyOf(s.pending()), s.attempts(), s.nextAttempt(), s.held(),
          s.noticesQueued()));
    }
    return out;
  }
}
