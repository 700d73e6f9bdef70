package io.gannet.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Done;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash in the middle of a write leaves behind, written by hand with a raw Chronicle
 * appender: the frames before the crash are intact, the torn record is reported as corrupt (never
 * returned as a record), and the journal goes on accepting appends after it.
 */
class TornTailTest {

  @TempDir Path dir;

  private static final int CHUNK = 100;

  /** Writes the frames of {@code records}, then only {@code keepFrames} frames of {@code torn}. */
  private void writeRaw(List<JournalRecord> records, JournalRecord torn, int keepFrames,
      int cutLastFrameBytes) {
    try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).build();
        ExcerptAppender app = q.createAppender()) {
      RecordCodec codec = new RecordCodec(CHUNK);
      for (JournalRecord r : records) {
        codec.encode(r, (buf, off, len) -> write(app, buf, off, len));
      }
      List<byte[]> frames = new ArrayList<>();
      codec.encode(torn, (buf, off, len) -> frames.add(java.util.Arrays.copyOfRange(buf, off,
          off + len)));
      for (int i = 0; i < keepFrames; i++) {
        byte[] f = frames.get(i);
        int len = i == keepFrames - 1 ? f.length - cutLastFrameBytes : f.length;
        write(app, f, 0, len);
      }
    }
  }

  private static void write(ExcerptAppender app, byte[] buf, int off, int len) {
    try (DocumentContext dc = app.writingDocument()) {
      dc.wire().bytes().write(buf, off, len);
    }
  }

  /**
   * Reopens the journal as after a crash, checks that the torn record is not returned as a record,
   * appends one record after it, and returns everything read before that new record (a reader
   * following live reports an incomplete chunked record once the next record shows it is over).
   */
  private List<JournalEntry> reopenAndRead() {
    try (ChronicleJournal j = ChronicleJournal.open(dir, JournalOptions.defaults()
        .withChunkSize(CHUNK))) {
      List<JournalEntry> before = ChronicleJournalTest.readAll(j);
      Done after = new Done(Records.id(99), 99);
      long idx = j.append(after).toCompletableFuture().join();
      List<JournalEntry> again = ChronicleJournalTest.readAll(j);
      assertEquals(JournalEntry.of(idx, after), again.get(again.size() - 1));
      List<JournalEntry> all = again.subList(0, again.size() - 1);
      for (JournalEntry e : before) {
        assertTrue(all.contains(e), "entry read before the new append vanished: " + e);
      }
      return all;
    }
  }

  @Test
  void chunkedRecordMissingItsLastChunksIsReportedNotReturned() {
    Accepted ok = Records.accepted(1, 250);
    Accepted torn = Records.accepted(2, 450); // 1 + 4 chunk frames
    writeRaw(List.of(ok), torn, 3, 0);
    List<JournalEntry> all = reopenAndRead();
    assertEquals(ok, all.get(0).record());
    assertTrue(all.stream().skip(1).allMatch(JournalEntry::isCorrupt), all.toString());
    assertTrue(all.get(all.size() - 1).corrupt().contains("incomplete Accepted"),
        all.toString());
  }

  @Test
  void frameCutShortFailsItsChecksum() {
    Accepted ok = Records.accepted(1, 50);
    Done torn = new Done(Records.id(2), 2);
    writeRaw(List.of(ok), torn, 1, 3);
    List<JournalEntry> all = reopenAndRead();
    assertEquals(2, all.size());
    assertEquals(ok, all.get(0).record());
    assertTrue(all.get(1).corrupt().contains("checksum") || all.get(1).corrupt().contains("short"),
        all.get(1).corrupt());
  }

  @Test
  void orphanChunkIsReportedAndFollowingRecordsStillRead() {
    Accepted torn = Records.accepted(2, 450);
    writeRaw(List.of(), torn, 2, 0);
    try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).build();
        ExcerptAppender app = q.createAppender()) {
      RecordCodec codec = new RecordCodec(CHUNK);
      codec.encode(new Done(Records.id(3), 3), (buf, off, len) -> write(app, buf, off, len));
    }
    List<JournalEntry> all = reopenAndRead();
    assertTrue(all.get(0).isCorrupt());
    assertEquals(new Done(Records.id(3), 3), all.get(all.size() - 1).record());
  }
}
