package io.gannet.props.journal;

import static io.gannet.props.journal.JournalFixture.readAll;
import static io.gannet.props.journal.JournalFixture.readRest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.Records;
import io.gannet.journal.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.openhft.chronicle.queue.RollCycles;

/**
 * Replay determinism of {@link ChronicleJournal}: what the append stages completed with is what
 * every later reader sees, in the same order at the same indexes, in the same process and after
 * close and reopen (read-write and read-only).
 *
 * <p>A run is a random sequence of appends of every record type (some with content split into chunk
 * frames) and clock steps that cross five-minute roll cycles, so a replay spans several cycle
 * files. Some appends are awaited before the next (one record per group commit), the others are not
 * (many records per commit), as concurrent smtpd sessions would give.
 *
 * <p>Each try opens a real journal (group sync) in a temporary directory deleted at its end; tries
 * are few because each costs an open, syncs and two reopens.
 */
@PropertyDefaults(tries = 40, edgeCases = EdgeCasesMode.NONE)
class JournalReplayProperties {

  /** 2024-01-01T00:00:00Z: any start works; a fixed one makes failures reproducible. */
  static final long START_MILLIS = 1_704_067_200_000L;

  static final long FIVE_MINUTES = 5 * 60_000L;

  /** One step of a run. */
  sealed interface Step permits Append, Tick {}

  /** Append a record; with {@code await}, wait until it is durable before the next step. */
  record Append(JournalRecord record, boolean await) implements Step {}

  /** Move the journal's clock forward. */
  record Tick(long millis) implements Step {}

  /** A chunk size and the steps run with it. */
  record Run(int chunkSize, List<Step> steps) {}

  @Provide
  Arbitrary<Run> runs() {
    return Arbitraries.integers()
        .between(8, 256)
        .flatMap(
            chunk ->
                steps(chunk)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(30)
                    .withSizeDistribution(RandomDistribution.uniform())
                    .map(s -> new Run(chunk, s)));
  }

  static Arbitrary<Step> steps(int chunkSize) {
    Arbitrary<Step> append =
        JournalArbitraries.records(chunkSize, 3 * chunkSize)
            .flatMap(r -> Arbitraries.of(true, false).map(await -> new Append(r, await)));
    Arbitrary<Step> tick =
        Arbitraries.longs()
            .between(1, 3 * FIVE_MINUTES)
            .withDistribution(RandomDistribution.uniform())
            .map(Tick::new);
    return Arbitraries.frequencyOf(Tuple.of(8, append), Tuple.of(1, tick));
  }

  @Property
  void everyReplayReturnsWhatTheAppendsCompletedWith(@ForAll("runs") Run run) throws Exception {
    Path dir = JournalFixture.tempDirectory();
    try {
      TestClock clock = new TestClock(START_MILLIS);
      JournalOptions options =
          JournalOptions.defaults()
              .withSync(SyncMode.GROUP)
              .withRollCycle(RollCycles.FIVE_MINUTELY)
              .withClock(clock)
              .withChunkSize(run.chunkSize());
      Path journalDir = dir.resolve("journal");
      List<JournalEntry> expected;
      try (ChronicleJournal journal = ChronicleJournal.open(journalDir, options)) {
        // opened before the first append: it must follow the journal as it grows.
        try (JournalReader live = journal.reader()) {
          expected = appendAll(journal, run.steps(), clock);
          Statistics.label("cycles").collect(journal.cycles().size());

          assertIndexesIncrease(expected);
          assertLastIndexCovers(expected, journal.lastIndex());
          assertEquals(expected, readAll(journal), "replay in the writing process");
          assertEquals(expected, readRest(live), "reader opened before the appends");

          int from = expected.size() / 2;
          assertTrue(live.seek(expected.get(from).index()), "seek to a record's index");
          assertEquals(expected.subList(from, expected.size()), readRest(live), "replay from");
        }
      }
      try (ChronicleJournal reopened = ChronicleJournal.open(journalDir, options)) {
        assertEquals(expected, readAll(reopened), "replay after close and reopen");
        assertLastIndexCovers(expected, reopened.lastIndex());
      }
      try (ChronicleJournal readOnly =
          ChronicleJournal.open(journalDir, options.withReadOnly(true))) {
        assertEquals(expected, readAll(readOnly), "replay by a read-only tool");
      }
    } finally {
      JournalFixture.deleteTree(dir);
    }
  }

  /**
   * Runs the steps; returns the entries the appends completed with (index from the stage, the
   * record appended), in the order they were appended.
   */
  static List<JournalEntry> appendAll(ChronicleJournal journal, List<Step> steps, TestClock clock)
      throws Exception {
    List<JournalRecord> records = new ArrayList<>();
    List<CompletableFuture<Long>> stages = new ArrayList<>();
    boolean appended = false;
    for (Step step : steps) {
      if (step instanceof Tick t) {
        clock.advance(t.millis());
      } else if (step instanceof Append a) {
        CompletableFuture<Long> stage = journal.append(a.record()).toCompletableFuture();
        records.add(a.record());
        stages.add(stage);
        if (a.await()) {
          stage.get(30, TimeUnit.SECONDS);
        }
        appended = true;
      }
    }
    if (!appended) {
      JournalRecord r = new JournalRecord.Done(Records.id(0), 0);
      records.add(r);
      stages.add(journal.append(r).toCompletableFuture());
    }
    List<JournalEntry> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      out.add(JournalEntry.of(stages.get(i).get(30, TimeUnit.SECONDS), records.get(i)));
    }
    return out;
  }

  /**
   * {@code lastIndex()} is the index of the last frame written: for a record with chunked content
   * that is its last chunk, past the index the record is read at, although {@code Journal}
   * documents it as the index of the last record. What holds either way: it is not before the last
   * record.
   */
  static void assertLastIndexCovers(List<JournalEntry> entries, long lastIndex) {
    long lastRecord = entries.get(entries.size() - 1).index();
    assertTrue(
        lastIndex >= lastRecord,
        "lastIndex "
            + Long.toHexString(lastIndex)
            + " before the last record at "
            + Long.toHexString(lastRecord));
  }

  static void assertIndexesIncrease(List<JournalEntry> entries) {
    for (int i = 1; i < entries.size(); i++) {
      assertTrue(
          entries.get(i).index() > entries.get(i - 1).index(),
          "append "
              + i
              + " completed with index "
              + Long.toHexString(entries.get(i).index())
              + ", not after "
              + Long.toHexString(entries.get(i - 1).index()));
    }
  }
}
