package io.gannet.postsuper;

import io.gannet.global.QueueId;
import io.gannet.journal.Journal;
import io.gannet.journal.JournalException;
import io.gannet.journal.MessageState;
import io.gannet.journal.QueueProjection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of {@code gannet super} on a queue (Postfix's postsuper): finds the messages named, or
 * every message, in the projection, writes one journal record per message changed ({@link
 * SuperAction#record}), and returns only once every record is durable. The same code runs inside
 * the daemon (admin command {@code super}, on the daemon's journal and projection) and in the
 * command when the daemon is stopped ({@link StoppedQueue}).
 *
 * <p>A message is "missing" when the projection does not know it, when all its recipients are final
 * (it only waits for its {@code Done}), or when it is not in one of the queues asked for. A held
 * message is not held again and a message not held is not released: those are "skipped", neither
 * counted nor an error (postsuper does the same).
 *
 * <p>DIAGNOSTICS (logger {@code gannet/postsuper}, as Postfix's postsuper logs): {@code QUEUEID:
 * removed}, {@code placed on hold}, {@code released from hold}, {@code requeued}.
 *
 * <p>Thread-safety: one call at a time per instance; reads the projection from the caller's
 * thread (which {@link QueueProjection} allows next to its one writer).
 */
public final class Postsuper {
  private static final Logger log = LoggerFactory.getLogger("gannet/postsuper");

  /** Messages read, and records written, per page of {@link #applyAll}. */
  public static final int PAGE = 1000;

  /** Which of some messages are in qmgr's active window (the {@code active} queue). */
  @FunctionalInterface
  public interface ActiveWindow {
    /** Nothing is active: the daemon is not running. */
    ActiveWindow NONE = ids -> Set.of();

    /** The ids among {@code ids} that are active. */
    Set<QueueId> activeAmong(Collection<QueueId> ids) throws Exception;
  }

  /** What an operation did to one message. */
  public enum Status {
    /** Changed: its record is in the journal. */
    DONE,
    /** Already as asked (held, or not held): nothing written. */
    SKIPPED,
    /** Not in the queue (see the class comment): nothing written. */
    MISSING
  }

  /** The result for one queue id. */
  public record Outcome(QueueId id, Status status) {}

  /**
   * One page of an operation on every message.
   *
   * @param done the messages changed
   * @param next where the next page starts (pass it as {@code after}); {@code null} after the last
   */
  public record Page(List<QueueId> done, QueueId next) {}

  private final QueueProjection projection;
  private final Journal journal;
  private final Clock clock;
  private final ActiveWindow active;
  private final Duration timeout;

  /**
   * @param projection where messages are looked up (kept current by its writer)
   * @param journal where the records go
   * @param active the active window, or {@link ActiveWindow#NONE}
   * @param timeout how long to wait for the records to become durable
   */
  public Postsuper(
      QueueProjection projection,
      Journal journal,
      Clock clock,
      ActiveWindow active,
      Duration timeout) {
    this.projection = Objects.requireNonNull(projection, "projection");
    this.journal = Objects.requireNonNull(journal, "journal");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.active = Objects.requireNonNull(active, "active");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Applies {@code action} to the messages {@code ids} (each once, in order) that are in one of
   * {@code queues}.
   *
   * @throws JournalException when a record could not be made durable (those before it may be)
   */
  public List<Outcome> apply(SuperAction action, Set<QueueName> queues, List<QueueId> ids) {
    List<QueueId> unique = new ArrayList<>(new LinkedHashSet<>(ids));
    List<MessageState> states = new ArrayList<>(unique.size());
    List<QueueId> known = new ArrayList<>();
    for (QueueId id : unique) {
      MessageState s = projection.get(id);
      states.add(s);
      if (s != null) {
        known.add(id);
      }
    }
    Set<QueueId> activeIds = activeAmong(queues, known);
    List<Outcome> out = new ArrayList<>(unique.size());
    List<QueueId> changed = new ArrayList<>();
    for (int i = 0; i < unique.size(); i++) {
      QueueId id = unique.get(i);
      MessageState s = states.get(i);
      Status status = select(action, queues, s, s != null && activeIds.contains(id));
      out.add(new Outcome(id, status));
      if (status == Status.DONE) {
        changed.add(id);
      }
    }
    write(action, changed);
    return out;
  }

  /**
   * Applies {@code action} to one page of every message in {@code queues}: at most {@code limit}
   * messages in queue-id order after {@code after} ({@code null}: from the first).
   *
   * @throws JournalException when a record could not be made durable
   */
  public Page applyAll(SuperAction action, Set<QueueName> queues, QueueId after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    List<MessageState> page = projection.messages(after, limit);
    List<QueueId> ids = page.stream().map(MessageState::queueId).toList();
    Set<QueueId> activeIds = activeAmong(queues, ids);
    List<QueueId> changed = new ArrayList<>();
    for (MessageState s : page) {
      if (select(action, queues, s, activeIds.contains(s.queueId())) == Status.DONE) {
        changed.add(s.queueId());
      }
    }
    write(action, changed);
    QueueId next = page.size() < limit ? null : ids.get(ids.size() - 1);
    return new Page(List.copyOf(changed), next);
  }

  private static Status select(
      SuperAction action, Set<QueueName> queues, MessageState s, boolean isActive) {
    QueueName q = s == null ? null : QueueName.of(s, isActive);
    if (q == null || !queues.contains(q)) {
      return Status.MISSING;
    }
    return action.changes(s) ? Status.DONE : Status.SKIPPED;
  }

  /** Asks the active window only when it matters: some queue, not every one, was named. */
  private Set<QueueId> activeAmong(Set<QueueName> queues, List<QueueId> ids) {
    if (ids.isEmpty() || queues.containsAll(QueueName.ALL)) {
      return Set.of();
    }
    try {
      return active.activeAmong(ids);
    } catch (Exception e) {
      throw new IllegalStateException("cannot ask qmgr for its active messages: " + e, e);
    }
  }

  /** Appends one record per message, then waits until all are durable. */
  private void write(SuperAction action, List<QueueId> ids) {
    if (ids.isEmpty()) {
      return;
    }
    long now = clock.millis();
    List<CompletableFuture<Long>> stages = new ArrayList<>(ids.size());
    for (QueueId id : ids) {
      stages.add(journal.append(action.record(id, now)).toCompletableFuture());
    }
    try {
      CompletableFuture.allOf(stages.toArray(new CompletableFuture<?>[0]))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new JournalException("cannot journal " + action.word() + ": " + cause.getMessage(),
          cause);
    } catch (TimeoutException e) {
      throw new JournalException("cannot journal " + action.word() + ": no sync within "
          + timeout.toSeconds() + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalException("interrupted while journaling " + action.word(), e);
    }
    for (QueueId id : ids) {
      log.info("{}: {}", id, action.doneText());
    }
  }
}
