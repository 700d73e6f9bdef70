package io.gannet.perf;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.Config;
import io.gannet.global.DeliveryRecipient;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import io.gannet.global.RecipientOutcome;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.MemoryQueueProjection;
import io.gannet.qmgr.Dispatch;
import io.gannet.qmgr.NoticeHook;
import io.gannet.qmgr.Qmgr;
import io.gannet.qmgr.QmgrSettings;
import io.gannet.qmgr.Route;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * qmgr's scheduling on one thread (issue "qmgr": at least 200,000 recipient dispatches/s with
 * 20,000 active messages over 1,000 destinations). One operation is a whole cycle for one
 * recipient: a result comes back for the oldest open delivery, its record is journaled and
 * applied (in-memory journal and projection), the message is finished, a new one-recipient
 * message arrives and is dispatched in its place. So the window stays full: 20,000 active
 * messages, 1,000 destinations at their concurrency limit of 20.
 *
 * <pre>perf/jmh.sh QmgrBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class QmgrBenchmark {
  static final int DESTINATIONS = 1_000;
  static final int ACTIVE = 20_000;

  private Qmgr qmgr;
  private MemoryQueueProjection projection;
  private final ArrayDeque<JournalRecord> unsynced = new ArrayDeque<>();
  private final ArrayDeque<Dispatch> open = new ArrayDeque<>();
  private QueueIdGenerator ids;
  private SplittableRandom random;
  private long index;
  private final byte[] content = "Subject: x\r\n\r\nx\r\n".getBytes();

  @Setup(Level.Iteration)
  public void setUp() {
    Clock clock = Clock.systemUTC();
    ids = new QueueIdGenerator(clock);
    random = new SplittableRandom(1);
    projection = new MemoryQueueProjection();
    QmgrSettings settings = new QmgrSettings(Config.of(Map.of(
        "qmgr_message_active_limit", Integer.toString(ACTIVE),
        "qmgr_message_recipient_limit", Integer.toString(ACTIVE),
        "initial_destination_concurrency", "20",
        "default_destination_concurrency_limit", "20",
        "default_process_limit", "65536")));
    qmgr = new Qmgr(settings, projection, a -> new Route("smtp", a.substring(a.indexOf('@') + 1)),
        open::add, unsynced::add, NoticeHook.NONE, clock, new SplittableRandom(2));
    for (int i = 0; i < ACTIVE; i++) {
      arrive();
    }
  }

  private void arrive() {
    String rcpt = "u@d" + random.nextInt(DESTINATIONS) + ".example";
    unsynced.add(new JournalRecord.Accepted(ids.next(), 0, ClientInfo.LOCAL, "s@example.com",
        null, DsnRet.DEFAULT, BodyType.SEVEN_BIT, false, List.of(Recipient.of(rcpt)), content));
    sync();
  }

  private void sync() {
    while (!unsynced.isEmpty()) {
      JournalEntry e = JournalEntry.of(++index, unsynced.poll());
      projection.apply(List.of(e));
      qmgr.onJournal(e);
    }
  }

  @Benchmark
  public int dispatchCycle() {
    Dispatch d = open.poll();
    if (d != null) {
      List<RecipientOutcome> outcomes = new ArrayList<>(d.recipients().size());
      for (DeliveryRecipient r : d.recipients()) {
        outcomes.add(new RecipientOutcome(r.index(), r.address(), DeliveryStatus.SENT, "2.0.0",
            "250 ok"));
      }
      qmgr.onResult(d.id(), new DeliveryResult("sink", false, outcomes, null));
      sync();
    }
    arrive();
    return open.size();
  }
}
