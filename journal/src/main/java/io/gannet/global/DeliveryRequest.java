package io.gannet.global;

import java.util.List;
import java.util.Objects;

/**
 * What qmgr asks a delivery agent to do (Postfix's deliver_request): deliver one message to one
 * next-hop destination for a group of its recipients (at most the transport's recipient limit).
 * The content is the message as cleanup stored it (headers and body, CRLF line ends, no
 * dot-stuffing); the agent encodes it for its protocol.
 *
 * @param transport the master.cf transport name ({@code smtp}, {@code relay}, {@code lmtp}...)
 * @param nexthop the destination as trivial-rewrite resolved it: {@code domain},
 *     {@code [host]}, {@code [host]:port}, {@code host:port}, or for lmtp {@code unix:/path}
 */
public record DeliveryRequest(
    QueueId queueId,
    long arrivalTime,
    String transport,
    String nexthop,
    String sender,
    String envid,
    DsnRet ret,
    BodyType body,
    boolean smtputf8,
    List<DeliveryRecipient> recipients,
    byte[] content) {

  public DeliveryRequest {
    Objects.requireNonNull(queueId, "queueId");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(nexthop, "nexthop");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(ret, "ret");
    Objects.requireNonNull(body, "body");
    recipients = List.copyOf(recipients);
    Objects.requireNonNull(content, "content");
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a delivery request needs a recipient");
    }
  }

  @Override
  public String toString() {
    return "DeliveryRequest[" + queueId + " " + transport + ":" + nexthop + ", nrcpt="
        + recipients.size() + ", size=" + content.length + "]";
  }
}
