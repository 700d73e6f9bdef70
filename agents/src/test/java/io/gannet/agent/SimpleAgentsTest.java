package io.gannet.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gannet.agent.discard.DiscardAgent;
import io.gannet.agent.error.ErrorAgent;
import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DeliveryRecipient;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimpleAgentsTest {

  private static DeliveryRequest request(String transport, String nexthop) {
    return new DeliveryRequest(new QueueIdGenerator(java.time.Clock.systemUTC()).next(), 0, transport, nexthop,
        "a@example.com", null, DsnRet.DEFAULT, BodyType.SEVEN_BIT, false,
        List.of(new DeliveryRecipient(0, Recipient.of("x@example.org")),
            new DeliveryRecipient(3, Recipient.of("y@example.org"))),
        "Subject: t\r\n\r\nhi\r\n".getBytes());
  }

  @Test
  void discardDeliversEveryRecipient() {
    DeliveryResult r = new DiscardAgent().deliver(request("discard", "")).toCompletableFuture()
        .join();
    assertEquals(2, r.outcomes().size());
    assertEquals(DeliveryStatus.SENT, r.outcomes().get(1).status());
    assertEquals(3, r.outcomes().get(1).index());
    assertEquals("discarded", r.outcomes().get(0).reply());
  }

  @Test
  void errorBouncesWithTheNextHopAsReason() {
    DeliveryResult r = new ErrorAgent(false).deliver(request("error", "5.1.1 no such user"))
        .toCompletableFuture().join();
    assertEquals(DeliveryStatus.BOUNCED, r.outcomes().get(0).status());
    assertEquals("5.1.1", r.outcomes().get(0).dsn());
    assertEquals("no such user", r.outcomes().get(0).reply());
  }

  @Test
  void retryDefers() {
    DeliveryResult r = new ErrorAgent(true).deliver(request("retry", "try later"))
        .toCompletableFuture().join();
    assertEquals(DeliveryStatus.DEFERRED, r.outcomes().get(0).status());
    assertEquals("4.0.0", r.outcomes().get(0).dsn());
  }
}
