package io.gannet.postsuper;

import io.gannet.journal.MessageState;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Postfix's queue names, as {@code gannet super} narrows an operation to some of them ({@code -d
 * ALL deferred}). Gannet has no queue directories: the queue of a message is derived from its
 * projected state ({@link #of}).
 */
public enum QueueName {
  /** Put on hold ({@code Held}, not {@code Released}). */
  HOLD,
  /** Never tried and not held. */
  INCOMING,
  /** In qmgr's active window (only while the daemon runs). */
  ACTIVE,
  /** Tried and deferred, not held. */
  DEFERRED;

  /** Every queue: the default of each operation. */
  public static final Set<QueueName> ALL = EnumSet.allOf(QueueName.class);

  /** The word for this queue: {@code hold}, {@code incoming}, ... */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The queue of a name, case-insensitive; {@link IllegalArgumentException} naming it if none. */
  public static QueueName parse(String name) {
    for (QueueName q : values()) {
      if (q.word().equalsIgnoreCase(name)) {
        return q;
      }
    }
    throw new IllegalArgumentException(
        "unknown queue: " + name + " (use hold, incoming, active or deferred)");
  }

  /**
   * The queue a message is in, or {@code null} when it is in none: every recipient is final and
   * it only waits to be forgotten ({@code Done}), so postsuper treats it as gone.
   *
   * @param active whether qmgr holds it in its active window
   */
  public static QueueName of(MessageState s, boolean active) {
    if (s.pending().isEmpty()) {
      return null;
    }
    if (s.held()) {
      return HOLD;
    }
    if (active) {
      return ACTIVE;
    }
    return s.isIncoming() ? INCOMING : DEFERRED;
  }
}
