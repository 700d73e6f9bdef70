package io.gannet.showq;

import static io.gannet.showq.QueueFixture.REFUSED;
import static io.gannet.showq.QueueFixture.T0;
import static io.gannet.showq.QueueFixture.accepted;
import static io.gannet.showq.QueueFixture.deferred;
import static io.gannet.showq.QueueFixture.delivered;
import static io.gannet.showq.QueueFixture.done;
import static io.gannet.showq.QueueFixture.held;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.MessageState;
import io.gannet.journal.RocksQueueProjection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LiveQueue}: the projection (read-only) merged with the journal's tail equals the whole
 * journal folded, across page boundaries, with the projection held open for writing by another
 * instance as the running daemon holds it.
 */
class LiveQueueTest {

  @TempDir Path dir;

  private static final JournalOptions READ_ONLY = JournalOptions.defaults().withReadOnly(true);

  private static List<MessageState> list(QueueSnapshot s) {
    List<MessageState> out = new ArrayList<>();
    for (Iterator<MessageState> it = s.messages(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static Accepted message(int n) {
    return accepted(QueueId.of(T0 + n, n % 1000, 3), T0 + n, "s" + n + "@example.com",
        100 + n, "r" + n + "@example.org", "q" + n + "@example.net");
  }

  @Test
  void projectionPlusTailEqualsTheWholeJournalAcrossPages() {
    int n = 2_500;
    try (QueueFixture q = new QueueFixture(dir)) {
      for (int i = 0; i < n; i++) {
        q.appendAsync(message(i));
      }
      for (int i = 0; i < n; i += 3) {
        q.appendAsync(deferred(message(i), T0 + n + i, REFUSED, 1));
      }
      q.sync();
      q.project();
      // the tail: messages the projection has are finished, changed or held; new ones arrive
      for (int i = 0; i < n; i += 7) {
        q.appendAsync(delivered(message(i), T0 + 2 * n + i, 0, 1));
        q.appendAsync(done(message(i), T0 + 2 * n + i));
      }
      for (int i = 1; i < n; i += 11) {
        q.appendAsync(held(message(i), T0 + 3 * n + i));
      }
      for (int i = n; i < n + 600; i++) {
        q.appendAsync(message(i));
      }
      q.appendAsync(delivered(message(n + 5), T0 + 5 * n, 0));
      List<MessageState> expected = q.replayAll().all();
      try (LiveQueue live = LiveQueue.open(dir, READ_ONLY)) {
        assertTrue(live.checkpoint() >= 0);
        assertTrue(live.tailRecords() > 600, "read the tail: " + live.tailRecords());
        assertEquals(expected, list(live));
      }
    }
  }

  @Test
  void readsWhileTheDaemonHoldsTheProjectionOpen() {
    try (QueueFixture q = new QueueFixture(dir)) {
      q.append(message(1), message(2));
      try (RocksQueueProjection daemon = RocksQueueProjection.open(dir.resolve("projection"));
          JournalReader r = q.journal().reader()) {
        daemon.catchUp(r);
        q.append(message(3), done(message(1), T0 + 10));
        daemon.catchUp(r);
        q.append(message(4));
        try (LiveQueue live = LiveQueue.open(dir, READ_ONLY)) {
          List<QueueId> ids = list(live).stream().map(MessageState::queueId).toList();
          assertEquals(List.of(message(2).queueId(), message(3).queueId(),
              message(4).queueId()), ids);
        }
      }
    }
  }

  @Test
  void anEmptyQueueDirectoryIsAnEmptyQueue() {
    try (LiveQueue live = LiveQueue.open(dir, READ_ONLY)) {
      assertEquals(List.of(), list(live));
      assertEquals(-1, live.checkpoint());
    }
  }

  @Test
  void opensOnlyReadOnly() {
    assertThrows(IllegalArgumentException.class,
        () -> LiveQueue.open(dir, JournalOptions.defaults()));
  }

  @Test
  void showqSkipsMessagesWithNothingPendingAndMarksActiveOnes() {
    try (QueueFixture q = new QueueFixture(dir)) {
      q.append(message(1), message(2), message(3), delivered(message(2), T0 + 10, 0, 1));
      try (LiveQueue live = LiveQueue.open(dir, READ_ONLY)) {
        List<QueuedMessage> listed = new ArrayList<>();
        long n = new Showq(live, Set.of(message(3).queueId()), QueueFilter.all())
            .list(listed::add);
        assertEquals(2, n);
        assertEquals(List.of(QueueName.INCOMING, QueueName.ACTIVE),
            listed.stream().map(QueuedMessage::queue).toList());
        List<QueuedMessage> first = new ArrayList<>();
        new Showq(live, Set.of(), QueueFilter.all()).list(m -> first.add(m) && false);
        assertEquals(1, first.size(), "the sink stops the listing");
      }
    }
  }
}
