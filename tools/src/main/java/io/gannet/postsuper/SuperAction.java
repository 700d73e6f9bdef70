package io.gannet.postsuper;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.MessageState;
import java.util.Locale;

/**
 * The four queue operations of {@code gannet super} (Postfix's postsuper {@code -d}, {@code -h},
 * {@code -H}, {@code -r}), each written to the journal as one record per message, so it survives
 * a restart and shows in {@code gannet cat}.
 */
public enum SuperAction {
  /** {@code -d}: the message's pending recipients are dropped ({@code Deleted}). */
  DELETE('d', "removed", "Deleted"),
  /** {@code -h}: the message is not delivered until released ({@code Held}). */
  HOLD('h', "placed on hold", "Placed on hold"),
  /** {@code -H}: a held message is delivered again ({@code Released}). */
  RELEASE('H', "released from hold", "Released from hold"),
  /** {@code -r}: the recipients are resolved again as if new ({@code Requeued}). */
  REQUEUE('r', "requeued", "Requeued");

  private final char option;
  private final String done;
  private final String summary;

  SuperAction(char option, String done, String summary) {
    this.option = option;
    this.done = done;
    this.summary = summary;
  }

  /** The postsuper option letter. */
  public char option() {
    return option;
  }

  /** The word of the admin protocol: {@code delete}, {@code hold}, {@code release}, ... */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What happened to one message, as postsuper says it: {@code ID: removed}. */
  public String doneText() {
    return done;
  }

  /** The summary line, as postsuper prints it: {@code Deleted: 2 messages}. */
  public String summary(long count) {
    return summary + ": " + count + " message" + (count == 1 ? "" : "s");
  }

  /** The action of an admin-protocol word. */
  public static SuperAction ofWord(String word) {
    for (SuperAction a : values()) {
      if (a.word().equals(word)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown super action: " + word);
  }

  /**
   * Whether the action changes a message in this state: a held message is not held again, a
   * message not held is not released (postsuper counts neither).
   */
  public boolean changes(MessageState s) {
    return switch (this) {
      case HOLD -> !s.held();
      case RELEASE -> s.held();
      case DELETE, REQUEUE -> true;
    };
  }

  /** The journal record of this action on one message. */
  public JournalRecord record(QueueId id, long now) {
    return switch (this) {
      case DELETE -> new JournalRecord.Deleted(id, now, "deleted by gannet super -d");
      case HOLD -> new JournalRecord.Held(id, now, "held by gannet super -h");
      case RELEASE -> new JournalRecord.Released(id, now);
      case REQUEUE -> new JournalRecord.Requeued(id, now);
    };
  }
}
