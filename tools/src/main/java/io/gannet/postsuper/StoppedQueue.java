package io.gannet.postsuper;

import io.gannet.global.Config;
import io.gannet.global.QueueId;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalException;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalReader;
import io.gannet.journal.ProjectionException;
import io.gannet.journal.RocksQueueProjection;
import io.gannet.master.QueueLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The queue of a stopped daemon, for {@code gannet super}: holds the {@link QueueLock} (so no
 * daemon starts meanwhile), opens the journal and the projection and brings the projection up to
 * date, so that it knows which messages exist and their state. Operations append to the journal;
 * {@link #close} applies them to the projection too (so readers see them at once), then releases
 * everything. The daemon finds the records when it starts, as it finds mail.
 *
 * <p>A queue directory without a journal holds no mail: every message is missing, and nothing is
 * created.
 */
public final class StoppedQueue implements SuperQueue {
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

  private final QueueLock lock;
  private final ChronicleJournal journal;
  private final RocksQueueProjection projection;
  private final Postsuper postsuper;

  private StoppedQueue(
      QueueLock lock, ChronicleJournal journal, RocksQueueProjection projection, Clock clock) {
    this.lock = lock;
    this.journal = journal;
    this.projection = projection;
    this.postsuper =
        projection == null
            ? null
            : new Postsuper(projection, journal, clock, Postsuper.ActiveWindow.NONE, SYNC_TIMEOUT);
  }

  /** The journal of a queue directory. */
  public static Path journalDirectory(Path queueDirectory) {
    return queueDirectory.resolve("journal");
  }

  /** The projection of a queue directory. */
  public static Path projectionDirectory(Path queueDirectory) {
    return queueDirectory.resolve("projection");
  }

  /**
   * Locks {@code queueDirectory} and opens its queue.
   *
   * @throws io.gannet.master.QueueLockedException a daemon (or another command) holds it
   * @throws IOException the lock cannot be taken; {@link JournalException} or {@link
   *     ProjectionException} when the stores cannot be opened (the lock is released)
   */
  public static StoppedQueue open(Config config, Path queueDirectory, Clock clock)
      throws IOException {
    Path journalDir = journalDirectory(queueDirectory);
    if (!Files.isDirectory(journalDir)) {
      return new StoppedQueue(null, null, null, clock);
    }
    QueueLock lock = QueueLock.acquire(queueDirectory);
    ChronicleJournal journal = null;
    RocksQueueProjection projection = null;
    try {
      journal = ChronicleJournal.open(journalDir, JournalOptions.from(config, clock));
      projection = RocksQueueProjection.open(projectionDirectory(queueDirectory));
      try (JournalReader r = journal.reader()) {
        projection.catchUp(r);
      }
      return new StoppedQueue(lock, journal, projection, clock);
    } catch (RuntimeException e) {
      if (projection != null) {
        projection.close();
      }
      if (journal != null) {
        journal.close();
      }
      lock.close();
      throw e;
    }
  }

  /**
   * {@code gannet super --rebuild}: under the queue lock, deletes the projection and replays the
   * whole journal into a new one. Returns the number of live messages.
   *
   * @throws io.gannet.master.QueueLockedException the daemon runs
   * @throws JournalException there is no journal, or it cannot be opened
   */
  public static long rebuild(Config config, Path queueDirectory, Clock clock) throws IOException {
    Path journalDir = journalDirectory(queueDirectory);
    if (!Files.isDirectory(journalDir)) {
      throw new JournalException("no journal at " + journalDir);
    }
    try (QueueLock lock = QueueLock.acquire(queueDirectory);
        ChronicleJournal journal =
            ChronicleJournal.open(journalDir, JournalOptions.from(config, clock))) {
      Path dir = projectionDirectory(queueDirectory);
      RocksQueueProjection.rebuild(dir, journal);
      try (RocksQueueProjection p = RocksQueueProjection.open(dir)) {
        return p.size();
      }
    }
  }

  @Override
  public List<Postsuper.Outcome> apply(
      SuperAction action, Set<QueueName> queues, List<QueueId> ids) {
    if (postsuper == null) {
      return ids.stream()
          .distinct()
          .map(id -> new Postsuper.Outcome(id, Postsuper.Status.MISSING))
          .toList();
    }
    return postsuper.apply(action, queues, ids);
  }

  @Override
  public Postsuper.Page applyAll(SuperAction action, Set<QueueName> queues, QueueId after) {
    if (postsuper == null) {
      return new Postsuper.Page(List.of(), null);
    }
    return postsuper.applyAll(action, queues, after, Postsuper.PAGE);
  }

  @Override
  public void close() throws IOException {
    if (lock == null) {
      return;
    }
    try {
      try (JournalReader r = journal.reader()) {
        projection.catchUp(r);
      } finally {
        projection.close();
        journal.close();
      }
    } finally {
      lock.close();
    }
  }
}
