package io.gannet.bounce;

import io.gannet.journal.JournalRecord;
import java.util.List;
import java.util.Objects;

/**
 * The last outcome recorded for one recipient of a message, as a journal status record gives it:
 * what a notice reports about that recipient.
 *
 * @param index the recipient's position in the message
 * @param dsn the enhanced status code ({@code 5.1.1})
 * @param reply the reply as Postfix logs it ({@code host mx.example.com[192.0.2.1] said: 550
 *     5.1.1 no such user (in reply to RCPT TO command)})
 * @param relay the relay as Postfix logs it ({@code mx.example.com[192.0.2.1]:25}, {@code none},
 *     {@code local})
 */
public record RecipientReport(int index, String dsn, String reply, String relay) {

  public RecipientReport {
    Objects.requireNonNull(dsn, "dsn");
    Objects.requireNonNull(reply, "reply");
    Objects.requireNonNull(relay, "relay");
  }

  /**
   * One report per recipient of a {@code Delivered}, {@code Deferred} or {@code Bounced} record;
   * empty for any other record.
   */
  public static List<RecipientReport> of(JournalRecord record) {
    String relay;
    List<JournalRecord.RecipientResult> results;
    if (record instanceof JournalRecord.Delivered d) {
      relay = d.relay();
      results = d.results();
    } else if (record instanceof JournalRecord.Deferred d) {
      relay = d.relay();
      results = d.results();
    } else if (record instanceof JournalRecord.Bounced b) {
      relay = b.relay();
      results = b.results();
    } else {
      return List.of();
    }
    return results.stream()
        .map(r -> new RecipientReport(r.index(), r.dsn(), r.reply(), relay))
        .toList();
  }
}
