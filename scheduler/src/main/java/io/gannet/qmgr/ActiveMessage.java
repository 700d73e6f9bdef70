package io.gannet.qmgr;

import io.gannet.journal.MessageState;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A message in the active window (Postfix's qmgr_message): the projection's state when it was
 * taken in, and which of its recipients are still with the scheduler — waiting in a destination
 * queue, in a delivery, or with a result whose journal record has not come back yet.
 */
final class ActiveMessage {
  final MessageState state;
  /** Recipients waiting, in flight, or awaiting their journal record. */
  int outstanding;
  /** Recipients whose outcome was journaled and is on its way back through the tail. */
  final Set<Integer> awaiting = new HashSet<>();
  /** Destinations holding entries of this message (to cancel them on hold or delete). */
  final Set<Destination> destinations = new LinkedHashSet<>();
  /** Held or deleted while active: no new deliveries. */
  boolean cancelled;

  ActiveMessage(MessageState state) {
    this.state = state;
  }

  int recipientCount() {
    return state.pending().size();
  }
}
