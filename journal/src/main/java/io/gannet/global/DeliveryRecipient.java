package io.gannet.global;

import java.util.Objects;

/**
 * One recipient of a {@link DeliveryRequest}: its position in the message's recipient list (how
 * the journal names it) and the recipient as received (address, ORCPT, NOTIFY).
 */
public record DeliveryRecipient(int index, Recipient recipient) {
  public DeliveryRecipient {
    Objects.requireNonNull(recipient, "recipient");
    if (index < 0) {
      throw new IllegalArgumentException("recipient index < 0");
    }
  }

  public String address() {
    return recipient.address();
  }
}
