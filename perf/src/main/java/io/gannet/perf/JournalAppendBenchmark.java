package io.gannet.perf;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalRecord.Accepted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.bytes.SyncMode;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable appends per second of {@code Accepted} records to a {@link ChronicleJournal}: what bounds
 * how many messages a second smtpd can answer {@code 250} to.
 *
 * <p><b>What one operation is.</b> A producer is an SMTP session at end-of-data: it appends the
 * message's {@code Accepted} record and waits until the append's stage completes (after the group
 * commit's msync with {@code journal_sync = group}), then does it again. One benchmark operation is
 * one such completed append; JMH adds the operations of all producer threads, so the score is
 * completed appends per second across all producers.
 *
 * <p><b>Producers are JMH threads ({@code @Threads}), one method per count</b>, each blocking on
 * its own append. The mistakes this avoids:
 *
 * <ul>
 *   <li><i>Not waiting for the stage</i> ({@code journal.append(r)} and return): measures how fast
 *       records are put on the writer's queue, not how fast they become durable. The queue grows
 *       without bound; the score says millions per second and nothing about a 250.
 *   <li><i>A {@code @Param} producer count with an executor and one JMH thread</i> that submits N
 *       appends and waits for all N per operation: the producers move in lock step, the whole
 *       cohort waits for its slowest member, and a producer can never append while another's batch
 *       is being synced. Real sessions are independent; so are JMH threads.
 * </ul>
 *
 * <p><b>Disk.</b> Each measurement iteration gets a fresh journal under {@code
 * target/jmh-journal-*} (relative to the working directory, or {@code -Dgannet.perf.dir}), deleted
 * when the iteration ends: at most one iteration's data is on disk at a time.
 *
 * <p><b>HOW TO RUN.</b> {@code perf/jmh.sh} (builds, then runs every combination with short
 * settings: 1 fork, 2 warmup iterations of 3 s, 3 measured of 5 s, set here so that command-line
 * options can override them); {@code perf/jmh.sh JournalAppendBenchmark.producers64 -p size=1024}
 * for one; add {@code -prof jfr} to see where the time goes. The JVM flags Chronicle needs come
 * from the root pom's {@code jvm.flags} through {@code tools/target/jvm.options}; without them the
 * setup stops with a message saying so. Results and the machine they came from: {@code
 * perf/RESULTS.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class JournalAppendBenchmark {

  /** The journal, shared by all producer threads of a run, fresh per iteration. */
  @State(Scope.Benchmark)
  public static class JournalState {

    /** How appends are made durable: see {@link Sync}. */
    @Param({"GROUP", "GROUP_AS_SHIPPED", "NONE"})
    public Sync sync;

    /** Message content bytes of each Accepted record: 1 KiB, 10 KiB, 100 KiB. */
    @Param({"1024", "10240", "102400"})
    public int size;

    ChronicleJournal journal;
    QueueIdGenerator ids;
    byte[] content;
    private Path dir;

    @Setup(Level.Trial)
    public void makeContent() {
      if (System.getProperty("chronicle.analytics.disable") == null) {
        throw new IllegalStateException(
            "the JVM flags of the root pom (jvm.flags) are missing: run through perf/jmh.sh");
      }
      // Both are read once, when Chronicle's classes initialise: in this fork, after this line.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      if (sync == Sync.GROUP) {
        System.setProperty("mappedFile.defaultSyncMode", "SYNC");
      }
      content = new byte[size];
      new Random(1234).nextBytes(content); // fixed seed: every run appends the same bytes
      ids = new QueueIdGenerator(Clock.systemUTC(), 1);
    }

    @Setup(Level.Iteration)
    public void openJournal() throws IOException {
      Path base = Paths.get(System.getProperty("gannet.perf.dir", "target"));
      Files.createDirectories(base);
      dir = Files.createTempDirectory(base, "jmh-journal-");
      journal =
          ChronicleJournal.open(
              dir.resolve("journal"), JournalOptions.defaults().withSync(sync.journalSync));
      if (sync == Sync.GROUP && MappedFile.DEFAULT_SYNC_MODE != SyncMode.SYNC) {
        throw new IllegalStateException("Chronicle initialised before msync was set to MS_SYNC");
      }
    }

    @TearDown(Level.Iteration)
    public void deleteJournal() {
      journal.close();
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Accepted nextMessage() {
      return new Accepted(
          ids.next(),
          System.currentTimeMillis(),
          CLIENT,
          "sender@example.com",
          null,
          DsnRet.DEFAULT,
          BodyType.EIGHT_BIT_MIME,
          false,
          RECIPIENTS,
          content);
    }
  }

  /**
   * {@code journal_sync}, and how the journal's group commit reaches the disk.
   *
   * <p>The journal's group commit calls Chronicle's {@code appender.sync()}, which msyncs with the
   * queue's sync mode. The journal (commit 70f6840) does not set one, so Chronicle's default
   * applies: {@code MS_ASYNC}, which waits for nothing. {@code GROUP} here sets Chronicle's default
   * to {@code MS_SYNC} ({@code -DmappedFile.defaultSyncMode=SYNC}, what {@code
   * builder.syncMode(SyncMode.SYNC)} in the journal would do): durable, as DESIGN.md promises.
   */
  public enum Sync {
    /** journal_sync = group, msync(MS_SYNC) per batch: durable when the stage completes. */
    GROUP(io.gannet.journal.SyncMode.GROUP),
    /** journal_sync = group as the journal ships it: msync(MS_ASYNC), NOT durable. */
    GROUP_AS_SHIPPED(io.gannet.journal.SyncMode.GROUP),
    /** journal_sync = none: completes once in the mapped file (survives a process crash only). */
    NONE(io.gannet.journal.SyncMode.NONE);

    final io.gannet.journal.SyncMode journalSync;

    Sync(io.gannet.journal.SyncMode journalSync) {
      this.journalSync = journalSync;
    }
  }

  static final ClientInfo CLIENT =
      new ClientInfo("127.0.0.1", "localhost", "client.example", "ESMTP");
  static final List<Recipient> RECIPIENTS =
      List.of(Recipient.of("a@example.net"), Recipient.of("b@example.org"));

  /** One producer appends and waits for durability, again and again. */
  static long appendAndWait(JournalState s) throws Exception {
    return s.journal.append(s.nextMessage()).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Benchmark
  @Threads(1)
  public long producers1(JournalState s) throws Exception {
    return appendAndWait(s);
  }

  @Benchmark
  @Threads(8)
  public long producers8(JournalState s) throws Exception {
    return appendAndWait(s);
  }

  @Benchmark
  @Threads(64)
  public long producers64(JournalState s) throws Exception {
    return appendAndWait(s);
  }
}
