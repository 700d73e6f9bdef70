package io.gannet.qmgr;

import io.gannet.global.DeliveryRecipient;
import io.gannet.journal.MessageState;
import java.util.List;

/**
 * One delivery request as qmgr decided it: a message, a route, and a group of its recipients.
 * The {@link DeliveryPort} loads the content, calls the transport's agent and reports back with
 * {@link Qmgr#onResult} under the same {@code id}.
 */
public record Dispatch(long id, MessageState message, Route route,
    List<DeliveryRecipient> recipients) {
  public Dispatch {
    recipients = List.copyOf(recipients);
  }
}
