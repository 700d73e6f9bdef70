package io.gannet.journal;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The records of the journal, the queue's source of truth (DESIGN.md, "The journal"). Each is
 * about one message, named by its queue id, and carries the time it was written (epoch millis).
 * Recipients are named by their position in the {@link Accepted} record's list, and by address
 * for the reader's convenience.
 *
 * <p>Records are immutable values; {@link RecordCodec} gives each a type tag and a version.
 */
public sealed interface JournalRecord {

  QueueId queueId();

  long time();

  /** A message was received: envelope and content. Its journal index names the message. */
  record Accepted(
      QueueId queueId,
      long time,
      ClientInfo client,
      String sender,
      String envid,
      DsnRet ret,
      BodyType body,
      boolean smtputf8,
      List<Recipient> recipients,
      byte[] content)
      implements JournalRecord {
    public Accepted {
      Objects.requireNonNull(queueId, "queueId");
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(sender, "sender (use \"\" for the null sender)");
      Objects.requireNonNull(ret, "ret");
      Objects.requireNonNull(body, "body");
      recipients = List.copyOf(recipients);
      Objects.requireNonNull(content, "content");
      if (recipients.isEmpty()) {
        throw new IllegalArgumentException("a message needs at least one recipient");
      }
    }

    /** Content size in bytes, as Postfix's {@code size=}. */
    public long size() {
      return content.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Accepted a
          && queueId.equals(a.queueId)
          && time == a.time
          && client.equals(a.client)
          && sender.equals(a.sender)
          && Objects.equals(envid, a.envid)
          && ret == a.ret
          && body == a.body
          && smtputf8 == a.smtputf8
          && recipients.equals(a.recipients)
          && Arrays.equals(content, a.content);
    }

    @Override
    public int hashCode() {
      return Objects.hash(queueId, time, sender, recipients) * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
      return "Accepted[" + queueId + ", from=<" + sender + ">, nrcpt=" + recipients.size()
          + ", size=" + content.length + "]";
    }
  }

  /** The outcome of one delivery attempt for one recipient. */
  record RecipientResult(int index, String address, String dsn, String reply) {
    public RecipientResult {
      checkRecipientIndex(index);
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(dsn, "dsn");
      Objects.requireNonNull(reply, "reply");
    }
  }

  /** Recipients delivered ({@code status=sent}); {@code relay} as Postfix logs it. */
  record Delivered(QueueId queueId, long time, String relay, List<RecipientResult> results)
      implements JournalRecord {
    public Delivered {
      Objects.requireNonNull(queueId);
      Objects.requireNonNull(relay);
      results = nonEmpty(results);
    }
  }

  /** Recipients deferred ({@code status=deferred}), to be tried again at {@code nextAttempt}. */
  record Deferred(
      QueueId queueId, long time, String relay, long nextAttempt, List<RecipientResult> results)
      implements JournalRecord {
    public Deferred {
      Objects.requireNonNull(queueId);
      Objects.requireNonNull(relay);
      results = nonEmpty(results);
    }
  }

  /** Recipients bounced ({@code status=bounced}): final failure. */
  record Bounced(QueueId queueId, long time, String relay, List<RecipientResult> results)
      implements JournalRecord {
    public Bounced {
      Objects.requireNonNull(queueId);
      Objects.requireNonNull(relay);
      results = nonEmpty(results);
    }
  }

  /** Put on hold ({@code postsuper -h}, a HOLD action); held mail is not delivered. */
  record Held(QueueId queueId, long time, String reason) implements JournalRecord {
    public Held {
      Objects.requireNonNull(queueId);
      Objects.requireNonNull(reason);
    }
  }

  /** Released from hold ({@code postsuper -H}). */
  record Released(QueueId queueId, long time) implements JournalRecord {
    public Released {
      Objects.requireNonNull(queueId);
    }
  }

  /** Deleted by the administrator ({@code postsuper -d}): pending recipients are dropped. */
  record Deleted(QueueId queueId, long time, String reason) implements JournalRecord {
    public Deleted {
      Objects.requireNonNull(queueId);
      Objects.requireNonNull(reason);
    }
  }

  /** Requeued ({@code postsuper -r}): pending recipients are resolved again as if new. */
  record Requeued(QueueId queueId, long time) implements JournalRecord {
    public Requeued {
      Objects.requireNonNull(queueId);
    }
  }

  /** The kinds of notice a message can cause (Postfix's bounce, defer/delay and trace). */
  enum NoticeKind {
    BOUNCE,
    DELAY,
    SUCCESS;

    /**
     * The queue id of this kind's notice about the message {@code original}, the same on every
     * replay ({@link QueueId#derived}); null when {@code original} is itself derived (a notice:
     * its own notice, a double bounce, gets a fresh id).
     */
    public QueueId noticeId(QueueId original) {
      return original.derived(1 + ordinal());
    }

    /** The kind of notice {@code id} names when it came from {@link #noticeId}; else null. */
    public static NoticeKind ofNoticeId(QueueId id) {
      int slot = id.derivedSlot();
      return slot == 0 ? null : values()[slot - 1];
    }
  }

  /**
   * A notice of {@code kind} about {@code recipients} of this message was queued as the message
   * {@code notice}. Written once: replaying it tells the notice generator not to send again.
   */
  record NoticeQueued(
      QueueId queueId, long time, NoticeKind kind, QueueId notice, List<Integer> recipients)
      implements JournalRecord {
    public NoticeQueued {
      Objects.requireNonNull(queueId);
      Objects.requireNonNull(kind);
      Objects.requireNonNull(notice);
      recipients = List.copyOf(recipients);
      recipients.forEach(JournalRecord::checkRecipientIndex);
    }
  }

  /** Every recipient is final and every notice queued: the message is forgotten. */
  record Done(QueueId queueId, long time) implements JournalRecord {
    public Done {
      Objects.requireNonNull(queueId);
    }
  }

  /**
   * Compaction copied a live message forward into the current cycle, so older cycles can be
   * deleted. It carries the original envelope and content and the state the message had: which
   * recipients are still pending, attempts so far, the next attempt time, whether it is held,
   * which notices were already queued (bits by {@link NoticeKind#ordinal()}), and the final
   * outcomes so far (delivered and bounced recipients, and the reasons the projection keeps),
   * so that a projection rebuilt after the old cycles are gone still has them for notices.
   */
  record Moved(
      QueueId queueId,
      long time,
      long fromIndex,
      Accepted message,
      List<Integer> pending,
      int attempts,
      long nextAttempt,
      boolean held,
      int noticesQueued,
      List<Integer> delivered,
      List<Integer> bounced,
      Map<Integer, String> reasons)
      implements JournalRecord {

    /** A moved message with no final outcomes to carry (nothing delivered or bounced yet). */
    public Moved(QueueId queueId, long time, long fromIndex, Accepted message,
        List<Integer> pending, int attempts, long nextAttempt, boolean held, int noticesQueued) {
      this(queueId, time, fromIndex, message, pending, attempts, nextAttempt, held,
          noticesQueued, List.of(), List.of(), Map.of());
    }

    public Moved {
      Objects.requireNonNull(queueId);
      Objects.requireNonNull(message);
      if (!queueId.equals(message.queueId())) {
        throw new IllegalArgumentException("moved message has another queue id");
      }
      pending = List.copyOf(pending);
      pending.forEach(JournalRecord::checkRecipientIndex);
      delivered = List.copyOf(delivered);
      delivered.forEach(JournalRecord::checkRecipientIndex);
      bounced = List.copyOf(bounced);
      bounced.forEach(JournalRecord::checkRecipientIndex);
      reasons = Map.copyOf(reasons);
      reasons.keySet().forEach(JournalRecord::checkRecipientIndex);
      if (attempts < 0) {
        throw new IllegalArgumentException("attempts < 0: " + attempts);
      }
      if (noticesQueued < 0 || noticesQueued >= 1 << NoticeKind.values().length) {
        throw new IllegalArgumentException("bad notices queued bits: " + noticesQueued);
      }
    }
  }

  /** Recipient indexes as the codec can write and read them back. */
  private static void checkRecipientIndex(int index) {
    if (index < 0 || index > RecordCodec.MAX_RECIPIENTS) {
      throw new IllegalArgumentException("recipient index out of range: " + index);
    }
  }

  private static <T> List<T> nonEmpty(List<T> list) {
    List<T> copy = List.copyOf(list);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a status record needs at least one recipient");
    }
    return copy;
  }
}
