package io.gannet.props.journal;

import static io.gannet.props.journal.JournalFixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.Records;
import io.gannet.journal.SyncMode;
import io.gannet.props.journal.CycleFileLayout.Frame;
import io.gannet.props.journal.JournalReplayProperties.Run;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * A crash tears the end of the journal: the last cycle file is cut short, or its last bytes were
 * never written (zeros, as a sparse pre-allocated file reads after a power loss). After restart:
 *
 * <ol>
 *   <li>every entry read is either exactly one of the written records at its original index, or is
 *       marked corrupt;
 *   <li>the records read (corrupt entries aside) are a prefix of what was written, in order, and
 *       that prefix holds at least every record whose frames all lie before the damage: nothing
 *       written wholly before the damage is lost;
 *   <li>the journal opens for appending, new appends complete, and every reader sees them after the
 *       old records, also after another reopen; whether the restart comes within the damaged file's
 *       roll cycle (appends go on in that file) or after it (they go to a new file).
 * </ol>
 *
 * <p>The damage starts anywhere from the first frame of the last cycle file to the end of its data,
 * with cuts inside frame headers and exactly at frame boundaries favoured. Where the data lies is
 * learnt from Chronicle itself ({@link CycleFileLayout}).
 */
@PropertyDefaults(tries = 40, edgeCases = EdgeCasesMode.NONE)
class JournalCrashTailProperties {

  static final RollCycle ROLL_CYCLE = RollCycles.FIVE_MINUTELY;

  /** How the tail is damaged. */
  enum Kind {
    /** The file is cut at the offset (ftruncate). */
    TRUNCATE,
    /** Bytes from the offset to the end of the data are zero; the file keeps its length. */
    ZERO_TAIL
  }

  /**
   * Where the damage starts: frame {@code frame} (modulo the frames of the last file), at {@code
   * offset} bytes (modulo the frame's length, header included) from its header.
   */
  record Damage(Kind kind, int frame, int offset, boolean restartInLaterCycle) {}

  @Provide
  Arbitrary<Run> runs() {
    return new JournalReplayProperties().runs();
  }

  @Provide
  Arbitrary<Damage> damages() {
    Arbitrary<Integer> anywhere =
        Arbitraries.integers()
            .between(0, Integer.MAX_VALUE)
            .withDistribution(RandomDistribution.uniform());
    Arbitrary<Integer> inHeader = Arbitraries.integers().between(0, 4);
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.oneOf(anywhere, inHeader),
            Arbitraries.of(false, true))
        .as(Damage::new);
  }

  @Property
  void aTornTailLosesNothingWrittenBeforeItAndTheJournalGoesOn(
      @ForAll("runs") Run run, @ForAll("damages") Damage damage) throws Exception {
    Path dir = JournalFixture.tempDirectory();
    try {
      TestClock clock = new TestClock(JournalReplayProperties.START_MILLIS);
      JournalOptions options =
          JournalOptions.defaults()
              .withSync(SyncMode.GROUP)
              .withRollCycle(ROLL_CYCLE)
              .withClock(clock)
              .withChunkSize(run.chunkSize());
      Path journalDir = dir.resolve("journal");
      List<JournalEntry> written;
      try (ChronicleJournal journal = ChronicleJournal.open(journalDir, options)) {
        written = JournalReplayProperties.appendAll(journal, run.steps(), clock);
      }

      CycleFileLayout layout = CycleFileLayout.read(journalDir, ROLL_CYCLE);
      List<Frame> lastFile = layout.framesOfLastFile();
      long nonZeroEnd = CycleFileLayout.endOfNonZeroData(layout.last().file());
      // Nothing after the last frame. (Its own last bytes may be zeros: a checksum or content
      // ending in zero bytes, so the data can end a little before the frame does.)
      assertTrue(align4(nonZeroEnd) <= align4(layout.last().end()),
          "no data after the last frame: " + nonZeroEnd + " > " + layout.last().end());
      long dataEnd = Math.max(nonZeroEnd, layout.last().end());

      Frame hit = lastFile.get(damage.frame() % lastFile.size());
      long span = hit.end() - hit.headerPosition();
      long cut = hit.headerPosition() + damage.offset() % (span + 1);
      applyDamage(damage.kind(), hit.file().toPath(), cut, dataEnd);
      int intact = recordsBefore(written, layout, hit.file(), cut);
      Statistics.label("damage")
          .collect(
              damage.kind(),
              cut == hit.headerPosition()
                  ? "at a frame"
                  : cut < hit.headerPosition() + 4 ? "in a header" : "in a payload");
      Statistics.label("records lost").collect(written.size() - intact);

      List<JournalEntry> afterCrash;
      List<JournalEntry> appended = new ArrayList<>();
      try (ChronicleJournal reopened = ChronicleJournal.open(journalDir, options)) {
        afterCrash = readAll(reopened);
        assertOnlyWrittenOrCorrupt(written, afterCrash);
        int prefix = assertPrefix(written, afterCrash);
        assertTrue(
            prefix >= intact,
            "only "
                + prefix
                + " records read back, but "
                + intact
                + " were written wholly before the damage at byte "
                + cut);

        if (damage.restartInLaterCycle()) {
          clock.advance(JournalReplayProperties.FIVE_MINUTES); // the restart took a while
        }
        for (int i = 0; i < 3; i++) {
          JournalRecord r = new JournalRecord.Done(Records.id(10_000 + i), clock.millis());
          long index = reopened.append(r).toCompletableFuture().get(30, TimeUnit.SECONDS);
          appended.add(JournalEntry.of(index, r));
        }
        assertNewAppendsFollow(afterCrash, appended, readAll(reopened));
      }
      try (ChronicleJournal again = ChronicleJournal.open(journalDir, options)) {
        List<JournalEntry> all = readAll(again);
        assertOnlyWrittenOrCorrupt(concat(written, appended), all);
        assertNewAppendsFollow(afterCrash, appended, all);
      }
    } finally {
      JournalFixture.deleteTree(dir);
    }
  }

  private static void applyDamage(Kind kind, Path file, long cut, long dataEnd) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      if (kind == Kind.TRUNCATE) {
        raf.setLength(cut);
      } else {
        raf.seek(cut);
        raf.write(new byte[(int) Math.max(0, dataEnd - cut)]);
      }
    }
  }

  /** How many records, from the first, have every frame before {@code cut} (or in older files). */
  private static int recordsBefore(
      List<JournalEntry> written, CycleFileLayout layout, java.io.File lastFile, long cut) {
    int n = 0;
    for (int i = 0; i < written.size(); i++) {
      long first = written.get(i).index();
      long next = i + 1 < written.size() ? written.get(i + 1).index() : Long.MAX_VALUE;
      boolean whole = true;
      for (Frame f : layout.frames()) {
        if (f.index() >= first && f.index() < next && f.file().equals(lastFile) && f.end() > cut) {
          whole = false;
        }
      }
      if (!whole) {
        break;
      }
      n++;
    }
    return n;
  }

  private static void assertOnlyWrittenOrCorrupt(
      List<JournalEntry> written, List<JournalEntry> read) {
    Map<Long, JournalRecord> byIndex = new HashMap<>();
    for (JournalEntry e : written) {
      byIndex.put(e.index(), e.record());
    }
    for (JournalEntry e : read) {
      if (e.isCorrupt()) {
        continue;
      }
      JournalRecord original = byIndex.get(e.index());
      if (original == null) {
        fail(
            "read a record at index "
                + Long.toHexString(e.index())
                + " where none was written: "
                + e.record());
      }
      assertEquals(original, e.record(), "record at index " + Long.toHexString(e.index()));
    }
  }

  /** The records read, corrupt entries aside, are the first n written; returns n. */
  private static int assertPrefix(List<JournalEntry> written, List<JournalEntry> read) {
    List<JournalEntry> good = read.stream().filter(e -> !e.isCorrupt()).toList();
    assertTrue(good.size() <= written.size(), "more records read than written");
    assertEquals(
        written.subList(0, good.size()), good, "records read are a prefix of those written");
    return good.size();
  }

  private static void assertNewAppendsFollow(
      List<JournalEntry> before, List<JournalEntry> appended, List<JournalEntry> all) {
    long lastOld = before.isEmpty() ? -1 : before.get(before.size() - 1).index();
    for (JournalEntry e : appended) {
      assertTrue(
          e.index() > lastOld,
          "new append at "
              + Long.toHexString(e.index())
              + " not after the old end "
              + Long.toHexString(lastOld));
    }
    for (JournalEntry e : appended) {
      if (all.contains(e)) {
        continue;
      }
      List<Long> elsewhere =
          all.stream().filter(r -> e.record().equals(r.record())).map(JournalEntry::index).toList();
      fail(
          elsewhere.isEmpty()
              ? "append completed (durable, the client got its 250) at index "
                  + Long.toHexString(e.index())
                  + " but no reader sees it; read: "
                  + all
              : "append completed at index "
                  + Long.toHexString(e.index())
                  + " but readers see it at "
                  + elsewhere.stream().map(Long::toHexString).toList()
                  + ": a seek or a checkpoint by index finds another record; read: "
                  + all);
    }
    List<JournalEntry> tail = all.subList(Math.max(0, all.size() - appended.size()), all.size());
    assertEquals(appended, tail, "the new appends are the last entries read");
    List<JournalEntry> head = all.subList(0, all.size() - appended.size());
    List<JournalEntry> beforeGood = before.stream().filter(e -> !e.isCorrupt()).toList();
    assertEquals(
        beforeGood,
        head.stream().filter(e -> !e.isCorrupt()).toList(),
        "the old records are still read before the new ones");
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static long align4(long n) {
    return (n + 3) & ~3L;
  }
}
