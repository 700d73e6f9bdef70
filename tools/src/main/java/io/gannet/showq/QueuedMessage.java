package io.gannet.showq;

import io.gannet.journal.MessageState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message as the queue listing shows it: the queue it is in and its state in the projection.
 *
 * @param queue the queue (active, hold, ...)
 * @param state the message's state: envelope, pending recipients and their deferral reasons
 */
public record QueuedMessage(QueueName queue, MessageState state) {

  /** What mailq prints for the null sender (Postfix's {@code empty_address_recipient}). */
  public static final String NULL_SENDER = "MAILER-DAEMON";

  /**
   * A recipient still to be delivered.
   *
   * @param address the address as accepted
   * @param reason the reply of its last deferral, or {@code null} when it was never deferred
   */
  public record Pending(String address, String reason) {}

  public QueuedMessage {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(state, "state");
  }

  /** The sender as mailq shows it: {@link #NULL_SENDER} for the null sender. */
  public String sender() {
    return state.sender().isEmpty() ? NULL_SENDER : state.sender();
  }

  /**
   * The pending recipients in the order mailq lists them: those with a deferral reason first,
   * those sharing a reason together (groups in order of their first recipient), so that one
   * {@code (reason)} line heads each group as in Postfix's listing; then those never deferred.
   * Within a group, the order of the message's recipient list.
   */
  public List<Pending> pending() {
    Map<String, List<Pending>> byReason = new LinkedHashMap<>();
    List<Pending> untried = new ArrayList<>();
    for (int i : state.pending()) {
      String address = state.recipients().get(i).address();
      String reason = state.reasons().get(i);
      if (reason == null || reason.isEmpty()) {
        untried.add(new Pending(address, null));
      } else {
        byReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(new Pending(address, reason));
      }
    }
    List<Pending> out = new ArrayList<>(state.pending().size());
    byReason.values().forEach(out::addAll);
    out.addAll(untried);
    return out;
  }
}
