package io.gannet.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.Moved;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRetentionTest {

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(1_800_000_000_000L);

  private ChronicleJournal open() {
    return ChronicleJournal.open(dir.resolve("journal"), JournalOptions.defaults()
        .withRollCycle(RollCycles.FIVE_MINUTELY).withClock(clock).withChunkSize(512));
  }

  private static long append(Journal j, JournalRecord r) throws Exception {
    return j.append(r).toCompletableFuture().get();
  }

  @Test
  void liveMessageMovedForwardLetsOldCyclesBeDeleted() throws Exception {
    try (ChronicleJournal j = open()) {
      Accepted a1 = Records.accepted(1, 2000); // stays live: chunked content must survive the move
      Accepted a2 = Records.accepted(2, 100);
      append(j, a1);
      append(j, a2);
      int c0 = j.currentCycle();
      clock.advance(Duration.ofMinutes(5));
      Accepted a3 = Records.accepted(3, 100);
      append(j, a3);
      append(j, new Done(a2.queueId(), clock.millis()));
      clock.advance(Duration.ofMinutes(5));
      Accepted a4 = Records.accepted(4, 100);
      long i4 = append(j, a4);
      int c2 = j.currentCycle();
      assertEquals(c0 + 2, c2);
      assertEquals(3, j.cycles().size());

      JournalRetention retention = new JournalRetention(j);
      Map<QueueId, Long> live;
      try (JournalReader r = j.reader()) {
        live = JournalRetention.scanLive(r);
      }
      assertEquals(java.util.Set.of(a1.queueId(), a3.queueId(), a4.queueId()), live.keySet());
      JournalRetention.Plan plan = retention.plan(live, 1);
      assertEquals(List.of(a1.queueId(), a3.queueId()), plan.toMove());
      assertEquals(c0, plan.firstNeededCycle());

      // the scheduler would carry the message's state; here: everything still pending
      long m1 = append(j, new Moved(a1.queueId(), clock.millis(), live.get(a1.queueId()), a1,
          List.of(0, 1), 2, clock.millis() + 60_000, false, 0));
      long m3 = append(j, new Moved(a3.queueId(), clock.millis(), live.get(a3.queueId()), a3,
          List.of(1), 0, 0, true, 1));
      live.put(a1.queueId(), m1);
      live.put(a3.queueId(), m3);
      assertEquals(List.of(), retention.plan(live, 1).toMove());
      int firstNeeded = retention.releasable(live);
      assertEquals(c2, firstNeeded);

      File oldFile = j.fileOfCycle(c0);
      assertNotNull(oldFile);
      assertEquals(List.of(c0, c0 + 1), j.deleteCyclesBefore(firstNeeded));
      assertFalse(oldFile.exists());
      assertEquals(List.of(c2), List.copyOf(j.cycles()));

      List<JournalEntry> replay = ChronicleJournalTest.readAll(j);
      assertEquals(3, replay.size());
      assertEquals(JournalEntry.of(i4, a4), replay.get(0));
      Moved moved = (Moved) replay.get(1).record();
      assertEquals(a1, moved.message());
      assertEquals(List.of(0, 1), moved.pending());
      assertEquals(2, moved.attempts());
      assertTrue(((Moved) replay.get(2).record()).held());
    }
    // and a fresh process sees the same
    try (ChronicleJournal j = open()) {
      assertEquals(3, ChronicleJournalTest.readAll(j).size());
    }
  }

  @Test
  void currentCycleIsNeverDeleted() throws Exception {
    try (ChronicleJournal j = open()) {
      append(j, Records.accepted(1, 10));
      assertEquals(List.of(), j.deleteCyclesBefore(j.currentCycle() + 5));
      assertEquals(1, ChronicleJournalTest.readAll(j).size());
    }
  }
}
