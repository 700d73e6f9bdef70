package io.gannet.props.journal;

import static io.gannet.props.journal.JournalFixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.Records;
import io.gannet.props.journal.CycleFileLayout.Frame;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The smallest case {@link JournalCrashTailProperties} finds, kept as a plain test.
 *
 * <p>A power loss after the cycle file's header page (Chronicle's {@code writePosition}) reached
 * the disk but before the page holding the last frame did: the header points at a frame whose bytes
 * are zeros. On restart within the same roll cycle, Chronicle's appender starts from {@code
 * writePosition}, reads a zero header there, and writes the next frame 4 bytes after it. Readers
 * stop at the zero header: every later append completes (the client got its 250) and is never read,
 * by a tailer in the same process or after a restart. With {@code -ea} Chronicle's {@code assert
 * header != 0} in {@code StoreAppender.writeHeader} fails instead and every append fails.
 *
 * <p>A repair that only makes the hole skippable (a metadata header over it) passes the first test
 * and fails the second: Chronicle numbers the next append after the frames it last wrote, readers
 * number the frames they can see, and when several frames were lost the two differ.
 *
 * <p>The journal's read-write open now finds such a tail and rebuilds the cycle file from its
 * readable frames at their indexes, keeping the damaged file as {@code <file>.torn-<millis>}
 * ({@code io.gannet.journal.TornTailRepair}).
 */

class JournalPowerLossTest {

  private final Path dir = JournalFixture.tempDirectory();

  @AfterEach
  void deleteJournal() {
    JournalFixture.deleteTree(dir);
  }

  @Test
  void appendsAfterARestartOnATornLastFrameAreRead() throws Exception {
    Path journalDir = dir.resolve("journal");
    TestClock clock = new TestClock(JournalReplayProperties.START_MILLIS);
    JournalOptions options =
        JournalOptions.defaults().withRollCycle(RollCycles.FIVE_MINUTELY).withClock(clock);
    List<JournalEntry> written = new ArrayList<>();
    try (ChronicleJournal journal = ChronicleJournal.open(journalDir, options)) {
      for (int i = 0; i < 3; i++) {
        Done r = new Done(Records.id(i), i);
        written.add(JournalEntry.of(journal.append(r).toCompletableFuture().get(), r));
      }
    }
    Frame last = CycleFileLayout.read(journalDir, RollCycles.FIVE_MINUTELY).last();
    try (RandomAccessFile file = new RandomAccessFile(last.file(), "rw")) {
      file.seek(last.headerPosition()); // the last frame never reached the disk
      file.write(new byte[(int) (last.end() - last.headerPosition())]);
    }

    try (ChronicleJournal journal = ChronicleJournal.open(journalDir, options)) {
      assertEquals(written.subList(0, 2), readAll(journal), "what survived the power loss");
      Done after = new Done(Records.id(99), 99);
      long index = journal.append(after).toCompletableFuture().get(30, TimeUnit.SECONDS);

      List<JournalEntry> expected = new ArrayList<>(written.subList(0, 2));
      expected.add(JournalEntry.of(index, after));
      assertEquals(expected, readAll(journal), "an append that completed must be read");
    }
  }

  /**
   * The same with several frames lost: the chunks of a large message. Whatever the repair, the
   * index an append completes with must be the index readers find it at (the scheduler seeks to it,
   * the projection checkpoints it).
   */
  @Test
  void appendsAfterSeveralTornFramesAreReadAtTheIndexTheirAppendCompletedWith() throws Exception {
    Path journalDir = dir.resolve("journal");
    TestClock clock = new TestClock(JournalReplayProperties.START_MILLIS);
    JournalOptions options =
        JournalOptions.defaults()
            .withRollCycle(RollCycles.FIVE_MINUTELY)
            .withClock(clock)
            .withChunkSize(16);
    Done first = new Done(Records.id(1), 1);
    long firstIndex;
    try (ChronicleJournal journal = ChronicleJournal.open(journalDir, options)) {
      firstIndex = journal.append(first).toCompletableFuture().get();
      journal.append(Records.accepted(2, 64)).toCompletableFuture().get(); // 4 frames
    }
    List<Frame> frames = CycleFileLayout.read(journalDir, RollCycles.FIVE_MINUTELY).frames();
    Frame firstChunk = frames.get(2);
    Frame last = frames.get(frames.size() - 1);
    try (RandomAccessFile file = new RandomAccessFile(last.file(), "rw")) {
      file.seek(firstChunk.headerPosition()); // the chunks never reached the disk
      file.write(new byte[(int) (last.end() - firstChunk.headerPosition())]);
    }

    try (ChronicleJournal journal = ChronicleJournal.open(journalDir, options)) {
      Done after = new Done(Records.id(99), 99);
      long index = journal.append(after).toCompletableFuture().get(30, TimeUnit.SECONDS);
      List<JournalEntry> read = readAll(journal);
      assertEquals(JournalEntry.of(firstIndex, first), read.get(0), "the intact record");
      assertEquals(
          JournalEntry.of(index, after),
          read.get(read.size() - 1),
          "the append read last, at the index it completed with");
    }
  }
}
