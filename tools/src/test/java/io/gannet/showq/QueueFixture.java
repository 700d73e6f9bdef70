package io.gannet.showq;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Bounced;
import io.gannet.journal.JournalRecord.Deferred;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.Held;
import io.gannet.journal.JournalRecord.RecipientResult;
import io.gannet.journal.MemoryQueueProjection;
import io.gannet.journal.RocksQueueProjection;
import io.gannet.journal.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real queue in a directory for the showq tests: a Chronicle journal under {@code journal/} to
 * append records to, and the RocksDB projection under {@code projection/} caught up on demand (as
 * the daemon's qmgr would), so that records after the checkpoint form the journal's tail.
 */
public final class QueueFixture implements AutoCloseable {

  /** Mon Nov 23 17:17:24 2026 UTC, the arrival of the first golden message. */
  public static final long T0 = 1_795_454_244_000L;

  public static final String REFUSED = "connect to 127.0.0.1[127.0.0.1]:1: Connection refused";
  public static final String GREYLISTED = "host mx.example.org[192.0.2.7] said: 451 4.7.1 "
      + "greylisted, try again later (in reply to RCPT TO command)";

  static final ClientInfo CLIENT = new ClientInfo("127.0.0.1", "localhost", "client.test",
      "ESMTP");

  private final Path queueDirectory;
  private final ChronicleJournal journal;
  private final List<CompletableFuture<Long>> pending = new ArrayList<>();

  public QueueFixture(Path queueDirectory) {
    this.queueDirectory = queueDirectory;
    this.journal = ChronicleJournal.open(queueDirectory.resolve("journal"),
        JournalOptions.defaults().withSync(SyncMode.NONE));
  }

  public Path queueDirectory() {
    return queueDirectory;
  }

  public ChronicleJournal journal() {
    return journal;
  }

  /** Appends without waiting; {@link #sync} waits for everything appended. */
  public void appendAsync(JournalRecord r) {
    pending.add(journal.append(r).toCompletableFuture());
  }

  /** Appends and waits until written. */
  public void append(JournalRecord... records) {
    for (JournalRecord r : records) {
      appendAsync(r);
    }
    sync();
  }

  public void sync() {
    try {
      for (CompletableFuture<Long> f : pending) {
        f.get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new AssertionError("append failed", e);
    } finally {
      pending.clear();
    }
  }

  /** Brings the projection up to the journal's end, as qmgr does; returns records applied. */
  public long project() {
    sync();
    try (RocksQueueProjection p = RocksQueueProjection.open(queueDirectory.resolve("projection"));
        JournalReader r = journal.reader()) {
      return p.catchUp(r);
    }
  }

  /** The whole journal folded in memory: the reference a listing must agree with. */
  public MemoryQueueProjection replayAll() {
    sync();
    MemoryQueueProjection p = new MemoryQueueProjection();
    try (JournalReader r = journal.reader()) {
      p.catchUp(r);
    }
    return p;
  }

  @Override
  public void close() {
    sync();
    journal.close();
  }

  // ------------------------------------------------------------------------------------------
  // Records
  // ------------------------------------------------------------------------------------------

  public static Accepted accepted(QueueId id, long time, String sender, int size,
      String... recipients) {
    byte[] content = new byte[size];
    Arrays.fill(content, (byte) 'x');
    return new Accepted(id, time, CLIENT, sender, null, DsnRet.DEFAULT, BodyType.SEVEN_BIT,
        false, Arrays.stream(recipients).map(Recipient::of).toList(), content);
  }

  public static Deferred deferred(Accepted m, long time, String reason, int... indexes) {
    return new Deferred(m.queueId(), time, "none", time + 300_000, results(m, "4.4.1", reason,
        indexes));
  }

  public static Delivered delivered(Accepted m, long time, int... indexes) {
    return new Delivered(m.queueId(), time, "mx.example.org[192.0.2.7]:25",
        results(m, "2.0.0", "250 2.0.0 Ok", indexes));
  }

  public static Bounced bounced(Accepted m, long time, int... indexes) {
    return new Bounced(m.queueId(), time, "mx.example.org[192.0.2.7]:25",
        results(m, "5.1.1", "550 5.1.1 no such user", indexes));
  }

  public static Held held(Accepted m, long time) {
    return new Held(m.queueId(), time, "administrator");
  }

  public static Done done(Accepted m, long time) {
    return new Done(m.queueId(), time);
  }

  private static List<RecipientResult> results(Accepted m, String dsn, String reply,
      int... indexes) {
    List<RecipientResult> out = new ArrayList<>();
    for (int i : indexes) {
      out.add(new RecipientResult(i, m.recipients().get(i).address(), dsn, reply));
    }
    return out;
  }
}
