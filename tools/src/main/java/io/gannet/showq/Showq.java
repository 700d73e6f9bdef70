package io.gannet.showq;

import io.gannet.global.QueueId;
import io.gannet.journal.MessageState;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The messages {@code gannet queue} lists, one at a time in queue id order: the snapshot's live
 * messages that still have pending recipients (one whose recipients are all final is only
 * waiting to be forgotten, as in Postfix it would no longer be listed), each in its queue ({@link
 * QueueName#of}), kept when the filter accepts it. Streams: nothing is held beyond the snapshot's
 * own page.
 */
public final class Showq {

  /** Where listed messages go; returns false to stop the listing (e.g. the output is closed). */
  @FunctionalInterface
  public interface Sink {
    boolean accept(QueuedMessage message);
  }

  private final QueueSnapshot snapshot;
  private final Predicate<QueueId> active;
  private final QueueFilter filter;

  /**
   * @param snapshot the queue to list
   * @param active the ids of the active window ({@link ActiveIds})
   * @param filter which messages to list
   */
  public Showq(QueueSnapshot snapshot, Set<QueueId> active, QueueFilter filter) {
    this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    Set<QueueId> ids = Set.copyOf(active);
    this.active = ids::contains;
    this.filter = Objects.requireNonNull(filter, "filter");
  }

  /** Hands each listed message to {@code sink}, in order; returns how many were listed. */
  public long list(Sink sink) {
    long n = 0;
    for (Iterator<MessageState> it = snapshot.messages(); it.hasNext(); ) {
      MessageState s = it.next();
      if (s.pending().isEmpty()) {
        continue;
      }
      QueuedMessage m = new QueuedMessage(QueueName.of(s, active.test(s.queueId())), s);
      if (!filter.accepts(m)) {
        continue;
      }
      n++;
      if (!sink.accept(m)) {
        break;
      }
    }
    return n;
  }
}
