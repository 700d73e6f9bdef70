package io.gannet.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MessageStateCodecTest {

  static MessageState sample(long nextAttempt, String envid) {
    QueueId id = Records.id(7);
    return new MessageState(id, 123_456_789L, 1_700_000_000_007L,
        new ClientInfo("2001:db8::1", "mx.example", "helo.example", "ESMTP"), "", envid,
        DsnRet.HDRS, BodyType.BINARY_MIME, true, 98_765,
        List.of(new Recipient("a@example.net", "rfc822;a@example.net", Recipient.NOTIFY_SUCCESS),
            Recipient.of("bé@exämple.org"), Recipient.of("c@x"), Recipient.of("d@y")),
        new TreeSet<>(List.of(0, 3)), 4, nextAttempt, true, 5,
        Map.of(0, "451 4.7.1 greylisted", 3, "421 too many"), new TreeSet<>(List.of(2)),
        new TreeSet<>(List.of(1)));
  }

  @Test
  void roundTripsEveryField() {
    MessageStateCodec codec = new MessageStateCodec();
    for (MessageState s : List.of(sample(1_700_000_300_000L, "env-1"), sample(0, null),
        sample(Long.MAX_VALUE, ""), sample(-5, null),
        ProjectionFold.apply(null, JournalEntry.of(0, Records.accepted(1, "x"))))) {
      byte[] b = codec.encode(s);
      assertEquals(MessageStateCodec.VERSION, b[0]);
      assertEquals(s, MessageStateCodec.decode(s.queueId(), b));
    }
  }

  @Test
  void everyTruncationIsRefused() {
    byte[] b = new MessageStateCodec().encode(sample(99, "e"));
    for (int len = 0; len < b.length; len++) {
      byte[] cut = Arrays.copyOf(b, len);
      assertThrows(IllegalArgumentException.class,
          () -> MessageStateCodec.decode(Records.id(7), cut), "length " + len);
    }
  }

  @Test
  void trailingBytesAndUnknownVersionAreRefused() {
    byte[] b = new MessageStateCodec().encode(sample(99, "e"));
    byte[] longer = Arrays.copyOf(b, b.length + 1);
    assertThrows(IllegalArgumentException.class,
        () -> MessageStateCodec.decode(Records.id(7), longer));
    b[0] = 2;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MessageStateCodec.decode(Records.id(7), b));
    assertTrue(e.getMessage().contains("version"), e.getMessage());
  }
}
