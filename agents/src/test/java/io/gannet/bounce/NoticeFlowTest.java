package io.gannet.bounce;

import static io.gannet.bounce.ParsedNotice.field;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gannet.global.Config;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.JournalRecord.RecipientResult;
import io.gannet.journal.MessageState;
import jakarta.mail.internet.InternetHeaders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The way the notice generator uses this package: journal results into reports, the policy's
 * due notices into requests, requests into messages.
 */
class NoticeFlowTest {

  @Test
  void bouncedAndDeliveredRecipientsOfOneMessageGetTheirNotices() throws Exception {
    Config config = Config.of(Map.of("myhostname", "mx.example.net"));
    Clock clock = Clock.fixed(Instant.ofEpochMilli(States.ARRIVAL + 60_000), ZoneOffset.UTC);
    NoticePolicy policy = new NoticePolicy(config, clock);
    NoticeComposer composer = new NoticeComposer(config, clock);

    States s = new States().recipients(
        new Recipient("bob@example.com", "rfc822;bob@example.com", Recipient.NOTIFY_DEFAULT),
        new Recipient("carol@example.com", null, Recipient.NOTIFY_SUCCESS),
        new Recipient("dave@example.com", null, Recipient.NOTIFY_NEVER))
        .bounced(0, 2).delivered(1);
    s.ret = DsnRet.HDRS;
    s.envid = "E-1";
    MessageState state = s.build();

    Map<Integer, RecipientReport> reports = new HashMap<>();
    for (JournalRecord r : List.of(
        new JournalRecord.Bounced(States.QID, States.ARRIVAL + 1000, "mx.example.com[192.0.2.1]:25",
            List.of(new RecipientResult(0, "bob@example.com", "5.1.1",
                "host mx.example.com[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO"
                    + " command)"),
                new RecipientResult(2, "dave@example.com", "5.1.1",
                    "host mx.example.com[192.0.2.1] said: 550 5.1.1 no such user (in reply to"
                        + " RCPT TO command)"))),
        new JournalRecord.Delivered(States.QID, States.ARRIVAL + 2000,
            "mx.other.example[192.0.2.2]:25",
            List.of(new RecipientResult(1, "carol@example.com", "2.0.0",
                "250 2.0.0 Ok: queued as 5Y"))))) {
      RecipientReport.of(r).forEach(rep -> reports.put(rep.index(), rep));
    }

    List<DueNotice> due = policy.due(state);
    assertEquals(List.of(NoticeKind.BOUNCE, NoticeKind.SUCCESS),
        due.stream().map(DueNotice::kind).toList());
    assertEquals(List.of(0), due.get(0).recipients()); // dave said NOTIFY=NEVER
    assertEquals(List.of(1), due.get(1).recipients());

    int seq = 0;
    for (DueNotice d : due) {
      ComposedNotice n = composer.compose(
          NoticeRequest.of(d, state, reports, NoticeComposerTest.CONTENT),
          QueueId.of(States.ARRIVAL + 60_000, ++seq, 1));
      ParsedNotice p = new ParsedNotice(n.content());
      List<InternetHeaders> ds = p.deliveryStatus();
      assertEquals(2, ds.size());
      assertEquals("E-1", field(ds.get(0), "Original-Envelope-Id"));
      assertEquals("text/rfc822-headers", p.baseType(2)); // RET=HDRS, and always for success
      InternetHeaders rcpt = ds.get(1);
      if (d.kind() == NoticeKind.BOUNCE) {
        assertEquals("rfc822; bob@example.com", field(rcpt, "Final-Recipient"));
        assertEquals("rfc822;bob@example.com", field(rcpt, "Original-Recipient"));
        assertEquals("failed", field(rcpt, "Action"));
        assertEquals("smtp; 550 5.1.1 no such user", field(rcpt, "Diagnostic-Code"));
      } else {
        assertEquals("rfc822; carol@example.com", field(rcpt, "Final-Recipient"));
        assertEquals("delivered", field(rcpt, "Action"));
        assertEquals("dns; mx.other.example", field(rcpt, "Remote-MTA"));
      }
    }

    // Once both are journaled as queued, nothing more is due and the message may be Done.
    s.noticesQueued = (1 << NoticeKind.BOUNCE.ordinal()) | (1 << NoticeKind.SUCCESS.ordinal());
    assertEquals(List.of(), policy.due(s.build()));
  }
}
