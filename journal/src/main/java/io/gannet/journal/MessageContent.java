package io.gannet.journal;

/**
 * Where a live message's content is: the record at {@link MessageState#index()}, its
 * {@code Accepted} or the {@code Moved} that carried it forward. The one way qmgr (delivery),
 * retention and the notices read a message back.
 */
public final class MessageContent {
  private MessageContent() {}

  /**
   * The {@code Accepted} record of {@code message} (from a {@code Moved} if it was moved), or
   * {@code null} when the record at its index is missing, damaged or another message's.
   * Repositions {@code reader}.
   */
  public static JournalRecord.Accepted read(JournalReader reader, MessageState message) {
    long index = message.index();
    if (!reader.seek(index)) {
      return null;
    }
    JournalEntry e = reader.next();
    if (e == null || e.isCorrupt() || e.index() != index) {
      return null;
    }
    JournalRecord.Accepted a = e.record() instanceof JournalRecord.Accepted acc ? acc
        : e.record() instanceof JournalRecord.Moved m ? m.message() : null;
    return a != null && a.queueId().equals(message.queueId()) ? a : null;
  }
}
