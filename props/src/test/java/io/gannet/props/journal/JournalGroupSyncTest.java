package io.gannet.props.journal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.Records;
import io.gannet.journal.SyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code journal_sync = group} must mean what DESIGN.md promises: when an append completes, its
 * bytes are on stable storage, not only in the page cache.
 *
 * <p>Observed without a power cut: after {@code msync(MS_SYNC)} the kernel has written the
 * mapping's pages back and marked them clean, so {@code /proc/self/smaps} shows (almost) no dirty
 * memory in the cycle file's mapping; the header and index pages in front of the synced range may
 * stay dirty, a few KiB. The journal calls Chronicle's {@code appender.sync()}, which msyncs with
 * the queue's {@code syncMode}; unset, that is {@code MappedFile.DEFAULT_SYNC_MODE}, i.e. {@code
 * ASYNC} ({@code MS_ASYNC}: schedule write-back, wait for nothing; on Linux it does nothing at
 * all). Then the records are all dirty memory when their stages complete, and a power loss loses
 * acknowledged mail.
 *
 * <p>Linux only (reads {@code /proc/self/smaps}); the journal is put under {@code target/}, on the
 * build's disk, not on a tmpfs {@code /tmp} where nothing is ever written back.
 */
class JournalGroupSyncTest {

  private static final Path SMAPS = Path.of("/proc/self/smaps");

  private Path dir;

  @AfterEach
  void deleteJournal() {
    JournalFixture.deleteTree(dir);
  }

  @Test
  void aCompletedGroupAppendLeavesNoneOfItsBytesDirtyInThePageCache() throws Exception {
    assumeTrue(Files.isReadable(SMAPS), "needs Linux /proc/self/smaps");
    dir = JournalFixture.tempDirectory(); // under target/: on the build's disk
    Path journalDir = dir.resolve("journal").toAbsolutePath();
    try (ChronicleJournal journal =
        ChronicleJournal.open(journalDir, JournalOptions.defaults().withSync(SyncMode.GROUP))) {
      for (int i = 0; i < 16; i++) { // 4 MiB in all
        journal
            .append(Records.accepted(i, 256 * 1024))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      }
      long dirtyKib = dirtyKibOfMappings(journalDir, ".cq4");
      assertTrue(
          dirtyKib < 256,
          dirtyKib
              + " KiB of the cycle file are still dirty in the page cache after 4 MiB of "
              + "group-synced appends completed: they were not written to disk");
    }
  }

  /**
   * Shared_Dirty + Private_Dirty of every mapping of a file under {@code dir} ending in {@code
   * suffix}.
   */
  static long dirtyKibOfMappings(Path dir, String suffix) throws IOException {
    List<String> lines = Files.readAllLines(SMAPS);
    long kib = 0;
    boolean ours = false;
    for (String line : lines) {
      if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
        String[] f = line.trim().split("\\s+", 6);
        ours = f.length == 6 && f[5].startsWith(dir.toString()) && f[5].endsWith(suffix);
      } else if (ours && (line.startsWith("Shared_Dirty:") || line.startsWith("Private_Dirty:"))) {
        kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return kib;
  }
}
