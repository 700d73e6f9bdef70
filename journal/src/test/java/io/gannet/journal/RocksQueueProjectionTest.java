package io.gannet.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Deferred;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.Held;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.JournalRecord.RecipientResult;
import io.gannet.journal.JournalRecord.Released;
import io.gannet.journal.JournalRecord.Requeued;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

class RocksQueueProjectionTest {

  @TempDir Path tmp;

  static final long T0 = ProjectionWorkload.T0;

  // ------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------

  /** Entries at indexes first, first + 1, ... (no journal needed). */
  static List<JournalEntry> entries(long first, JournalRecord... records) {
    List<JournalEntry> out = new ArrayList<>();
    for (JournalRecord r : records) {
      out.add(JournalEntry.of(first++, r));
    }
    return out;
  }

  static RecipientResult rr(int i, String reply) {
    return new RecipientResult(i, i == 0 ? "a@example.net" : "b@example.org", "4.0.0", reply);
  }

  static Deferred deferred(long n, long time, long next) {
    return new Deferred(Records.id(n), time, "r", next, List.of(rr(0, "451"), rr(1, "451")));
  }

  static ChronicleJournal journal(Path dir, int chunkSize) {
    return ChronicleJournal.open(dir,
        JournalOptions.defaults().withSync(SyncMode.NONE).withChunkSize(chunkSize));
  }

  static void append(Journal j, List<JournalRecord> records) throws Exception {
    List<CompletableFuture<Long>> fs = new ArrayList<>();
    for (JournalRecord r : records) {
      fs.add(j.append(r).toCompletableFuture());
    }
    for (CompletableFuture<Long> f : fs) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  static List<JournalEntry> readAll(Journal j) {
    List<JournalEntry> out = new ArrayList<>();
    try (JournalReader r = j.reader()) {
      for (JournalEntry e; (e = r.next()) != null; ) {
        out.add(e);
      }
    }
    return out;
  }

  static List<MessageState> all(QueueProjection p) {
    return p.messages(null, Integer.MAX_VALUE);
  }

  static List<MessageState> allIncoming(QueueProjection p) {
    return p.incoming(-1, Integer.MAX_VALUE, id -> true);
  }

  static List<MessageState> allDeferred(QueueProjection p) {
    return p.dueDeferred(Long.MAX_VALUE, Integer.MAX_VALUE, id -> true);
  }

  static List<QueueId> ids(List<MessageState> states) {
    return states.stream().map(MessageState::queueId).toList();
  }

  /** The projection holds exactly the fold of the journal: states and both indexes. */
  static void assertEqualsModel(Map<QueueId, MessageState> model, QueueProjection p) {
    assertEquals(model.size(), p.size(), "size");
    List<MessageState> expected = model.values().stream()
        .sorted(Comparator.comparing(MessageState::queueId)).toList();
    assertEquals(expected, all(p), "messages");
    List<MessageState> inc = expected.stream()
        .filter(s -> s.isIncoming() && !s.held() && !s.pending().isEmpty())
        .sorted(Comparator.comparingLong(MessageState::index)).toList();
    assertEquals(inc, allIncoming(p), "incoming");
    List<MessageState> def = expected.stream()
        .filter(s -> !s.isIncoming() && !s.held() && !s.pending().isEmpty())
        .sorted(Comparator.comparingLong((MessageState s) -> Math.max(0, s.nextAttempt()))
            .thenComparing(MessageState::queueId)).toList();
    assertEquals(def, allDeferred(p), "deferred");
  }

  static void assertSameProjection(QueueProjection expected, QueueProjection actual) {
    assertEquals(expected.checkpoint(), actual.checkpoint(), "checkpoint");
    assertEquals(expected.size(), actual.size(), "size");
    assertEquals(all(expected), all(actual), "messages");
    assertEquals(allIncoming(expected), allIncoming(actual), "incoming");
    assertEquals(allDeferred(expected), allDeferred(actual), "deferred");
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  static List<Path> corruptSiblings(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.getParent())) {
      return s.filter(p -> p.getFileName().toString()
          .startsWith(dir.getFileName() + ".corrupt-")).toList();
    }
  }

  // ------------------------------------------------------------------------------------------
  // apply and the reads
  // ------------------------------------------------------------------------------------------

  @Test
  void applyThenGetIncomingDeferredAndMessages() {
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("projection"))) {
      assertEquals(-1, p.checkpoint());
      assertEquals(0, p.size());
      Accepted a1 = Records.accepted(1, "one");
      Accepted a2 = Records.accepted(2, "two");
      Accepted a3 = Records.accepted(3, "three");
      p.apply(entries(10, a1, a2, a3));
      assertEquals(12, p.checkpoint());
      assertEquals(3, p.size());
      assertEquals(List.of(a1.queueId(), a2.queueId(), a3.queueId()), ids(allIncoming(p)));
      assertEquals(List.of(), allDeferred(p));
      assertEquals(11, p.get(a2.queueId()).index());

      p.apply(entries(13, deferred(2, T0 + 10, T0 + 5_000), new Held(a3.queueId(), T0, "h")));
      assertEquals(List.of(a1.queueId()), ids(allIncoming(p)));
      assertEquals(List.of(a2.queueId()), ids(allDeferred(p)));
      assertEquals(List.of(a2.queueId()), ids(p.dueDeferred(T0 + 5_000, 10, id -> true)));
      assertEquals(List.of(), p.dueDeferred(T0 + 4_999, 10, id -> true));
      assertTrue(p.get(a3.queueId()).held());
      assertEquals(3, all(p).size());

      p.apply(entries(15, new Released(a3.queueId(), T0 + 20),
          new Requeued(a2.queueId(), T0 + 30)));
      assertEquals(List.of(a1.queueId(), a2.queueId(), a3.queueId()), ids(allIncoming(p)));
      assertEquals(List.of(), allDeferred(p));
      assertEquals(List.of(a2.queueId(), a3.queueId()),
          ids(p.incoming(10, 10, id -> true)));
      assertEquals(List.of(a1.queueId(), a3.queueId()),
          ids(p.incoming(-1, 10, id -> !id.equals(a2.queueId()))));
      assertEquals(List.of(a1.queueId()), ids(p.incoming(-1, 1, id -> true)));

      p.apply(entries(17,
          new Delivered(a1.queueId(), T0, "r", List.of(rr(0, "250"), rr(1, "250"))),
          new Done(a1.queueId(), T0)));
      assertNull(p.get(a1.queueId()));
      assertEquals(2, p.size());
      assertEquals(List.of(a2.queueId(), a3.queueId()), ids(allIncoming(p)));
      assertEquals(18, p.checkpoint());
    }
  }

  @Test
  void flushDurableReturnsTheCheckpointItMadeDurable() {
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"))) {
      assertEquals(-1, p.flushDurable());
      p.apply(List.of(JournalEntry.of(7, Records.accepted(1, "x"))));
      assertEquals(7, p.flushDurable());
    }
    try (RocksQueueProjection p = RocksQueueProjection.openReadOnly(tmp.resolve("p"))) {
      assertEquals(7, p.checkpoint());
      assertThrows(ProjectionException.class, p::flushDurable);
    }
  }

  @Test
  void aMessageWithoutPendingRecipientsIsInNeitherIndex() {
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"))) {
      Accepted a = Records.accepted(1, "x");
      p.apply(entries(1, a, deferred(1, T0, T0 + 10),
          new Delivered(a.queueId(), T0, "r", List.of(rr(0, "250"), rr(1, "250")))));
      assertEquals(List.of(), allIncoming(p));
      assertEquals(List.of(), allDeferred(p));
      assertEquals(1, p.size());
      assertEquals(java.util.Set.of(0, 1), p.get(a.queueId()).delivered());
    }
  }

  @Test
  void severalRecordsForOneMessageInOneBatchFoldInOrder() {
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"))) {
      Accepted a = Records.accepted(1, "x");
      QueueId id = a.queueId();
      p.apply(entries(1, a, deferred(1, T0, T0 + 9_000), new Held(id, T0, "h"),
          new Released(id, T0 + 100), deferred(1, T0, T0 + 7_000)));
      MessageState s = p.get(id);
      assertEquals(2, s.attempts());
      assertEquals(T0 + 7_000, s.nextAttempt());
      assertEquals(List.of(s), allDeferred(p));
      assertEquals(List.of(), allIncoming(p));
      // one batch from accept to done leaves nothing behind
      Accepted b = Records.accepted(2, "y");
      p.apply(entries(6, b, deferred(2, T0, T0 + 1), new Done(b.queueId(), T0)));
      assertNull(p.get(b.queueId()));
      assertEquals(1, p.size());
      assertEquals(List.of(s), allDeferred(p));
    }
  }

  @Test
  void aNoticesAcceptedMarksTheOriginalsNoticeQueuedInBothProjections() {
    Accepted a = Records.accepted(1, "x");
    Accepted notice = ProjectionFoldTest.noticeOf(a.queueId(), NoticeKind.BOUNCE);
    Accepted stray = ProjectionFoldTest.noticeOf(Records.id(7), NoticeKind.DELAY);
    MemoryQueueProjection memory = new MemoryQueueProjection();
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"))) {
      for (QueueProjection q : List.of(p, memory)) {
        q.apply(entries(1, a));
        q.apply(entries(2, notice, stray)); // stray: a notice whose original is gone
        assertTrue(q.get(a.queueId()).noticeQueued(NoticeKind.BOUNCE));
        assertNotNull(q.get(notice.queueId()));
        assertNotNull(q.get(stray.queueId()));
        assertNull(q.get(Records.id(7)));
        assertEquals(3, q.size());
        assertEquals(4, q.checkpoint() + 1);
      }
      assertSameProjection(memory, p);
    }
  }

  @Test
  void replayedAndCorruptEntriesMoveOnlyTheCheckpoint() {
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"))) {
      Accepted a = Records.accepted(1, "x");
      List<JournalEntry> first = entries(5, a, deferred(1, T0, T0 + 50));
      p.apply(first);
      MessageState s = p.get(a.queueId());
      p.apply(first); // replay: at or below the checkpoint
      assertEquals(s, p.get(a.queueId()));
      assertEquals(1, p.get(a.queueId()).attempts());
      p.apply(List.of(JournalEntry.corrupt(7, "bad bytes"), JournalEntry.corrupt(9, "bad")));
      assertEquals(9, p.checkpoint());
      assertEquals(s, p.get(a.queueId()));
      p.apply(List.of());
      assertEquals(9, p.checkpoint());
    }
  }

  @Test
  void messagesPagesInQueueIdOrder() {
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"))) {
      List<JournalEntry> es = new ArrayList<>();
      for (int n = 20; n > 0; n--) { // journal order differs from queue id order
        es.add(JournalEntry.of(100 - n, Records.accepted(n, "c")));
      }
      p.apply(es);
      List<MessageState> page1 = p.messages(null, 7);
      List<MessageState> page2 = p.messages(page1.get(6).queueId(), 7);
      List<MessageState> page3 = p.messages(page2.get(6).queueId(), 7);
      List<QueueId> got = new ArrayList<>(ids(page1));
      got.addAll(ids(page2));
      got.addAll(ids(page3));
      List<QueueId> want = new ArrayList<>();
      for (int n = 1; n <= 20; n++) {
        want.add(Records.id(n));
      }
      assertEquals(want, got);
      assertEquals(List.of(), p.messages(Records.id(20), 5));
      // incoming is in journal order: the reverse
      assertEquals(Records.id(20), allIncoming(p).get(0).queueId());
    }
  }

  // ------------------------------------------------------------------------------------------
  // The deferred index
  // ------------------------------------------------------------------------------------------

  @Test
  void dueDeferredStopsAtTheUpperBound() {
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"))) {
      List<JournalEntry> es = new ArrayList<>();
      long i = 1;
      for (int n = 1; n <= 4; n++) {
        es.add(JournalEntry.of(i++, Records.accepted(n, "c")));
      }
      // next attempts: 3 -> 1000, 1 -> 2000, 4 -> 2000, 2 -> 3000
      es.add(JournalEntry.of(i++, deferred(3, T0, 1000)));
      es.add(JournalEntry.of(i++, deferred(1, T0, 2000)));
      es.add(JournalEntry.of(i++, deferred(4, T0, 2000)));
      es.add(JournalEntry.of(i++, deferred(2, T0, 3000)));
      p.apply(es);
      assertEquals(List.of(), p.dueDeferred(999, 10, id -> true));
      assertEquals(List.of(Records.id(3)), ids(p.dueDeferred(1000, 10, id -> true)));
      assertEquals(List.of(Records.id(3), Records.id(1), Records.id(4)),
          ids(p.dueDeferred(2999, 10, id -> true)));
      assertEquals(List.of(Records.id(3), Records.id(1)), ids(p.dueDeferred(2000, 2, id -> true)));
      assertEquals(List.of(Records.id(1), Records.id(4)),
          ids(p.dueDeferred(2000, 10, id -> !id.equals(Records.id(3)))));
      assertEquals(4, p.dueDeferred(Long.MAX_VALUE, 10, id -> true).size());
      assertEquals(List.of(), p.dueDeferred(-1, 10, id -> true));
      for (MessageState s : p.dueDeferred(2500, 10, id -> true)) {
        assertTrue(s.nextAttempt() <= 2500, s.toString());
      }
    }
  }

  @Test
  void hundredThousandDeferredThenDueScanIsBoundedByLimit() {
    int n = 100_000;
    long now = T0 + 1_000_000;
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"))) {
      long index = 1;
      List<JournalEntry> batch = new ArrayList<>();
      for (int m = 0; m < n; m++) {
        batch.add(JournalEntry.of(index++, Records.accepted(m, 16)));
        // 1% due now or earlier, the rest later (up to 10^5 ms in the future)
        long next = m % 100 == 0 ? now - m : now + 1 + m;
        batch.add(JournalEntry.of(index++, deferred(m, T0, next)));
        if (batch.size() >= 4000) {
          p.apply(batch);
          batch.clear();
        }
      }
      p.apply(batch);
      assertEquals(n, p.size());
      AtomicInteger asked = new AtomicInteger();
      long start = System.nanoTime();
      List<MessageState> due = p.dueDeferred(now, 100, id -> {
        asked.incrementAndGet();
        return true;
      });
      long micros = (System.nanoTime() - start) / 1000;
      assertEquals(100, due.size());
      assertEquals(100, asked.get(), "one pass over at most limit keys");
      long prev = Long.MIN_VALUE;
      for (MessageState s : due) {
        assertTrue(s.nextAttempt() <= now);
        assertTrue(s.nextAttempt() >= prev);
        prev = s.nextAttempt();
      }
      assertEquals(n / 100, p.dueDeferred(now, n, id -> true).size());
      System.out.println("dueDeferred(now, 100) over " + n + " deferred: " + micros + " us");
    }
  }

  @Test
  void scansSeekPastTheTombstonesOfKeysTakenOut() {
    int n = 20_000;
    long now = T0 + 1_000_000;
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"))) {
      long index = 1;
      List<JournalEntry> batch = new ArrayList<>();
      for (int m = 0; m < n; m++) {
        batch.add(JournalEntry.of(index++, Records.accepted(m, 16)));
        batch.add(JournalEntry.of(index++, deferred(m, T0, now - n + m)));
      }
      p.apply(batch);
      batch.clear();
      for (int m = 0; m < n; m++) { // every due message is retried and delivered
        batch.add(JournalEntry.of(index++, new Done(Records.id(m), T0)));
      }
      for (int m = n; m < n + 2; m++) { // two new messages: incoming and deferred
        batch.add(JournalEntry.of(index++, Records.accepted(m, 16)));
      }
      batch.add(JournalEntry.of(index++, deferred(n, T0, now - 5)));
      p.apply(batch);
      p.rocks().setPerfLevel(org.rocksdb.PerfLevel.ENABLE_COUNT);
      org.rocksdb.PerfContext perf = p.rocks().getPerfContext();
      for (int scan = 0; scan < 3; scan++) {
        perf.reset();
        assertEquals(List.of(Records.id(n)), ids(p.dueDeferred(now, 100, id -> true)));
        long skipped = perf.getInternalDeleteSkippedCount();
        assertTrue(scan == 0 || skipped < 100, "scan " + scan + " skipped " + skipped);
        perf.reset();
        assertEquals(List.of(Records.id(n + 1)), ids(p.incoming(-1, 100, id -> true)));
        skipped = perf.getInternalDeleteSkippedCount();
        assertTrue(scan == 0 || skipped < 100, "incoming scan " + scan + " skipped " + skipped);
      }
      // a key below the floor (released: due at release time) is found
      p.apply(entries(index, new Held(Records.id(n), T0, "h"),
          new Released(Records.id(n), T0 + 1)));
      List<MessageState> due = p.dueDeferred(now, 100, id -> true);
      assertEquals(List.of(Records.id(n)), ids(due));
      assertEquals(T0 + 1, due.get(0).nextAttempt());
      // requeued, the deferred message returns to incoming below the incoming floor
      p.apply(entries(index + 2, new Requeued(Records.id(n), T0 + 2)));
      assertEquals(List.of(Records.id(n), Records.id(n + 1)),
          ids(p.incoming(-1, 100, id -> true)));
      assertEquals(List.of(), p.dueDeferred(now, 100, id -> true));
    }
  }

  @Test
  void indexesAgreeWithTheFoldAfterEveryBatch() {
    List<JournalRecord> records = ProjectionWorkload.records(13, 1, 200, 0, 0);
    List<JournalEntry> es = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      es.add(JournalEntry.of(1000 + i, records.get(i)));
    }
    java.util.Random rnd = new java.util.Random(13);
    try (RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"))) {
      int at = 0;
      while (at < es.size()) {
        int next = Math.min(es.size(), at + 1 + rnd.nextInt(20));
        p.apply(es.subList(at, next));
        at = next;
        Map<QueueId, MessageState> model = ProjectionWorkload.fold(es.subList(0, at));
        // partial scans in between move the floors
        long dueBy = T0 + rnd.nextInt(3_000_000);
        List<MessageState> due = p.dueDeferred(dueBy, 1 + rnd.nextInt(5), id -> true);
        due.forEach(s -> assertTrue(Math.max(0, s.nextAttempt()) <= dueBy));
        p.incoming(rnd.nextInt(1000 + at), 1 + rnd.nextInt(5), id -> rnd.nextBoolean());
        assertEquals(model.values().stream()
            .filter(s -> !s.isIncoming() && !s.held() && !s.pending().isEmpty()
                && Math.max(0, s.nextAttempt()) <= dueBy)
            .count(), p.dueDeferred(dueBy, Integer.MAX_VALUE, id -> true).size());
        assertEqualsModel(model, p);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Replay against a real journal
  // ------------------------------------------------------------------------------------------

  @Test
  void checkpointReplayEqualsFullReplay() throws Exception {
    List<JournalRecord> records = ProjectionWorkload.records(7, 1, 300, 25, 5000);
    try (ChronicleJournal j = journal(tmp.resolve("journal"), 1024)) {
      append(j, records);
      List<JournalEntry> all = readAll(j);
      assertEquals(records.size(), all.size());
      Path dir = tmp.resolve("projection");
      try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
        int half = all.size() / 2;
        for (int i = 0; i < half; i += 37) {
          p.apply(all.subList(i, Math.min(half, i + 37)));
        }
        assertEquals(all.get(half - 1).index(), p.checkpoint());
      }
      Map<QueueId, MessageState> model = ProjectionWorkload.fold(all);
      Path fresh = tmp.resolve("rebuilt");
      RocksQueueProjection.rebuild(fresh, j);
      try (RocksQueueProjection p = RocksQueueProjection.open(dir);
          RocksQueueProjection full = RocksQueueProjection.open(fresh);
          JournalReader r = j.reader()) {
        assertEquals(all.size() - all.size() / 2, p.catchUp(r));
        assertEquals(j.lastIndex(), p.checkpoint());
        assertSameProjection(full, p);
        assertEqualsModel(model, p);
        assertTrue(p.size() > 0, "the workload leaves live messages");
        assertFalse(allDeferred(p).isEmpty());
      }
    }
  }

  @Test
  void laggingProjectionCatchesUpFromItsCheckpoint() throws Exception {
    List<JournalRecord> records = ProjectionWorkload.records(11, 1, 400, 10, 3000);
    int third = records.size() / 3;
    Path dir = tmp.resolve("projection");
    Path behind = tmp.resolve("behind");
    try (ChronicleJournal j = journal(tmp.resolve("journal"), 1024)) {
      append(j, records.subList(0, third));
      try (RocksQueueProjection p = RocksQueueProjection.open(dir); JournalReader r = j.reader()) {
        assertEquals(third, p.catchUp(r));
        assertEquals(0, p.catchUp(r));
      }
      copyTree(dir, behind); // what a crash that lost the later unsynced batches leaves
      append(j, records.subList(third, 2 * third));
      try (RocksQueueProjection p = RocksQueueProjection.open(dir); JournalReader r = j.reader()) {
        assertEquals(third, p.catchUp(r));
        // the journal grows while the projection is open
        append(j, records.subList(2 * third, records.size()));
        assertEquals(records.size() - 2 * third, p.catchUp(r));
        assertEqualsModel(ProjectionWorkload.fold(readAll(j)), p);
      }
      try (RocksQueueProjection p = RocksQueueProjection.open(behind);
          JournalReader r = j.reader()) {
        long before = p.checkpoint();
        assertTrue(before < j.lastIndex());
        assertEquals(records.size() - third, p.catchUp(r));
        assertEqualsModel(ProjectionWorkload.fold(readAll(j)), p);
        try (RocksQueueProjection q = RocksQueueProjection.openReadOnly(dir)) {
          assertSameProjection(q, p);
        }
      }
    }
  }

  @Test
  void catchUpReadsFromTheStartWhenTheCheckpointIsNotInTheJournal() throws Exception {
    List<JournalRecord> records = ProjectionWorkload.records(3, 1, 50, 0, 0);
    try (ChronicleJournal j = journal(tmp.resolve("journal"), 1024);
        RocksQueueProjection p = RocksQueueProjection.open(tmp.resolve("p"));
        JournalReader r = j.reader()) {
      append(j, records);
      List<JournalEntry> all = readAll(j);
      // a checkpoint that no journal record has (between two real indexes is impossible in
      // Chronicle, so use one before the first): the reader cannot seek there
      p.apply(List.of(JournalEntry.corrupt(all.get(0).index() - 1, "gone")));
      assertEquals(all.size(), p.catchUp(r));
      assertEqualsModel(ProjectionWorkload.fold(all), p);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Recovery
  // ------------------------------------------------------------------------------------------

  @Test
  void missingDirectoryIsCreated() {
    Path dir = tmp.resolve("queue").resolve("projection");
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      assertEquals(-1, p.checkpoint());
      assertTrue(Files.isDirectory(dir));
    }
  }

  @Test
  void corruptDirectoryIsMovedAsideAndRebuiltFromTheJournal() throws Exception {
    List<JournalRecord> records = ProjectionWorkload.records(5, 1, 100, 0, 0);
    Path dir = tmp.resolve("projection");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("CURRENT"), "MANIFEST-000042\n");
    Files.write(dir.resolve("MANIFEST-000042"), "garbage, not a manifest".getBytes());
    Files.write(dir.resolve("000007.sst"), new byte[] {1, 2, 3, 4, 5});
    try (ChronicleJournal j = journal(tmp.resolve("journal"), 1024)) {
      append(j, records);
      try (RocksQueueProjection p = RocksQueueProjection.open(dir); JournalReader r = j.reader()) {
        assertEquals(-1, p.checkpoint());
        assertEquals(records.size(), p.catchUp(r));
        assertEqualsModel(ProjectionWorkload.fold(readAll(j)), p);
      }
    }
    List<Path> aside = corruptSiblings(dir);
    assertEquals(1, aside.size());
    assertTrue(Files.exists(aside.get(0).resolve("000007.sst")), "kept for inspection");
  }

  @Test
  void garbageFilesWithoutADatabaseAreMovedAside() throws Exception {
    Path dir = tmp.resolve("projection");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("notes.txt"), "someone's file");
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      assertEquals(-1, p.checkpoint());
      p.apply(entries(1, Records.accepted(1, "x")));
    }
    assertEquals(1, corruptSiblings(dir).size());
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      assertEquals(1, p.size(), "a good projection is reopened as it is");
    }
    assertEquals(1, corruptSiblings(dir).size());
  }

  /** Writes a meta key or a message value behind the projection's back. */
  static void tamper(Path dir, String family, byte[] key, byte[] value) throws Exception {
    List<ColumnFamilyDescriptor> ds = new ArrayList<>();
    for (String f : List.of("default", "messages", "incoming", "deferred", "meta")) {
      ds.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8)));
    }
    List<ColumnFamilyHandle> hs = new ArrayList<>();
    try (DBOptions o = new DBOptions();
        RocksDB db = RocksDB.open(o, dir.toString(), ds, hs)) {
      int i = List.of("default", "messages", "incoming", "deferred", "meta").indexOf(family);
      db.put(hs.get(i), key, value);
      hs.forEach(ColumnFamilyHandle::close);
    }
  }

  @Test
  void unknownFormatVersionIsMovedAside() throws Exception {
    Path dir = tmp.resolve("projection");
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      p.apply(entries(1, Records.accepted(1, "x")));
    }
    byte[] v99 = new byte[8];
    v99[7] = 99;
    tamper(dir, "meta", "format".getBytes(StandardCharsets.UTF_8), v99);
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      assertEquals(-1, p.checkpoint());
      assertEquals(0, p.size());
    }
    assertEquals(1, corruptSiblings(dir).size());
  }

  @Test
  void undecodableStateIsMovedAsideOnOpen() throws Exception {
    Path dir = tmp.resolve("projection");
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      p.apply(entries(1, Records.accepted(1, "x")));
    }
    tamper(dir, "messages", ProjectionKeys.message(Records.id(0)), new byte[] {1, 2, 3});
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      assertEquals(-1, p.checkpoint());
    }
    assertEquals(1, corruptSiblings(dir).size());
  }

  @Test
  void undecodableStateReadLaterIsAClearError() throws Exception {
    Path dir = tmp.resolve("projection");
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      p.apply(entries(1, Records.accepted(1, "x"), Records.accepted(2, "y")));
    }
    tamper(dir, "messages", ProjectionKeys.message(Records.id(2)), new byte[] {1, 2, 3});
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      ProjectionException e =
          assertThrows(ProjectionException.class, () -> p.get(Records.id(2)));
      assertTrue(e.getMessage().contains(Records.id(2).toString()), e.getMessage());
      assertTrue(e.getMessage().contains("gannet super --rebuild"), e.getMessage());
    }
  }

  @Test
  void aProjectionInUseIsRefusedAndNotMovedAside() throws Exception {
    Path dir = tmp.resolve("projection");
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      p.apply(entries(1, Records.accepted(1, "x")));
      ProjectionException e =
          assertThrows(ProjectionException.class, () -> RocksQueueProjection.open(dir));
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
      try (ChronicleJournal j = journal(tmp.resolve("journal"), 1024)) {
        assertThrows(ProjectionException.class, () -> RocksQueueProjection.rebuild(dir, j));
      }
      assertEquals(1, p.size());
    }
    assertEquals(List.of(), corruptSiblings(dir));
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      assertEquals(1, p.size());
    }
  }

  @Test
  void readOnlySeesTheStateAndRefusesWrites() {
    Path dir = tmp.resolve("projection");
    assertThrows(ProjectionException.class, () -> RocksQueueProjection.openReadOnly(dir));
    assertFalse(Files.exists(dir));
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      p.apply(entries(1, Records.accepted(1, "x"), deferred(1, T0, T0 + 5)));
      try (RocksQueueProjection ro = RocksQueueProjection.openReadOnly(dir)) {
        assertSameProjection(p, ro);
        assertThrows(ProjectionException.class,
            () -> ro.apply(entries(3, Records.accepted(2, "y"))));
      }
    }
  }

  @Test
  void rebuildDeletesAndReplaysEverything() throws Exception {
    List<JournalRecord> records = ProjectionWorkload.records(9, 1, 120, 0, 0);
    Path dir = tmp.resolve("projection");
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      // state the journal does not imply, at a checkpoint beyond it
      p.apply(entries(1L << 40, Records.accepted(5000, "stray")));
    }
    try (ChronicleJournal j = journal(tmp.resolve("journal"), 1024)) {
      append(j, records);
      RocksQueueProjection.rebuild(dir, j);
      try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
        assertEquals(j.lastIndex(), p.checkpoint());
        assertNull(p.get(Records.id(5000)));
        assertEqualsModel(ProjectionWorkload.fold(readAll(j)), p);
      }
    }
    assertEquals(List.of(), corruptSiblings(dir));
  }

  /** Bytes of write-ahead log in a projection directory. */
  static long walBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".log"))
          .mapToLong(f -> f.toFile().length()).sum();
    }
  }

  @Test
  void closeLeavesNoWriteAheadLogToReplay() throws Exception {
    Path dir = tmp.resolve("projection");
    try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
      for (int b = 0; b < 20; b++) {
        List<JournalRecord> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          batch.add(Records.accepted(b * 100L + i, 10));
        }
        p.apply(entries(b * 100L, batch.toArray(JournalRecord[]::new)));
      }
      assertTrue(walBytes(dir) > 100_000, "written to the WAL: " + walBytes(dir));
    }
    assertTrue(walBytes(dir) < 4096, "flushed at close: " + walBytes(dir));
    try (RocksQueueProjection ro = RocksQueueProjection.openReadOnly(dir)) {
      assertEquals(2000, ro.size());
      assertEquals(1999, ro.checkpoint());
    }
  }
}
