package io.gannet.agent.testing;

import io.gannet.global.BodyType;
import io.gannet.global.DeliveryRecipient;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Delivery requests for tests. */
public final class Requests {

  private static final AtomicInteger SEQ = new AtomicInteger();

  private Requests() {}

  /** A plain message to {@code recipients} via {@code transport:nexthop}. */
  public static DeliveryRequest request(String transport, String nexthop, String content,
      String... recipients) {
    List<Recipient> rcpts = new ArrayList<>();
    for (String r : recipients) {
      rcpts.add(Recipient.of(r));
    }
    return request(transport, nexthop, "sender@example.org", null, DsnRet.DEFAULT,
        BodyType.UNSPECIFIED, false, content.getBytes(StandardCharsets.UTF_8), rcpts);
  }

  public static DeliveryRequest request(String transport, String nexthop, String sender,
      String envid, DsnRet ret, BodyType body, boolean smtputf8, byte[] content,
      List<Recipient> recipients) {
    long now = System.currentTimeMillis();
    QueueId id = QueueId.of(now, SEQ.incrementAndGet() % 1000, 7);
    List<DeliveryRecipient> list = new ArrayList<>();
    for (int i = 0; i < recipients.size(); i++) {
      list.add(new DeliveryRecipient(i, recipients.get(i)));
    }
    return new DeliveryRequest(id, now, transport, nexthop, sender, envid, ret, body, smtputf8,
        list, content);
  }

  /** A small well-formed message. */
  public static String message(String subject, String body) {
    return "From: sender@example.org\r\nTo: rcpt@example.com\r\nSubject: " + subject
        + "\r\n\r\n" + body;
  }
}
