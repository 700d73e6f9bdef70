package io.gannet.showq;

import io.gannet.journal.MessageState;
import java.util.Locale;

/**
 * The Postfix queue a message would be in, as mailq names it: Gannet has one journal, not queue
 * directories, so the name is derived from the message's state. The mark follows the queue id in
 * mailq's listing ({@code *} active, {@code !} hold); the name is {@code queue_name} of {@code
 * postqueue -j}.
 */
public enum QueueName {
  /** Never tried yet, not taken in by qmgr. */
  INCOMING("incoming", ' '),
  /** In qmgr's active window (only known while the daemon runs). */
  ACTIVE("active", '*'),
  /** Tried and deferred, waiting for its next attempt. */
  DEFERRED("deferred", ' '),
  /** On hold ({@code gannet super -h}): not delivered until released. */
  HOLD("hold", '!');

  private final String text;
  private final char mark;

  QueueName(String text, char mark) {
    this.text = text;
    this.mark = mark;
  }

  /** The name as Postfix spells it ({@code deferred}). */
  public String text() {
    return text;
  }

  /** The character mailq prints after the queue id; a space for none. */
  public char mark() {
    return mark;
  }

  /**
   * The queue of a message: hold if held (the journal's word wins over qmgr's window), else active
   * if qmgr says so, else incoming if never deferred, else deferred.
   */
  public static QueueName of(MessageState state, boolean active) {
    if (state.held()) {
      return HOLD;
    }
    if (active) {
      return ACTIVE;
    }
    return state.isIncoming() ? INCOMING : DEFERRED;
  }

  /** Parses a name as Postfix spells it; throws {@link IllegalArgumentException} naming it. */
  public static QueueName parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (QueueName q : values()) {
      if (q.text.equals(t)) {
        return q;
      }
    }
    throw new IllegalArgumentException(
        "unknown queue name '" + text + "' (use incoming, active, deferred or hold)");
  }
}
