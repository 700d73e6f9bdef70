package io.gannet.journal;

import io.gannet.global.QueueId;
import java.util.List;
import java.util.function.Predicate;

/**
 * The queue as the journal implies it (DESIGN.md, "The journal", point 3): one
 * {@link MessageState} per live message, an incoming index (never-deferred messages in journal
 * order), a deferred index (by next attempt), and the checkpoint, the journal index of the last
 * record applied. A projection, never the truth: written without sync, repaired by replaying the
 * journal from the checkpoint, rebuildable from nothing.
 *
 * <p>Not thread-safe for writers: one thread applies (qmgr's). Readers (showq) may open their own
 * read-only instance.
 */
public interface QueueProjection extends AutoCloseable {

  /** Journal index of the last record applied, or -1 when none. */
  long checkpoint();

  /**
   * Applies entries in journal order in one atomic write that also moves the checkpoint. Entries
   * at or below the checkpoint are skipped (replay is idempotent); corrupt entries are skipped
   * (logged by whoever read them) but still move the checkpoint.
   */
  void apply(List<JournalEntry> entries);

  /**
   * Makes everything applied so far survive a crash of the process or of the machine (the
   * projection is otherwise written without sync) and returns the checkpoint that is now
   * durable: after a crash the projection reopens at that checkpoint or a later one, so journal
   * records before it are no longer needed to repair it. Retention calls this before it deletes
   * journal cycles.
   */
  long flushDurable();

  /** Reads the journal from the checkpoint to its current end and applies it; returns how many. */
  long catchUp(JournalReader reader);

  /** The state of a live message, or {@code null} when the projection does not know it. */
  MessageState get(QueueId queueId);

  /** Live messages in queue-id (arrival) order, starting after {@code after} (null: the start). */
  List<MessageState> messages(QueueId after, int limit);

  /**
   * Incoming messages (never deferred, not held, with pending recipients) in journal order, with
   * content index greater than {@code afterIndex}, at most {@code limit}, skipping those the
   * filter rejects (e.g. already active).
   */
  List<MessageState> incoming(long afterIndex, int limit, Predicate<QueueId> accept);

  /**
   * Deferred messages (not held, with pending recipients) whose next attempt is at or before
   * {@code dueBy}, in next-attempt order, at most {@code limit}, skipping those the filter
   * rejects. Scanned with an upper bound on the key, so a large future backlog costs nothing.
   */
  List<MessageState> dueDeferred(long dueBy, int limit, Predicate<QueueId> accept);

  /** Number of live messages. */
  long size();

  @Override
  void close();
}
