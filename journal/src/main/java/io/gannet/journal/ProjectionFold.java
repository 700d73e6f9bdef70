package io.gannet.journal;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Bounced;
import io.gannet.journal.JournalRecord.Deferred;
import io.gannet.journal.JournalRecord.Deleted;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.Held;
import io.gannet.journal.JournalRecord.Moved;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.JournalRecord.NoticeQueued;
import io.gannet.journal.JournalRecord.RecipientResult;
import io.gannet.journal.JournalRecord.Released;
import io.gannet.journal.JournalRecord.Requeued;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fold of the journal into message state: given what was known of a message before a
 * journal entry, what is known after it. A pure function of its two arguments (it only logs), so
 * that a replay from a checkpoint and a replay from the start agree. {@link RocksQueueProjection}
 * stores its results; tests and the property suite use it as the model.
 *
 * <p>Per record:
 *
 * <ul>
 *   <li>{@code Accepted}: a new message, every recipient pending, never attempted. An {@code
 *       Accepted} for a queue id already known is ignored (logged).
 *   <li>{@code Delivered}, {@code Bounced}: those recipients leave {@code pending} for {@code
 *       delivered} or {@code bounced}; a recipient already final keeps its first outcome.
 *   <li>{@code Deferred}: the reply becomes the pending recipient's reason, one more attempt, the
 *       next attempt as the record says.
 *   <li>{@code Held} / {@code Released}: the hold flag; a released deferred message is due at the
 *       time of release (a released incoming message stays incoming).
 *   <li>{@code Deleted}: no recipient is pending any more; the message waits for its {@code Done}.
 *   <li>{@code Requeued}: back to incoming (no attempts, no next attempt, no reasons).
 *   <li>{@code NoticeQueued}: the notice kind's bit is set.
 *   <li>The {@code Accepted} of a notice (a queue id {@linkplain NoticeKind#noticeId derived} from
 *       the original's) also sets that kind's bit on the original: the notice exists, so it is
 *       queued, even when a crash lost the {@code NoticeQueued} written right after it (and
 *       the notice was delivered and forgotten before the original was looked at again). This is
 *       the one record that changes a second message: see {@link #subjects}.
 *   <li>{@code Done}: the message is forgotten ({@code null}).
 *   <li>{@code Moved}: the content now lives at this entry's index; the state is the record's. For
 *       a message already known, delivered, bounced and reasons are kept where they agree with the
 *       record's pending set (the record does not carry them).
 * </ul>
 *
 * Corrupt entries and records for unknown messages (other than {@code Accepted} and {@code
 * Moved}) change nothing. Recipient indexes outside the message's recipient list are ignored and
 * logged.
 */
public final class ProjectionFold {

  private static final Logger log = LoggerFactory.getLogger("gannet/projection");

  private ProjectionFold() {}

  /**
   * The messages whose state {@code entry} may change, for {@link #apply(QueueId, MessageState,
   * JournalEntry)}: the record's own message, and for the {@code Accepted} of a notice the
   * message it is about. Empty for a corrupt entry.
   */
  public static List<QueueId> subjects(JournalEntry entry) {
    if (entry.isCorrupt()) {
      return List.of();
    }
    JournalRecord record = entry.record();
    QueueId id = record.queueId();
    if (record instanceof Accepted && NoticeKind.ofNoticeId(id) != null) {
      return List.of(id, id.origin());
    }
    return List.of(id);
  }

  /**
   * The state of {@code subject} (one of {@link #subjects}) after {@code entry}, given its state
   * {@code before} ({@code null} when not known); {@code null} when it is gone (or still
   * unknown).
   */
  public static MessageState apply(QueueId subject, MessageState before, JournalEntry entry) {
    if (entry.isCorrupt() || subject.equals(entry.record().queueId())) {
      return apply(before, entry);
    }
    if (before == null || !(entry.record() instanceof Accepted a)
        || !subject.equals(a.queueId().origin())) {
      return before;
    }
    NoticeKind kind = NoticeKind.ofNoticeId(a.queueId());
    if (before.noticeQueued(kind)) {
      return before;
    }
    State s = new State(before);
    s.noticesQueued |= 1 << kind.ordinal();
    return s.toState();
  }

  /**
   * The state of the record's own message after {@code entry}, given the state {@code before} it
   * ({@code null} when the message is not known); {@code null} when the message is gone (or still
   * unknown). A notice's {@code Accepted} also changes its original: see {@link #subjects}.
   */
  public static MessageState apply(MessageState before, JournalEntry entry) {
    if (entry.isCorrupt()) {
      return before;
    }
    JournalRecord record = entry.record();
    if (record instanceof Accepted a) {
      if (before != null) {
        log.warn("{}: Accepted at journal index {} for a message already known "
            + "(content at index {}); ignored", a.queueId(), entry.index(), before.index());
        return before;
      }
      return accepted(a, entry.index());
    }
    if (record instanceof Moved m) {
      return moved(before, m, entry.index());
    }
    if (before == null) {
      log.debug("{}: {} at journal index {} for an unknown message; ignored", record.queueId(),
          record.getClass().getSimpleName(), entry.index());
      return null;
    }
    if (record instanceof Done) {
      return null;
    }
    State s = new State(before);
    if (record instanceof Delivered d) {
      s.finish(d.results(), s.delivered, s.bounced, entry.index());
    } else if (record instanceof Bounced b) {
      s.finish(b.results(), s.bounced, s.delivered, entry.index());
    } else if (record instanceof Deferred d) {
      for (RecipientResult r : d.results()) {
        if (s.checkIndex(r.index(), entry.index()) && s.pending.contains(r.index())) {
          s.reasons.put(r.index(), r.reply());
        }
      }
      s.attempts++;
      s.nextAttempt = d.nextAttempt();
    } else if (record instanceof Held) {
      s.held = true;
    } else if (record instanceof Released r) {
      s.held = false;
      if (!before.isIncoming()) {
        s.nextAttempt = r.time();
      }
    } else if (record instanceof Deleted) {
      s.pending.clear();
      s.reasons.clear();
    } else if (record instanceof Requeued) {
      s.attempts = 0;
      s.nextAttempt = 0;
      s.reasons.clear();
    } else if (record instanceof NoticeQueued n) {
      s.noticesQueued |= 1 << n.kind().ordinal();
    } else {
      throw new IllegalStateException("no fold for record " + record);
    }
    return s.toState();
  }

  private static MessageState accepted(Accepted a, long index) {
    SortedSet<Integer> pending = new TreeSet<>();
    for (int i = 0; i < a.recipients().size(); i++) {
      pending.add(i);
    }
    return new MessageState(a.queueId(), index, a.time(), a.client(), a.sender(), a.envid(),
        a.ret(), a.body(), a.smtputf8(), a.size(), a.recipients(), pending, 0, 0, false, 0,
        Map.of(), new TreeSet<>(), new TreeSet<>());
  }

  private static MessageState moved(MessageState before, Moved m, long index) {
    if (before != null) {
      // A known message: what the projection already folded, in journal order, is at least as
      // new as the Moved's snapshot (a record journaled between the snapshot and the Moved, a
      // hold say, must not be undone). Only the content's place changes.
      return new MessageState(before.queueId(), index, before.arrivalTime(), before.client(),
          before.sender(), before.envid(), before.ret(), before.body(), before.smtputf8(),
          before.size(), before.recipients(), before.pending(), before.attempts(),
          before.nextAttempt(), before.held(), before.noticesQueued(), before.reasons(),
          before.bounced(), before.delivered());
    }
    Accepted a = m.message();
    int n = a.recipients().size();
    SortedSet<Integer> pending = new TreeSet<>();
    for (int i : m.pending()) {
      if (i < n) {
        pending.add(i);
      } else {
        log.warn("{}: Moved at journal index {} names recipient {} of {}; ignored",
            m.queueId(), index, i, n);
      }
    }
    // An unknown message (a replay that starts here): the outcomes the record carries.
    Map<Integer, String> reasons = new HashMap<>();
    m.reasons().forEach((i, r) -> {
      if (i < n) {
        reasons.put(i, r);
      }
    });
    SortedSet<Integer> bounced = new TreeSet<>();
    for (int i : m.bounced()) {
      if (i < n && !pending.contains(i)) {
        bounced.add(i);
      }
    }
    SortedSet<Integer> delivered = new TreeSet<>();
    for (int i : m.delivered()) {
      if (i < n && !pending.contains(i) && !bounced.contains(i)) {
        delivered.add(i);
      }
    }
    return new MessageState(m.queueId(), index, a.time(), a.client(), a.sender(), a.envid(),
        a.ret(), a.body(), a.smtputf8(), a.size(), a.recipients(), pending, m.attempts(),
        m.nextAttempt(), m.held(), m.noticesQueued(), reasons, bounced, delivered);
  }

  /** The changeable part of a state while one record is folded in. */
  private static final class State {
    final MessageState base;
    final SortedSet<Integer> pending;
    final Map<Integer, String> reasons;
    final SortedSet<Integer> bounced;
    final SortedSet<Integer> delivered;
    int attempts;
    long nextAttempt;
    boolean held;
    int noticesQueued;

    State(MessageState s) {
      base = s;
      pending = new TreeSet<>(s.pending());
      reasons = new HashMap<>(s.reasons());
      bounced = new TreeSet<>(s.bounced());
      delivered = new TreeSet<>(s.delivered());
      attempts = s.attempts();
      nextAttempt = s.nextAttempt();
      held = s.held();
      noticesQueued = s.noticesQueued();
    }

    boolean checkIndex(int i, long index) {
      if (i < base.recipients().size()) {
        return true;
      }
      log.warn("{}: record at journal index {} names recipient {} of {}; ignored",
          base.queueId(), index, i, base.recipients().size());
      return false;
    }

    /** Moves recipients to their final set, unless already in the other one. */
    void finish(List<RecipientResult> results, SortedSet<Integer> into, SortedSet<Integer> other,
        long index) {
      for (RecipientResult r : results) {
        int i = r.index();
        if (!checkIndex(i, index) || other.contains(i)) {
          continue;
        }
        pending.remove(i);
        reasons.put(i, r.dsn() + " " + r.reply()); // kept for the bounce / success notice
        into.add(i);
      }
    }

    MessageState toState() {
      MessageState b = base;
      return new MessageState(b.queueId(), b.index(), b.arrivalTime(), b.client(), b.sender(),
          b.envid(), b.ret(), b.body(), b.smtputf8(), b.size(), b.recipients(), pending, attempts,
          nextAttempt, held, noticesQueued, reasons, bounced, delivered);
    }
  }
}
