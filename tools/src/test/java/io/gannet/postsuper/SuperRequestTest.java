package io.gannet.postsuper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gannet.global.QueueId;
import io.gannet.master.AdminProtocol;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admin protocol's super request: words both ways, and what is refused. */
class SuperRequestTest {
  private static final QueueId A = QueueId.of(1_700_000_000_000L, 1, 2);
  private static final QueueId B = QueueId.of(1_700_000_000_001L, 0, 2);

  @Test
  void wordsRoundTrip() {
    SuperRequest named = SuperRequest.named(SuperAction.HOLD,
        EnumSet.of(QueueName.DEFERRED, QueueName.INCOMING), List.of(A, B));
    assertEquals(List.of("super", "hold", "incoming,deferred", A.toString(), B.toString()),
        named.words());
    assertEquals(named, SuperRequest.parse(named.words().subList(1, 4 + 1)));
    SuperRequest first = SuperRequest.page(SuperAction.DELETE, Set.of(), null);
    assertEquals(List.of("super", "delete", "any", "ALL", "-"), first.words());
    assertEquals(first, SuperRequest.parse(first.words().subList(1, 5)));
    SuperRequest next = SuperRequest.page(SuperAction.REQUEUE, QueueName.ALL, A);
    assertEquals(next, SuperRequest.parse(next.words().subList(1, 5)));
  }

  @Test
  void aFullBatchFitsOneRequestLine() {
    List<QueueId> ids = java.util.Collections.nCopies(SuperRequest.IDS_PER_REQUEST, A);
    String line = AdminProtocol.encode(
        SuperRequest.named(SuperAction.RELEASE, Set.of(QueueName.HOLD), ids).words());
    assertEquals(true, line.length() < AdminProtocol.MAX_REQUEST_BYTES, "" + line.length());
  }

  @Test
  void badRequestsAreRefusedByName() {
    assertThrows(IllegalArgumentException.class, () -> SuperRequest.parse(List.of("hold")));
    assertThrows(IllegalArgumentException.class,
        () -> SuperRequest.parse(List.of("explode", "any", A.toString())));
    assertThrows(IllegalArgumentException.class,
        () -> SuperRequest.parse(List.of("hold", "maildrop", A.toString())));
    assertThrows(IllegalArgumentException.class,
        () -> SuperRequest.parse(List.of("hold", "any", "nonsense")));
    assertThrows(IllegalArgumentException.class,
        () -> SuperRequest.parse(List.of("hold", "any", "ALL")));
  }
}
