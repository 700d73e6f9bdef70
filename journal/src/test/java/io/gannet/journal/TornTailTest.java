package io.gannet.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Done;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a crash in the middle of a write leaves behind, written by hand with a raw Chronicle
 * appender: the frames before the crash are intact, the torn record is reported as corrupt (never
 * returned as a record), and the journal goes on accepting appends after it.
 *
 * <p>And what a power loss leaves (pages of the mapped cycle file that never reached the disk,
 * made here by overwriting a closed journal's bytes): the open rebuilds the cycle file from its
 * readable frames at their indexes, keeps the damaged file as {@code <file>.torn-<millis>}, logs
 * one warning, and every later append is read at the index it completed with.
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
  // ------------------------------------------------------------------------------------------
  // Power loss: the open repairs the last cycle file
  // ------------------------------------------------------------------------------------------

  private static final long START = 1_704_067_200_000L; // 2024-01-01T00:00:00Z

  private final MutableClock clock = new MutableClock(START);

  private JournalOptions options() {
    return JournalOptions.defaults().withChunkSize(CHUNK).withClock(clock);
  }

  /** One Chronicle frame of a closed journal: its index and where its bytes lie in its file. */
  private record Frame(long index, File file, long header, long end) {}

  /** The frames of the closed journal in {@link #dir}, read with a read-only Chronicle tailer. */
  private List<Frame> frames() {
    List<Frame> out = new ArrayList<>();
    try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).readOnly(true).build();
        ExcerptTailer t = q.createTailer()) {
      while (true) {
        try (DocumentContext dc = t.readingDocument()) {
          if (!dc.isPresent()) {
            return out;
          }
          long start = dc.wire().bytes().readPosition();
          out.add(new Frame(dc.index(), t.currentFile(), start - 4, dc.wire().bytes().readLimit()));
        }
      }
    }
  }

  private static Frame frameAt(List<Frame> frames, long index) {
    return frames.stream().filter(f -> f.index() == index).findFirst().orElseThrow();
  }

  /** Overwrites {@code [from, to)} of {@code file} with zeros: pages lost in a power loss. */
  private static void zero(File file, long from, long to) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
      raf.seek(from);
      raf.write(new byte[(int) (to - from)]);
    }
  }

  private static void writeIntLittleEndian(File file, long pos, int value) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
      raf.seek(pos);
      raf.write(new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16),
          (byte) (value >>> 24)});
    }
  }

  /** Files the repair set aside in the journal directory. */
  private List<Path> tornAside() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().contains(".torn-")).sorted().toList();
    }
  }

  /** Opens the journal read-write; adds to {@code log} the lines it logged about a torn tail. */
  private ChronicleJournal openLogging(List<String> log) {
    return openLogging(options(), log);
  }

  private ChronicleJournal openLogging(JournalOptions options, List<String> log) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return ChronicleJournal.open(dir, options);
    } finally {
      System.setErr(saved);
      String text = err.toString(StandardCharsets.UTF_8);
      System.err.print(text);
      text.lines().filter(l -> l.contains("torn tail")).forEach(log::add);
    }
  }

  private static long append(Journal j, JournalRecord r) {
    return j.append(r).toCompletableFuture().join();
  }

  @Test
  void powerLossInTheMiddleOfAChunkedAcceptedIsRepairedAndLaterAppendsAreRead() throws Exception {
    Done first = new Done(Records.id(1), 1);
    Accepted whole = Records.accepted(2, 250);
    Accepted torn = Records.accepted(3, 450); // 1 + 4 chunk frames
    long[] idx = new long[3];
    try (ChronicleJournal j = ChronicleJournal.open(dir, options())) {
      idx[0] = append(j, first);
      idx[1] = append(j, whole);
      idx[2] = append(j, torn);
    }
    List<Frame> frames = frames();
    Frame cut = frameAt(frames, idx[2] + 2); // its second chunk and all after it never hit the disk
    zero(cut.file(), cut.header(), frames.get(frames.size() - 1).end());

    List<String> log = new ArrayList<>();
    List<JournalEntry> expected = new ArrayList<>();
    try (ChronicleJournal j = openLogging(log)) {
      assertEquals(List.of(JournalEntry.of(idx[0], first), JournalEntry.of(idx[1], whole)),
          ChronicleJournalTest.readAll(j), "what survived the power loss");
      Done d4 = new Done(Records.id(4), 4);
      Accepted a5 = Records.accepted(5, 450);
      Done d6 = new Done(Records.id(6), 6);
      long i4 = append(j, d4);
      long i5 = append(j, a5);
      long i6 = append(j, d6);
      assertEquals(idx[2] + 2, i4, "the first append takes the index of the first frame lost");

      List<JournalEntry> all = ChronicleJournalTest.readAll(j);
      assertEquals(6, all.size(), all.toString());
      assertEquals(List.of(JournalEntry.of(idx[0], first), JournalEntry.of(idx[1], whole)),
          all.subList(0, 2));
      assertEquals(idx[2], all.get(2).index());
      assertTrue(all.get(2).corrupt().contains("incomplete Accepted"), all.get(2).toString());
      assertEquals(List.of(JournalEntry.of(i4, d4), JournalEntry.of(i5, a5),
          JournalEntry.of(i6, d6)), all.subList(3, 6), "every append after the repair is read");
      expected.addAll(all);
    }

    assertEquals(1, log.size(), "one warning: " + log);
    String line = log.get(0);
    assertTrue(line.contains("WARN"), line);
    assertTrue(line.contains(cut.file().getName()), line);
    assertTrue(line.contains("at byte " + cut.header()), line);
    assertTrue(line.contains("index " + (idx[2] + 2)), line);

    List<Path> aside = tornAside();
    assertEquals(List.of(dir.resolve(cut.file().getName() + ".torn-" + START)), aside);
    try (RandomAccessFile raf = new RandomAccessFile(aside.get(0).toFile(), "r")) {
      raf.seek(cut.header() - 4);
      assertNotEquals(0, raf.readInt(), "the damaged file keeps its frames");
    }
    assertFalse(Files.exists(dir.resolve("torn-rebuild.tmp")));

    List<String> again = new ArrayList<>();
    try (ChronicleJournal j = openLogging(again)) {
      assertEquals(expected, ChronicleJournalTest.readAll(j), "after another restart");
    }
    assertEquals(List.of(), again, "a clean open repairs nothing");
    assertEquals(1, tornAside().size());
  }

  /**
   * A group commit's pages reach the disk in any order: one frame of the batch being synced when
   * the power went is lost, the frames after it are not. None of them was acknowledged.
   */
  @Test
  void framesAfterAHoleAreCutAtTheHole() throws Exception {
    List<JournalEntry> written = new ArrayList<>();
    try (ChronicleJournal j = ChronicleJournal.open(dir, options())) {
      for (int i = 0; i < 2; i++) {
        Done r = new Done(Records.id(i), i);
        written.add(JournalEntry.of(append(j, r), r)); // synced
      }
    }
    List<Long> unsynced = new ArrayList<>();
    try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(options().rollCycle()).timeProvider(clock::millis).build();
        ExcerptAppender app = q.createAppender()) {
      RecordCodec codec = new RecordCodec(CHUNK);
      for (int i = 2; i < 5; i++) { // the batch whose sync never completed
        codec.encode(new Done(Records.id(i), i), (buf, off, len) -> write(app, buf, off, len));
        unsynced.add(app.lastIndexAppended());
      }
    }
    Frame hole = frameAt(frames(), unsynced.get(0));
    zero(hole.file(), hole.header(), hole.end());

    List<String> log = new ArrayList<>();
    try (ChronicleJournal j = openLogging(log)) {
      assertEquals(written, ChronicleJournalTest.readAll(j));
      Done after = new Done(Records.id(99), 99);
      long index = append(j, after);
      assertEquals(unsynced.get(0), index);
      List<JournalEntry> expected = new ArrayList<>(written);
      expected.add(JournalEntry.of(index, after));
      assertEquals(expected, ChronicleJournalTest.readAll(j));
    }
    assertEquals(1, log.size(), log.toString());
    assertTrue(log.get(0).contains("at byte " + hole.header()), log.get(0));
    assertEquals(1, tornAside().size());
  }

  @Test
  void dataPastTheLastFrameIsAHole() throws Exception {
    List<JournalEntry> written = new ArrayList<>();
    try (ChronicleJournal j = ChronicleJournal.open(dir, options())) {
      for (int i = 0; i < 2; i++) {
        Done r = new Done(Records.id(i), i);
        written.add(JournalEntry.of(append(j, r), r));
      }
    }
    Frame last = frameAt(frames(), written.get(1).index());
    // a later page reached the disk, the one with the frames between never did
    writeIntLittleEndian(last.file(), last.end() + 4096, 0x12345678);

    List<String> log = new ArrayList<>();
    try (ChronicleJournal j = openLogging(log)) {
      Done after = new Done(Records.id(99), 99);
      long index = append(j, after);
      List<JournalEntry> expected = new ArrayList<>(written);
      expected.add(JournalEntry.of(index, after));
      assertEquals(expected, ChronicleJournalTest.readAll(j));
    }
    assertEquals(1, log.size(), log.toString());
    assertTrue(log.get(0).contains("after the last readable frame"), log.get(0));
  }

  @Test
  void incompleteLastHeaderIsRepairedWithoutWaiting() throws Exception {
    List<JournalEntry> written = new ArrayList<>();
    try (ChronicleJournal j = ChronicleJournal.open(dir, options())) {
      for (int i = 0; i < 3; i++) {
        Done r = new Done(Records.id(i), i);
        written.add(JournalEntry.of(append(j, r), r));
      }
    }
    Frame last = frameAt(frames(), written.get(2).index());
    int length = (int) (last.end() - last.header() - 4);
    writeIntLittleEndian(last.file(), last.header(), 0x8000_0000 | length); // never completed

    List<String> log = new ArrayList<>();
    long t0 = System.nanoTime();
    try (ChronicleJournal j = openLogging(log)) {
      Done after = new Done(Records.id(99), 99);
      long index = append(j, after);
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "no wait for Chronicle's timeout");
      List<JournalEntry> expected = new ArrayList<>(written.subList(0, 2));
      expected.add(JournalEntry.of(index, after));
      assertEquals(expected, ChronicleJournalTest.readAll(j));
    }
    assertEquals(1, log.size(), log.toString());
    assertTrue(log.get(0).contains("incomplete frame header"), log.get(0));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void lastCycleFileWhoseHeaderNeverReachedTheDiskIsRebuiltEmpty(boolean truncated)
      throws Exception {
    Done first = new Done(Records.id(1), 1);
    long firstIndex;
    File newCycle;
    try (ChronicleJournal j = ChronicleJournal.open(dir, options())) {
      firstIndex = append(j, first);
      clock.advance(Duration.ofHours(1));
      newCycle = j.fileOfCycle(j.cycleOf(append(j, new Done(Records.id(2), 2))));
    }
    try (RandomAccessFile raf = new RandomAccessFile(newCycle, "rw")) {
      if (truncated) {
        raf.setLength(0); // created, never written back
      } else {
        raf.write(new byte[256 << 10]); // grown, its pages never written back
      }
    }

    List<String> log = new ArrayList<>();
    long t0 = System.nanoTime();
    try (ChronicleJournal j = openLogging(log)) {
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "no wait for Chronicle's timeout");
      assertEquals(List.of(JournalEntry.of(firstIndex, first)), ChronicleJournalTest.readAll(j));
      Done after = new Done(Records.id(99), 99);
      long index = append(j, after);
      assertEquals(List.of(JournalEntry.of(firstIndex, first), JournalEntry.of(index, after)),
          ChronicleJournalTest.readAll(j));
    }
    assertEquals(1, log.size(), log.toString());
    assertTrue(log.get(0).contains("header never reached the disk"), log.get(0));
    assertEquals(List.of(dir.resolve(newCycle.getName() + ".torn-" + clock.millis())), tornAside());
  }

  /**
   * Chronicle writes a cycle's end-of-file marker when appends move to the next cycle, after the
   * writer synced the old cycle; a power loss can lose it while the next cycle's records are on
   * disk. Readers must still cross into the next cycle before anything new is appended.
   */
  @Test
  void endOfFileMarkerLostInThePreviousCycleIsWrittenAtOpen() throws Exception {
    List<JournalEntry> written = new ArrayList<>();
    try (ChronicleJournal j = ChronicleJournal.open(dir, options())) {
      Done r = new Done(Records.id(1), 1);
      written.add(JournalEntry.of(append(j, r), r));
      clock.advance(Duration.ofHours(1));
      r = new Done(Records.id(2), 2);
      written.add(JournalEntry.of(append(j, r), r));
    }
    Frame lastOfOld = frameAt(frames(), written.get(0).index());
    long eof = (lastOfOld.end() + 3) & ~3L;
    try (RandomAccessFile raf = new RandomAccessFile(lastOfOld.file(), "rw")) {
      raf.seek(eof);
      assertEquals(0xC0000000, Integer.reverseBytes(raf.readInt()), "the end-of-file marker");
      raf.seek(eof);
      raf.writeInt(0);
    }

    List<String> log = new ArrayList<>();
    try (ChronicleJournal j = openLogging(log)) {
      assertEquals(written, ChronicleJournalTest.readAll(j), "read before any append");
    }
    assertEquals(List.of(), log);
    assertEquals(List.of(), tornAside());
  }

  @ParameterizedTest
  @EnumSource(SyncMode.class)
  void cleanRestartsRepairNothing(SyncMode sync) throws Exception {
    List<JournalEntry> written = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      List<String> log = new ArrayList<>();
      try (ChronicleJournal j = openLogging(options().withSync(sync), log)) {
        assertEquals(written, ChronicleJournalTest.readAll(j));
        for (int i = 0; i < 3; i++) {
          JournalRecord r = i == 1 ? Records.accepted(round * 10 + i, 450)
              : new Done(Records.id(round * 10 + i), i);
          written.add(JournalEntry.of(append(j, r), r));
        }
      }
      assertEquals(List.of(), log);
      if (round == 1) {
        clock.advance(Duration.ofHours(1)); // the last round writes a new cycle file
      }
    }
    try (ChronicleJournal j = ChronicleJournal.open(dir, options().withReadOnly(true))) {
      assertEquals(written, ChronicleJournalTest.readAll(j));
      assertEquals(2, j.cycles().size());
    }
    assertEquals(List.of(), tornAside());
  }
}
