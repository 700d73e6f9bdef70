package io.gannet.showq;

import io.gannet.global.QueueId;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalReader;
import io.gannet.journal.MessageState;
import io.gannet.journal.ProjectionFold;
import io.gannet.journal.RocksQueueProjection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The queue as it is now, read without writing anything: the RocksDB projection opened read-only
 * ({@code $queue_directory/projection}), plus the journal records written after its checkpoint
 * folded in memory ({@link ProjectionFold}), so that the listing is current even when the
 * projection lags (the daemon applies it without sync, and a stopped daemon catches up only when it
 * starts). Works with the daemon running or stopped.
 *
 * <p>Memory: one page of the projection ({@link PagedMessages#PAGE} messages) plus the states of
 * the messages the journal tail touches; a projection that is far behind the journal (or missing:
 * then the whole journal is the tail) costs memory in proportion. Neither the journal nor the
 * projection changes while it is read: the listing is the state as of {@link #open}.
 */
public final class LiveQueue implements QueueSnapshot {

  private final RocksQueueProjection projection;
  private final NavigableMap<QueueId, MessageState> tail;
  private final long tailRecords;

  private LiveQueue(RocksQueueProjection projection, NavigableMap<QueueId, MessageState> tail,
      long tailRecords) {
    this.projection = projection;
    this.tail = tail;
    this.tailRecords = tailRecords;
  }

  /**
   * Opens the queue of {@code queueDirectory}: its projection read-only if there is one, then the
   * journal read-only (with {@code options}, which must say read-only) from the projection's
   * checkpoint to its end. A queue directory with neither (or with empty ones) is an empty queue.
   *
   * @throws io.gannet.journal.ProjectionException the projection exists but cannot be read
   * @throws io.gannet.journal.JournalException the journal exists but cannot be read
   */
  public static LiveQueue open(Path queueDirectory, JournalOptions options) {
    if (!options.readOnly()) {
      throw new IllegalArgumentException("the queue listing opens the journal read-only");
    }
    Path projectionDir = queueDirectory.resolve("projection");
    Path journalDir = queueDirectory.resolve("journal");
    // Chronicle and RocksDB each take a few hundred milliseconds to start: open them side by side
    FutureTask<ChronicleJournal> journalOpen = new FutureTask<>(
        () -> hasFiles(journalDir) ? ChronicleJournal.open(journalDir, options) : null);
    Thread opener = new Thread(journalOpen, "showq-journal-open");
    opener.setDaemon(true);
    opener.start();
    RocksQueueProjection projection;
    try {
      projection = hasFiles(projectionDir) ? RocksQueueProjection.openReadOnly(projectionDir)
          : null;
    } catch (RuntimeException | Error e) {
      closeQuietly(journalOpen);
      throw e;
    }
    try {
      NavigableMap<QueueId, MessageState> tail = new TreeMap<>();
      long records = 0;
      try (ChronicleJournal journal = await(journalOpen)) {
        if (journal != null) {
          try (JournalReader reader = journal.reader()) {
            records = foldTail(projection, reader, tail);
          }
        }
      }
      return new LiveQueue(projection, tail, records);
    } catch (RuntimeException | Error e) {
      if (projection != null) {
        projection.close();
      }
      throw e;
    }
  }

  /** The journal the opener thread opened, or what stopped it. */
  private static ChronicleJournal await(FutureTask<ChronicleJournal> open) {
    try {
      return open.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShowqException("interrupted while opening the journal");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }

  /** Waits for the journal being opened and closes it, whatever happens (a failed listing). */
  private static void closeQuietly(FutureTask<ChronicleJournal> open) {
    try {
      ChronicleJournal j = await(open);
      if (j != null) {
        j.close();
      }
    } catch (RuntimeException | Error ignored) {
      // the first failure is the one reported
    }
  }

  private static boolean hasFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var list = Files.list(dir)) {
      return list.findAny().isPresent();
    } catch (java.io.IOException e) {
      return true; // let the projection say what is wrong
    }
  }

  /** Folds the journal after the projection's checkpoint into {@code tail}; returns how many. */
  private static long foldTail(RocksQueueProjection projection, JournalReader reader,
      NavigableMap<QueueId, MessageState> tail) {
    long checkpoint = projection == null ? -1 : projection.checkpoint();
    if (checkpoint < 0 || !reader.seek(checkpoint)) {
      reader.toStart();
    }
    long n = 0;
    for (JournalEntry e; (e = reader.next()) != null; ) {
      if (e.index() <= checkpoint || e.isCorrupt()) {
        continue;
      }
      QueueId id = e.record().queueId();
      MessageState before = tail.containsKey(id) ? tail.get(id)
          : projection == null ? null : projection.get(id);
      tail.put(id, ProjectionFold.apply(before, e)); // null: gone (or never known)
      n++;
    }
    return n;
  }

  /** The projection's checkpoint (-1 without a projection). */
  public long checkpoint() {
    return projection == null ? -1 : projection.checkpoint();
  }

  /** Journal records read after the checkpoint. */
  public long tailRecords() {
    return tailRecords;
  }

  @Override
  public Iterator<MessageState> messages() {
    Iterator<MessageState> base = projection == null
        ? Collections.emptyIterator()
        : new PagedMessages(projection::messages, PagedMessages.PAGE);
    return new Merged(base, tail);
  }

  @Override
  public void close() {
    if (projection != null) {
      projection.close();
    }
  }

  /**
   * The projection's messages merged with the tail's, both in queue id order: a message the tail
   * knows takes the tail's state (none when it is gone since the checkpoint).
   */
  private static final class Merged implements Iterator<MessageState> {
    private final Iterator<MessageState> base;
    private final Iterator<Map.Entry<QueueId, MessageState>> tail;
    private MessageState nextBase;
    private Map.Entry<QueueId, MessageState> nextTail;
    private MessageState ready;

    Merged(Iterator<MessageState> base, NavigableMap<QueueId, MessageState> tail) {
      this.base = base;
      this.tail = tail.entrySet().iterator();
      nextBase = base.hasNext() ? base.next() : null;
      nextTail = this.tail.hasNext() ? this.tail.next() : null;
    }

    @Override
    public boolean hasNext() {
      while (ready == null && (nextBase != null || nextTail != null)) {
        int c = nextBase == null ? 1 : nextTail == null ? -1
            : nextBase.queueId().compareTo(nextTail.getKey());
        if (c < 0) {
          ready = nextBase;
          nextBase = base.hasNext() ? base.next() : null;
        } else {
          ready = nextTail.getValue(); // null when gone: skipped
          if (c == 0) {
            nextBase = base.hasNext() ? base.next() : null;
          }
          nextTail = tail.hasNext() ? tail.next() : null;
        }
      }
      return ready != null;
    }

    @Override
    public MessageState next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      MessageState s = ready;
      ready = null;
      return s;
    }
  }
}
