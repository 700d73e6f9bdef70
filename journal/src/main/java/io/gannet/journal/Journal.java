package io.gannet.journal;

import java.util.concurrent.CompletionStage;

/**
 * The queue's journal: an append-only, durable log of {@link JournalRecord}s.
 *
 * <p>The durability contract (DESIGN.md): the stage returned by {@link #append} completes only
 * after the record is on stable storage when {@code journal_sync = group}; concurrent appends
 * share one sync (group commit). It completes exceptionally with {@link JournalException} when
 * the record could not be written; then nothing of it is visible to readers as a whole record.
 *
 * <p>Stages complete on the journal's writer thread: a callback must be short and hand real work
 * to its own thread (a Netty channel's event loop, the qmgr's queue).
 */
public interface Journal extends AutoCloseable {

  /** Appends one record; completes with its journal index once durable. */
  CompletionStage<Long> append(JournalRecord record);

  /** A reader positioned at the start of the journal. Not thread-safe: one per thread. */
  JournalReader reader();

  /** Appends waiting for the writer (a measure of backlog, for backpressure and metrics). */
  int pendingAppends();

  /**
   * Index of the last record whose append completed (with {@code journal_sync = group}: on
   * stable storage), or -1 if none. A tailer may see later records in the file already; readers
   * that act on records (qmgr) stop at this index.
   */
  long lastIndex();

  /**
   * A fence: completes once every append made before this call is written (and synced, when the
   * journal syncs), with the journal's last index at that moment, so a reader that has reached
   * that index has seen all of them. Fails as {@link #append} would (journal closed or failed).
   * This default suits a journal whose appends complete before {@code append} returns.
   */
  default CompletionStage<Long> barrier() {
    return java.util.concurrent.CompletableFuture.completedFuture(lastIndex());
  }

  @Override
  void close();
}
