package io.gannet.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.Config;
import io.gannet.global.DeliveryAgent;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.Journal;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.MemoryQueueProjection;
import io.gannet.journal.Records;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qmgr acts only on durable records: a record a tailer can already see in the journal file, but
 * whose append has not completed (not yet synced), is neither projected nor delivered.
 */
class QmgrServiceDurabilityTest {

  @TempDir Path dir;

  /** A journal whose completed-appends index the test holds back. */
  static final class LaggingJournal implements Journal {
    final ChronicleJournal inner;
    volatile long durable = -1;

    LaggingJournal(ChronicleJournal inner) {
      this.inner = inner;
    }

    @Override
    public CompletionStage<Long> append(JournalRecord record) {
      return inner.append(record);
    }

    @Override
    public JournalReader reader() {
      return inner.reader();
    }

    @Override
    public int pendingAppends() {
      return inner.pendingAppends();
    }

    @Override
    public long lastIndex() {
      return durable;
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void nothingIsDeliveredBeforeItsAppendCompleted() throws Exception {
    LinkedBlockingQueue<DeliveryRequest> requests = new LinkedBlockingQueue<>();
    DeliveryAgent agent = new DeliveryAgent() {
      @Override
      public CompletionStage<DeliveryResult> deliver(DeliveryRequest r) {
        requests.add(r);
        return new CompletableFuture<>();
      }

      @Override
      public void close() {}
    };
    MemoryQueueProjection projection = new MemoryQueueProjection();
    try (LaggingJournal journal = new LaggingJournal(
        ChronicleJournal.open(dir.resolve("journal"), JournalOptions.defaults()))) {
      QmgrService qmgr = new QmgrService(new QmgrSettings(Config.defaults()), journal,
          projection, a -> new Route("smtp", "example.com"), t -> agent, NoticeHook.NONE,
          Clock.systemUTC(), new SplittableRandom(1));
      qmgr.start().get(30, TimeUnit.SECONDS);
      long index = journal.inner.append(Records.accepted(1, "hello")).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      // The record is in the file and readable, but the journal says it is not durable yet.
      assertEquals(null, requests.poll(300, TimeUnit.MILLISECONDS),
          "not delivered before its append completed");
      assertEquals(-1, projection.checkpoint(), "not projected either");
      journal.durable = index;
      DeliveryRequest r = requests.poll(30, TimeUnit.SECONDS);
      assertTrue(r != null, "delivered once durable");
      assertEquals(index, projection.checkpoint());
      qmgr.close();
    }
  }
}
