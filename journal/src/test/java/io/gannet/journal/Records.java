package io.gannet.journal;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord.Accepted;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small factories of records for tests (also used by props/ through the test-jar). */
public final class Records {
  private Records() {}

  public static final ClientInfo CLIENT =
      new ClientInfo("127.0.0.1", "localhost", "client.example", "ESMTP");

  public static QueueId id(long n) {
    return QueueId.of(1_700_000_000_000L + n, (int) (n % 1000), 42);
  }

  public static Accepted accepted(long n, byte[] content) {
    return new Accepted(id(n), 1_700_000_000_000L + n, CLIENT, "sender@example.com", "env-" + n,
        DsnRet.FULL, BodyType.EIGHT_BIT_MIME, false,
        List.of(new Recipient("a@example.net", "rfc822;a@example.net", Recipient.NOTIFY_FAILURE),
            Recipient.of("b@example.org")),
        content);
  }

  public static Accepted accepted(long n, int size) {
    byte[] content = new byte[size];
    for (int i = 0; i < size; i++) {
      content[i] = (byte) ('a' + (i * 7 + n) % 26);
    }
    return accepted(n, content);
  }

  public static Accepted accepted(long n, String content) {
    return accepted(n, content.getBytes(StandardCharsets.UTF_8));
  }
}
