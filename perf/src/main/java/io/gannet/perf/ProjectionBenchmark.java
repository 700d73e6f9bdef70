package io.gannet.perf;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.RecipientResult;
import io.gannet.journal.RocksQueueProjection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Journal records per second that {@link RocksQueueProjection#apply} folds into RocksDB: how fast
 * qmgr can keep the projection up to date while mail flows (every message an {@code Accepted},
 * a {@code Delivered} for both recipients and a {@code Done}).
 *
 * <p><b>What one operation is.</b> One {@code apply()} of a batch of {@code 3 x batch} entries:
 * {@code Accepted} for {@code batch} new messages, {@code Delivered} for the {@code batch}
 * messages accepted by the previous operation and {@code Done} for those delivered by the one
 * before: a pipeline, as in a running qmgr, where results come back a little after arrival. So
 * <b>records per second = score x 3 x batch</b>. Each operation therefore writes {@code batch}
 * new states, rewrites {@code batch} states, deletes {@code batch} and moves their incoming keys,
 * in one unsynced {@code WriteBatch}. Building the entries (a few small objects per record) is
 * inside the measurement; it is small beside the RocksDB work and qmgr pays it too.
 *
 * <p><b>The mistake avoided</b> ({@link #wholeLifecycleInOneBatch}, kept for contrast): putting
 * a message's three records in the same batch. {@code apply()} folds them in memory first, finds
 * that the message came and went, and writes nothing but the checkpoint, so the score measures the
 * fold, not RocksDB. Mail does not behave like that at any rate worth measuring.
 *
 * <p>The projection starts empty for each trial (the live set stays at about {@code 2 x batch}
 * messages): the figure is for a short queue; a large deferred backlog adds reads of colder
 * blocks. Files under {@code target/jmh-projection-*} (or {@code -Dgannet.perf.dir}), deleted
 * after the trial.
 *
 * <p><b>HOW TO RUN.</b> {@code perf/jmh.sh ProjectionBenchmark} (1 fork, 2 warmup iterations of 3
 * s, 3 measured of 5 s, per {@code batch}); {@code perf/jmh.sh ProjectionBenchmark.pipelined -p
 * batch=100} for one. Results: {@code perf/RESULTS.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class ProjectionBenchmark {

  static final ClientInfo CLIENT =
      new ClientInfo("192.0.2.10", "client.example", "client.example", "ESMTP");
  static final List<Recipient> RECIPIENTS =
      List.of(Recipient.of("a@example.net"), Recipient.of("b@example.org"));
  static final String RELAY = "mx.example.net[198.51.100.7]:25";

  /** One projection, written by one thread (qmgr's), fresh per trial. */
  @State(Scope.Thread)
  public static class ProjectionState {

    /** Messages per apply() (records per apply() = 3 x batch). */
    @Param({"1", "100", "1000"})
    public int batch;

    RocksQueueProjection projection;
    QueueIdGenerator ids;
    byte[] content;
    long index;
    QueueId[] accepted = new QueueId[0];
    QueueId[] delivered = new QueueId[0];
    private Path dir;

    @Setup(Level.Trial)
    public void open() throws IOException {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      content = new byte[1024];
      new Random(1234).nextBytes(content); // fixed seed: same bytes every run
      ids = new QueueIdGenerator(Clock.systemUTC(), 1);
      Path base = Paths.get(System.getProperty("gannet.perf.dir", "target"));
      Files.createDirectories(base);
      dir = Files.createTempDirectory(base, "jmh-projection-");
      projection = RocksQueueProjection.open(dir.resolve("projection"));
    }

    @TearDown(Level.Trial)
    public void delete() {
      projection.close();
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Accepted accept(QueueId id, long now) {
      return new Accepted(id, now, CLIENT, "sender@example.com", null, DsnRet.DEFAULT,
          BodyType.EIGHT_BIT_MIME, false, RECIPIENTS, content);
    }

    static Delivered deliver(QueueId id, long now) {
      return new Delivered(id, now, RELAY, List.of(
          new RecipientResult(0, "a@example.net", "2.0.0", "250 2.0.0 Ok: queued as 1"),
          new RecipientResult(1, "b@example.org", "2.0.0", "250 2.0.0 Ok: queued as 1")));
    }
  }

  /** The pipeline: accept new, deliver the previous batch, finish the one before. */
  @Benchmark
  public long pipelined(ProjectionState s) {
    long now = System.currentTimeMillis();
    List<JournalEntry> entries = new ArrayList<>(3 * s.batch);
    QueueId[] fresh = new QueueId[s.batch];
    for (QueueId id : s.delivered) {
      entries.add(JournalEntry.of(s.index++, new Done(id, now)));
    }
    for (QueueId id : s.accepted) {
      entries.add(JournalEntry.of(s.index++, ProjectionState.deliver(id, now)));
    }
    for (int i = 0; i < s.batch; i++) {
      fresh[i] = s.ids.next();
      entries.add(JournalEntry.of(s.index++, s.accept(fresh[i], now)));
    }
    s.projection.apply(entries);
    s.delivered = s.accepted;
    s.accepted = fresh;
    return s.projection.checkpoint();
  }

  /** For contrast only: each message's three records in one apply() (see the class comment). */
  @Benchmark
  public long wholeLifecycleInOneBatch(ProjectionState s) {
    long now = System.currentTimeMillis();
    List<JournalEntry> entries = new ArrayList<>(3 * s.batch);
    for (int i = 0; i < s.batch; i++) {
      QueueId id = s.ids.next();
      entries.add(JournalEntry.of(s.index++, s.accept(id, now)));
      entries.add(JournalEntry.of(s.index++, ProjectionState.deliver(id, now)));
      entries.add(JournalEntry.of(s.index++, new Done(id, now)));
    }
    s.projection.apply(entries);
    return s.projection.checkpoint();
  }
}
