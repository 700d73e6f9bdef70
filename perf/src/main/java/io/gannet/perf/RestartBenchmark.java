package io.gannet.perf;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.Config;
import io.gannet.global.DeliveryAgent;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.RocksQueueProjection;
import io.gannet.journal.SyncMode;
import io.gannet.qmgr.NoticeHook;
import io.gannet.qmgr.QmgrService;
import io.gannet.qmgr.QmgrSettings;
import io.gannet.qmgr.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * qmgr's restart time with a large queue (issue "qmgr": with 10^6 messages in the projection,
 * under 5 s to the first delivery). Builds a queue of N deferred messages (journal and
 * projection, due now) once, then measures, in a fresh start: open the journal and the
 * projection, catch up, start qmgr, until the first delivery request reaches the agent.
 *
 * <pre>
 * perf/restart-bench.sh [N]        # default 1000000
 * </pre>
 */
public final class RestartBenchmark {

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory(Path.of("target"), "restart-bench");
    Clock clock = Clock.systemUTC();
    long t0 = System.nanoTime();
    build(dir, n, clock);
    System.out.printf("built a queue of %,d deferred messages in %.1f s%n", n,
        (System.nanoTime() - t0) / 1e9);

    long start = System.nanoTime();
    CompletableFuture<Long> firstDelivery = new CompletableFuture<>();
    DeliveryAgent agent = new DeliveryAgent() {
      @Override
      public CompletionStage<DeliveryResult> deliver(DeliveryRequest r) {
        firstDelivery.complete(System.nanoTime());
        return new CompletableFuture<>(); // never answers: we only time the first request
      }

      @Override
      public void close() {}
    };
    ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"),
        JournalOptions.defaults());
    RocksQueueProjection projection = RocksQueueProjection.open(dir.resolve("projection"));
    long opened = System.nanoTime();
    QmgrService qmgr = new QmgrService(new QmgrSettings(Config.defaults()), journal, projection,
        a -> new Route("smtp", a.substring(a.indexOf('@') + 1)), t -> agent, NoticeHook.NONE,
        clock, new SplittableRandom(1));
    qmgr.start().get(5, TimeUnit.MINUTES);
    long caughtUp = System.nanoTime();
    long first = firstDelivery.get(5, TimeUnit.MINUTES);
    System.out.printf("open journal+projection %.0f ms, catch-up %.0f ms, first delivery"
        + " request after %.0f ms in all (target: under 5000 ms)%n",
        (opened - start) / 1e6, (caughtUp - opened) / 1e6, (first - start) / 1e6);
    qmgr.close();
    projection.close();
    journal.close();
  }

  /** N messages, each Accepted then Deferred with its next attempt in the past. */
  static void build(Path dir, int n, Clock clock) throws Exception {
    JournalOptions options = JournalOptions.defaults().withSync(SyncMode.NONE);
    QueueIdGenerator ids = new QueueIdGenerator(clock);
    byte[] content = "Subject: restart\r\n\r\nbody\r\n".getBytes();
    try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"), options);
        RocksQueueProjection projection = RocksQueueProjection.open(dir.resolve("projection"))) {
      CompletionStage<Long> last = null;
      long now = clock.millis();
      for (int i = 0; i < n; i++) {
        QueueId id = ids.next();
        journal.append(new JournalRecord.Accepted(id, now, ClientInfo.LOCAL, "s@example.com",
            null, DsnRet.DEFAULT, BodyType.SEVEN_BIT, false,
            List.of(Recipient.of("u" + i + "@d" + (i % 1000) + ".example")), content));
        last = journal.append(new JournalRecord.Deferred(id, now, "none", now - 1,
            List.of(new JournalRecord.RecipientResult(0, "u" + i + "@d" + (i % 1000)
                + ".example", "4.4.1", "connect to d.example: Connection refused"))));
        if (i % 10_000 == 9_999) {
          last.toCompletableFuture().get();
        }
      }
      last.toCompletableFuture().get();
      projection.catchUp(journal.reader());
    }
  }

  private RestartBenchmark() {}
}
