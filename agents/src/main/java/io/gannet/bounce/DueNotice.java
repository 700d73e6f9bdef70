package io.gannet.bounce;

import io.gannet.journal.JournalRecord.NoticeKind;
import java.util.List;
import java.util.Objects;

/**
 * A notice {@link NoticePolicy} found due for one message: its kind, who receives it, the envelope
 * sender it is sent with, and which of the message's recipients it reports on (indexes into the
 * message's recipient list, ascending; the list for {@code NoticeQueued}).
 *
 * @param kind bounce, delay warning or success report
 * @param audience the original sender, or the postmaster for a double bounce
 * @param sender the notice's envelope sender: {@code ""} (the null sender) for notices to the
 *     original sender, {@code double_bounce_sender@myorigin} for postmaster notices
 * @param to the notice's one recipient
 * @param recipients the original message's recipients reported on
 */
public record DueNotice(
    NoticeKind kind, Audience audience, String sender, String to, List<Integer> recipients) {

  /** Who a notice is for. */
  public enum Audience {
    /** The original message's sender (a single bounce, delay warning or success report). */
    SENDER,
    /**
     * {@code 2bounce_notice_recipient}: mail from the null sender that could not be delivered
     * (Postfix's double bounce).
     */
    DOUBLE_BOUNCE
  }

  public DueNotice {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(to, "to");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a notice reports on at least one recipient");
    }
    if (to.isEmpty()) {
      throw new IllegalArgumentException("a notice is never sent to the null sender");
    }
  }
}
