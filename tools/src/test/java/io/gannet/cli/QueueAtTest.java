package io.gannet.cli;

import static io.gannet.showq.QueueFixture.GREYLISTED;
import static io.gannet.showq.QueueFixture.REFUSED;
import static io.gannet.showq.QueueFixture.T0;
import static io.gannet.showq.QueueFixture.accepted;
import static io.gannet.showq.QueueFixture.bounced;
import static io.gannet.showq.QueueFixture.deferred;
import static io.gannet.showq.QueueFixture.delivered;
import static io.gannet.showq.QueueFixture.done;
import static io.gannet.showq.QueueFixture.held;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Deleted;
import io.gannet.journal.JournalRecord.Released;
import io.gannet.journal.JournalRecord.Requeued;
import io.gannet.showq.QueueFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gannet queue --at TIME}: the listing replayed to a past moment equals the listing that
 * was taken at that moment. The queue is built one record at a time; after each, the live listing
 * (projection plus journal tail, as {@code gannet queue} without {@code --at}) is recorded; then
 * every recorded moment is replayed.
 */
class QueueAtTest {

  @TempDir Path dir;

  private Path queueDirectory() {
    return dir.resolve("queue");
  }

  private record Run(int exitCode, String out, String err) {}

  private Run queue(String... args) {
    List<String> all = new ArrayList<>(List.of("-c", dir.toString(), "queue", "--time-zone",
        "UTC"));
    all.addAll(List.of(args));
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private void config() throws IOException {
    Files.writeString(dir.resolve("main.cf"), "queue_directory = " + queueDirectory() + "\n");
    Files.writeString(dir.resolve("master.cf"), "");
  }

  private static final Accepted M1 = accepted(QueueId.of(T0, 1, 9), T0, "a@example.com", 1500,
      "x@example.org", "y@example.net");
  private static final Accepted M2 = accepted(QueueId.of(T0 + 60_000, 2, 9), T0 + 60_000, "",
      300, "postmaster@example.com");
  private static final Accepted M3 = accepted(QueueId.of(T0 + 120_000, 3, 9), T0 + 120_000,
      "b@example.com", 4000, "z@example.org", "w@example.org", "v@example.net");

  /** A history in which every kind of record changes the listing, times increasing. */
  private static List<JournalRecord> history() {
    long m = 60_000;
    return List.of(
        M1,
        deferred(M1, T0 + m / 2, REFUSED, 0, 1),
        M2,
        M3,
        delivered(M3, T0 + 3 * m, 0),
        deferred(M3, T0 + 3 * m + 1, GREYLISTED, 1),
        held(M1, T0 + 4 * m),
        bounced(M3, T0 + 5 * m, 2),
        new Released(M1.queueId(), T0 + 6 * m),
        new Requeued(M3.queueId(), T0 + 7 * m),
        new Deleted(M2.queueId(), T0 + 8 * m, "administrator"),
        done(M2, T0 + 8 * m + 1),
        delivered(M1, T0 + 9 * m, 0, 1),
        done(M1, T0 + 9 * m + 1));
  }

  @Test
  void replayAtEachMomentMatchesTheListingTakenThen() throws IOException {
    config();
    List<JournalRecord> history = history();
    List<String> listings = new ArrayList<>();
    List<String> json = new ArrayList<>();
    try (QueueFixture q = new QueueFixture(queueDirectory())) {
      for (int i = 0; i < history.size(); i++) {
        q.append(history.get(i));
        if (i % 4 == 3) {
          q.project(); // the daemon's projection moves on now and then; the rest is tail
        }
        listings.add(queue().out());
        json.add(queue("--json").out());
      }
    }
    for (int i = 0; i < history.size(); i++) {
      long t = history.get(i).time();
      assertEquals(listings.get(i), queue("--at", Long.toString(t)).out(), "at record " + i);
      assertEquals(json.get(i), queue("--json", "--at", Long.toString(t)).out(), "at " + i);
      if (i + 1 < history.size()) {
        long between = (t + history.get(i + 1).time()) / 2;
        assertEquals(listings.get(i), queue("--at", Long.toString(between)).out(),
            "between records " + i + " and " + (i + 1));
      }
    }
    assertNotEquals(listings.get(5), listings.get(6), "the history changes the listing");
    String last = listings.get(history.size() - 1);
    assertTrue(last.contains(M3.queueId() + " ") && !last.contains(M1.queueId().toString())
        && !last.contains(M2.queueId().toString()), last);
  }

  @Test
  void timeInIso8601AndLocalTimeInTheGivenZone() throws IOException {
    config();
    try (QueueFixture q = new QueueFixture(queueDirectory())) {
      for (JournalRecord r : history()) {
        q.append(r);
      }
    }
    String atFour = queue("--at", Long.toString(T0 + 4 * 60_000)).out();
    assertTrue(atFour.contains(M1.queueId() + "!"), atFour);
    assertEquals(atFour, queue("--at", Instant.ofEpochMilli(T0 + 4 * 60_000).toString()).out());
    assertEquals(atFour, queue("--at", "2026-11-23T18:21:24+01:00").out());
    assertEquals(atFour, queue("--at", "2026-11-23T17:21:24").out(), "in --time-zone UTC");
  }

  @Test
  void recordsWrittenAfterALaterStampAreNotYetThere() throws IOException {
    config();
    // M2's transaction began before M1's deferral was journaled but ended after it: its
    // Accepted record carries the earlier arrival time and comes later in the journal
    Accepted late = accepted(QueueId.of(T0 + 30_000, 7, 9), T0 + 30_000, "c@example.com", 10,
        "u@example.org");
    try (QueueFixture q = new QueueFixture(queueDirectory())) {
      q.append(M1, deferred(M1, T0 + 60_000, REFUSED, 0, 1), late);
    }
    assertTrue(!queue("--at", Long.toString(T0 + 45_000)).out()
        .contains(late.queueId().toString()), "at 45 s only what was written by then");
    assertTrue(queue("--at", Long.toString(T0 + 60_000)).out()
        .contains(late.queueId().toString()));
  }

  @Test
  void beforeTheJournalBeginsIsAnError() throws IOException {
    config();
    try (QueueFixture q = new QueueFixture(queueDirectory())) {
      q.append(M1);
    }
    Run r = queue("--at", Long.toString(T0 - 1));
    assertEquals(1, r.exitCode());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("gannet: fatal: the journal begins at 2026-11-23T17:17:24Z"),
        r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void noJournalIsAnError() throws IOException {
    config();
    Files.createDirectories(queueDirectory());
    Run r = queue("--at", Long.toString(T0));
    assertEquals(1, r.exitCode());
    assertTrue(r.err().startsWith("gannet: fatal: no journal at "), r.err());
  }
}
