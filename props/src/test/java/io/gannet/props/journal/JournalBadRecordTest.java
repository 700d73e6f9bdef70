package io.gannet.props.journal;

import static io.gannet.props.journal.JournalFixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.JournalRecord.NoticeQueued;
import io.gannet.journal.Records;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One record the codec cannot write must cost its own append, not the journal (or, better, be
 * refused when it is constructed).
 *
 * <p>{@code NoticeQueued} accepts any integers as recipient indexes; the encoder refuses a negative
 * one ({@code IllegalArgumentException: negative varint}) on the writer thread, which takes any
 * failure there for an I/O failure: it marks the journal failed and refuses every later append, so
 * one bad record from one caller turns every later {@code 250} into a {@code 451} until restart.
 * The same holds for {@code Moved} with negative attempts, notices or pending indexes (see {@code
 * RecordDomainProperties}).
 */
class JournalBadRecordTest {

  private final Path dir = JournalFixture.tempDirectory();

  @AfterEach
  void deleteJournal() {
    JournalFixture.deleteTree(dir);
  }

  @Test
  void aRecordTheEncoderRefusesFailsAloneAndLaterAppendsGoOn() throws Exception {
    try (ChronicleJournal journal =
        ChronicleJournal.open(dir.resolve("journal"), JournalOptions.defaults())) {
      NoticeQueued bad;
      try {
        bad = new NoticeQueued(Records.id(1), 1, NoticeKind.BOUNCE, Records.id(2), List.of(-1));
      } catch (IllegalArgumentException refused) {
        bad = null; // refused at construction: it can never reach the journal
      }
      if (bad != null) {
        NoticeQueued append = bad;
        assertThrows(
            ExecutionException.class,
            () -> journal.append(append).toCompletableFuture().get(30, TimeUnit.SECONDS));
      }

      Done good = new Done(Records.id(3), 3);
      long index = journal.append(good).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(List.of(JournalEntry.of(index, good)), readAll(journal));
    }
  }
}
