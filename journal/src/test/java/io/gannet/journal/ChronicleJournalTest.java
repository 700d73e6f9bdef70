package io.gannet.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.RecipientResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleJournalTest {

  @TempDir Path dir;

  private ChronicleJournal open(JournalOptions o) {
    return ChronicleJournal.open(dir.resolve("journal"), o);
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

  @Test
  void barrierCompletesAfterEveryEarlierAppendWithTheLastIndex() throws Exception {
    try (ChronicleJournal j = open(JournalOptions.defaults())) {
      assertEquals(-1L, j.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS));
      List<CompletableFuture<Long>> appends = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        appends.add(j.append(Records.accepted(i, "x" + i)).toCompletableFuture());
      }
      long fence = j.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long last = -1;
      for (CompletableFuture<Long> a : appends) {
        assertTrue(a.isDone(), "an append before the barrier is not written yet");
        last = Math.max(last, a.join());
      }
      assertEquals(last, fence);
      assertEquals(50, readAll(j).size()); // the barrier wrote nothing
    }
    try (ChronicleJournal j = open(JournalOptions.defaults())) {
      j.close();
      assertThrows(Exception.class, () -> j.barrier().toCompletableFuture().get(10,
          TimeUnit.SECONDS));
    }
  }

  @Test
  void appendCompletesWithIndexAndRecordReadsBack() throws Exception {
    try (ChronicleJournal j = open(JournalOptions.defaults())) {
      Accepted a = Records.accepted(1, "Subject: hi\r\n\r\nbody\r\n");
      long index = j.append(a).toCompletableFuture().get(10, TimeUnit.SECONDS);
      Delivered d = new Delivered(a.queueId(), 5, "mx[127.0.0.1]:25",
          List.of(new RecipientResult(0, "a@example.net", "2.0.0", "250 ok")));
      long index2 = j.append(d).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertTrue(index2 > index);
      assertEquals(index2, j.lastIndex());
      List<JournalEntry> all = readAll(j);
      assertEquals(List.of(JournalEntry.of(index, a), JournalEntry.of(index2, d)), all);
    }
  }

  @Test
  void concurrentAppendsAllCompleteInDistinctIndexes() throws Exception {
    try (ChronicleJournal j = open(JournalOptions.defaults())) {
      List<CompletableFuture<Long>> fs = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int base = t * 1000;
        List<CompletableFuture<Long>> mine = new ArrayList<>();
        fs.addAll(List.of());
        Thread th = new Thread(() -> {
          for (int i = 0; i < 200; i++) {
            CompletableFuture<Long> f =
                j.append(new Done(Records.id(base + i), i)).toCompletableFuture();
            synchronized (fs) {
              fs.add(f);
            }
          }
        });
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
      java.util.Set<Long> indexes = new java.util.HashSet<>();
      for (CompletableFuture<Long> f : fs) {
        indexes.add(f.get(10, TimeUnit.SECONDS));
      }
      assertEquals(1600, indexes.size());
      assertEquals(1600, readAll(j).size());
    }
  }

  @Test
  void largeContentIsChunkedAndReassembled() throws Exception {
    try (ChronicleJournal j = open(JournalOptions.defaults().withChunkSize(1000))) {
      Accepted big = Records.accepted(7, 10_500);
      Accepted small = Records.accepted(8, 999);
      long i1 = j.append(big).toCompletableFuture().get(10, TimeUnit.SECONDS);
      long i2 = j.append(small).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(List.of(JournalEntry.of(i1, big), JournalEntry.of(i2, small)), readAll(j));
    }
  }

  @Test
  void messageOfMessageSizeLimitRoundTrips() throws Exception {
    try (ChronicleJournal j = open(JournalOptions.defaults())) {
      Accepted big = Records.accepted(9, 10_240_000);
      long i = j.append(big).toCompletableFuture().get(30, TimeUnit.SECONDS);
      List<JournalEntry> all = readAll(j);
      assertEquals(1, all.size());
      assertEquals(i, all.get(0).index());
      assertEquals(big, all.get(0).record());
    }
  }

  @Test
  void readerSeeksToAnIndexAndFollowsLiveAppends() throws Exception {
    try (ChronicleJournal j = open(JournalOptions.defaults())) {
      long first = j.append(new Done(Records.id(1), 1)).toCompletableFuture().get();
      long second = j.append(new Done(Records.id(2), 2)).toCompletableFuture().get();
      try (JournalReader r = j.reader()) {
        assertTrue(r.seek(second));
        assertEquals(second, r.next().index());
        assertNull(r.next());
        long third = j.append(new Done(Records.id(3), 3)).toCompletableFuture().get();
        JournalEntry e = r.next();
        assertEquals(third, e.index());
        assertEquals(new Done(Records.id(3), 3), e.record());
        r.toStart();
        assertEquals(first, r.next().index());
      }
    }
  }

  @Test
  void recordsSurviveReopen() throws Exception {
    Accepted a = Records.accepted(1, 3000);
    try (ChronicleJournal j = open(JournalOptions.defaults().withChunkSize(1024))) {
      j.append(a).toCompletableFuture().get();
    }
    try (ChronicleJournal j = open(JournalOptions.defaults().withChunkSize(1024))) {
      assertEquals(a, readAll(j).get(0).record());
      try (ChronicleJournal ro = open(JournalOptions.defaults().withReadOnly(true))) {
        assertEquals(a, readAll(ro).get(0).record());
        ExecutionExceptionAssert.assertFailsWith(JournalException.class, ro.append(a));
      }
    }
  }

  @Test
  void appendAfterCloseFails() {
    ChronicleJournal j = open(JournalOptions.defaults());
    j.close();
    ExecutionExceptionAssert.assertFailsWith(JournalException.class,
        j.append(new Done(Records.id(1), 1)));
  }

  @Test
  void syncModeNoneStillWritesEverything() throws Exception {
    try (ChronicleJournal j = open(JournalOptions.defaults().withSync(SyncMode.NONE))) {
      for (int i = 0; i < 100; i++) {
        j.append(new Done(Records.id(i), i));
      }
      j.append(new Done(Records.id(100), 100)).toCompletableFuture().get();
      assertEquals(101, readAll(j).size());
    }
  }
}
