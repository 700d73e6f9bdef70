package io.gannet.global;

import java.util.Objects;

/**
 * What happened to one recipient of a delivery request.
 *
 * @param index the recipient's position in the message (as in {@link DeliveryRecipient})
 * @param dsn the enhanced status code ({@code 2.0.0}, {@code 4.4.1}, {@code 5.1.1})
 * @param reply the text for logs and notices, Postfix style: {@code 250 2.0.0 Ok: queued as X}
 *     or {@code host mx.example.com[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT
 *     TO command)} or {@code connect to mx.example.com[192.0.2.1]:25: Connection refused}
 */
public record RecipientOutcome(int index, String address, DeliveryStatus status, String dsn,
    String reply) {
  public RecipientOutcome {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(dsn, "dsn");
    Objects.requireNonNull(reply, "reply");
  }
}
