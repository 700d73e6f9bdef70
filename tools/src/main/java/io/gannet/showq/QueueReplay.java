package io.gannet.showq;

import io.gannet.journal.Journal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalReader;
import io.gannet.journal.MemoryQueueProjection;
import io.gannet.journal.MessageState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The queue as it was at a past moment ({@code gannet queue --at TIME}): the journal replayed from
 * its start into a {@link MemoryQueueProjection} (the same fold as the live projection), nothing
 * written anywhere.
 *
 * <p><b>Which records.</b> Every record carries the time it was made, and a record is written
 * after it is made, in journal order; so once a record stamped after TIME has been written,
 * everything after it in the journal was written after TIME too. The replay therefore applies
 * the records in journal order up to the first one stamped after TIME. That includes every record
 * written by TIME. It can include one more kind: an {@code Accepted} record is stamped with the
 * message's arrival (the start of its transaction), so a message whose transaction spanned TIME
 * shows as queued if nothing stamped later was written before it.
 *
 * <p><b>Limits.</b> The journal keeps what retention has not deleted: a TIME before the first
 * record still in the journal is refused ({@link ShowqException}); messages whose records lay
 * only in deleted cycles (carried forward by {@code Moved} records stamped after TIME) do not
 * appear. Memory holds the state of every message live at TIME.
 */
public final class QueueReplay implements QueueSnapshot {

  private static final int BATCH = 1024;

  private final MemoryQueueProjection projection;
  private final long records;

  private QueueReplay(MemoryQueueProjection projection, long records) {
    this.projection = projection;
    this.records = records;
  }

  /**
   * Replays {@code journal} up to {@code atMillis} (epoch millis).
   *
   * @throws ShowqException when the journal's first record is stamped after {@code atMillis}: the
   *     state at that time is no longer known
   */
  public static QueueReplay at(Journal journal, long atMillis) {
    MemoryQueueProjection p = new MemoryQueueProjection();
    long n = 0;
    boolean first = true;
    try (JournalReader reader = journal.reader()) {
      List<JournalEntry> batch = new ArrayList<>(BATCH);
      for (JournalEntry e; (e = reader.next()) != null; ) {
        if (e.isCorrupt()) {
          batch.add(e); // moves the checkpoint only; its time is unknown
          continue;
        }
        long t = e.record().time();
        if (t > atMillis) {
          if (first) {
            throw new ShowqException("the journal begins at " + Instant.ofEpochMilli(t)
                + " (journal index 0x" + Long.toHexString(e.index()) + "); the queue at "
                + Instant.ofEpochMilli(atMillis) + " is no longer known");
          }
          break;
        }
        first = false;
        batch.add(e);
        n++;
        if (batch.size() == BATCH) {
          p.apply(batch);
          batch.clear();
        }
      }
      p.apply(batch);
    }
    return new QueueReplay(p, n);
  }

  /** Records applied. */
  public long records() {
    return records;
  }

  /** Live messages at the time. */
  public long size() {
    return projection.size();
  }

  @Override
  public Iterator<MessageState> messages() {
    return new PagedMessages(projection::messages, PagedMessages.PAGE);
  }

  @Override
  public void close() {}
}
