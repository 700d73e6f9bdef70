package io.gannet.bounce;

import static io.gannet.bounce.ParsedNotice.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.bounce.DueNotice.Audience;
import io.gannet.bounce.NoticeRequest.Action;
import io.gannet.bounce.NoticeRequest.Entry;
import io.gannet.bounce.NoticeRequest.Original;
import io.gannet.global.BodyType;
import io.gannet.global.Config;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.JournalRecord.RecipientResult;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NoticeComposerTest {

  static final long ARRIVAL = States.ARRIVAL;
  static final QueueId NOTICE_ID = QueueId.of(ARRIVAL + 3_600_000, 1, 9);
  static final Instant NOW = Instant.ofEpochMilli(ARRIVAL).plus(Duration.ofHours(6));

  static final String HEADERS =
      "Received: from client.example (client.example [192.0.2.9])\r\n"
          + "\tby mx.example.net (Gannet) with ESMTP id X\r\n"
          + "From: Alice <alice@example.org>\r\n"
          + "To: bob@example.com\r\n"
          + "Subject: quarterly figures\r\n"
          + "Message-ID: <orig-1@example.org>\r\n"
          + "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n";
  static final String BODY = "Hello Bob,\r\n\r\nthe figures are attached.\r\n-- \r\nAlice\r\n";
  static final byte[] CONTENT = (HEADERS + "\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);

  static final String BOUNCE_REPLY = "host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>:"
      + " Recipient address rejected: User unknown (in reply to RCPT TO command)";

  private static NoticeComposer composer(String... settings) {
    Map<String, String> m = new HashMap<>(Map.of("myhostname", "mx.example.net"));
    for (int i = 0; i < settings.length; i += 2) {
      m.put(settings[i], settings[i + 1]);
    }
    return new NoticeComposer(Config.of(m), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static Original original(DsnRet ret, byte[] content) {
    return new Original(States.QID, "alice@example.org", "ENV-42", ret, false, ARRIVAL, content);
  }

  private static DueNotice due(NoticeKind kind, int... rcpts) {
    return new DueNotice(kind, Audience.SENDER, "", "alice@example.org",
        java.util.Arrays.stream(rcpts).boxed().toList());
  }

  private static Entry bounced(String address, String orcpt) {
    return Entry.of(new Recipient(address, orcpt, Recipient.NOTIFY_DEFAULT), Action.FAILED,
        "5.1.1", BOUNCE_REPLY, "mx.example.com[192.0.2.1]:25");
  }

  private static ParsedNotice parse(ComposedNotice n) throws Exception {
    return new ParsedNotice(n.content());
  }

  // ---- Bounce: the whole structure, field by field ----------------------------------------

  @Test
  void bounceIsAnRfc3464ReportWithTheWholeOriginal() throws Exception {
    NoticeRequest req = new NoticeRequest(due(NoticeKind.BOUNCE, 0), original(DsnRet.DEFAULT,
        CONTENT), List.of(bounced("bob@example.com", "rfc822;bob@example.com")));
    ComposedNotice n = composer().compose(req, NOTICE_ID);
    ParsedNotice p = parse(n);

    // envelope of the notice
    assertEquals("", n.sender());
    assertEquals("alice@example.org", n.recipient());
    assertEquals(NOTICE_ID, n.queueId());
    assertFalse(n.smtputf8());
    assertEquals(BodyType.SEVEN_BIT, n.body());

    // top-level header
    assertEquals("MAILER-DAEMON@mx.example.net (Mail Delivery System)", p.header("From"));
    assertEquals("alice@example.org", p.header("To"));
    assertEquals("Undelivered Mail Returned to Sender", p.message.getSubject());
    assertEquals("auto-replied", p.header("Auto-Submitted"));
    assertEquals("1.0", p.header("MIME-Version"));
    assertEquals(n.messageId(), p.message.getMessageID());
    assertTrue(n.messageId().matches("<\\d{14}\\." + NOTICE_ID + "@mx\\.example\\.net>"),
        n.messageId());
    assertEquals(NOW, p.message.getSentDate().toInstant());
    assertEquals("delivery-status", p.type.getParameter("report-type"));
    String boundary = p.type.getParameter("boundary");
    assertNotNull(boundary);
    assertTrue(boundary.length() <= 70 && boundary.matches("[0-9A-Za-z'()+_,\\-./:=?]+"),
        boundary);
    assertEquals(3, p.parts.size());

    // 1: human part
    assertEquals("text/plain", p.baseType(0));
    assertEquals("us-ascii", p.contentType(0).getParameter("charset"));
    String human = p.text(0);
    assertTrue(human.startsWith("This is the mail system at host mx.example.net.\r\n"), human);
    assertTrue(human.contains("I'm sorry to have to inform you"), human);
    assertTrue(p.flatText().contains("<bob@example.com>: " + BOUNCE_REPLY), human);

    // 2: delivery-status
    assertEquals("message/delivery-status", p.baseType(1));
    List<InternetHeaders> ds = p.deliveryStatus();
    assertEquals(2, ds.size());
    InternetHeaders msg = ds.get(0);
    assertEquals("ENV-42", field(msg, "Original-Envelope-Id"));
    assertEquals("dns; mx.example.net", field(msg, "Reporting-MTA"));
    assertEquals(States.QID.toString(), field(msg, "X-Gannet-Queue-ID"));
    assertEquals("rfc822; alice@example.org", field(msg, "X-Gannet-Sender"));
    assertEquals(ARRIVAL, new MailDateFormat().parse(field(msg, "Arrival-Date")).getTime());
    InternetHeaders rcpt = ds.get(1);
    assertEquals("rfc822;bob@example.com", field(rcpt, "Original-Recipient"));
    assertEquals("rfc822; bob@example.com", field(rcpt, "Final-Recipient"));
    assertEquals("failed", field(rcpt, "Action"));
    assertEquals("5.1.1", field(rcpt, "Status"));
    assertEquals("dns; mx.example.com", field(rcpt, "Remote-MTA"));
    assertEquals("smtp; 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown",
        field(rcpt, "Diagnostic-Code"));
    assertNull(field(rcpt, "Will-Retry-Until"));

    // 3: the original, whole
    assertEquals("message/rfc822", p.baseType(2));
    assertEquals("Undelivered Message", p.parts.get(2).getDescription());
    assertArrayEquals(CONTENT, p.bytes(2));
    MimeMessage inner = (MimeMessage) p.parts.get(2).getContent();
    assertEquals("quarterly figures", inner.getSubject());
    assertEquals("<orig-1@example.org>", inner.getMessageID());
  }

  @Test
  void recipientsOfOneNoticeGetOneBlockEachInOrder() throws Exception {
    NoticeRequest req = new NoticeRequest(due(NoticeKind.BOUNCE, 0, 1, 2),
        original(DsnRet.FULL, CONTENT),
        List.of(bounced("a@x.example", null),
            Entry.of(Recipient.of("b@y.example"), Action.FAILED, "5.4.4",
                "Host or domain name not found. Name service error for name=y.example type=MX:"
                    + " Host not found", "none"),
            Entry.of(Recipient.of("c@z.example"), Action.FAILED, "4.4.1",
                "connect to mx.z.example[192.0.2.7]:25: Connection timed out", "none")));
    ParsedNotice p = parse(composer().compose(req, NOTICE_ID));
    List<InternetHeaders> ds = p.deliveryStatus();
    assertEquals(4, ds.size());
    assertEquals(List.of("rfc822; a@x.example", "rfc822; b@y.example", "rfc822; c@z.example"),
        ds.subList(1, 4).stream().map(b -> field(b, "Final-Recipient")).toList());
    assertNull(field(ds.get(1), "Original-Recipient"));
    assertEquals("5.4.4", field(ds.get(2), "Status"));
    assertNull(field(ds.get(2), "Remote-MTA"));
    assertTrue(field(ds.get(2), "Diagnostic-Code").startsWith("X-Gannet; Host or domain name"));
    // an expired message reports its last temporary status as failed, as Postfix does
    assertEquals("failed", field(ds.get(3), "Action"));
    assertEquals("4.4.1", field(ds.get(3), "Status"));
  }

  @Test
  void originalRecipientKeepsItsAddressTypeAndShowsInTheHumanPart() throws Exception {
    NoticeRequest req = new NoticeRequest(due(NoticeKind.BOUNCE, 0), original(DsnRet.DEFAULT,
        CONTENT), List.of(bounced("bob.smith@example.com", "rfc822;Bob@Lists.Example.com"),
            bounced("carol@example.com", "x400;/G=Carol/S=X/O=Org/")));
    ParsedNotice p = parse(composer().compose(req, NOTICE_ID));
    List<InternetHeaders> ds = p.deliveryStatus();
    assertEquals("rfc822;Bob@Lists.Example.com", field(ds.get(1), "Original-Recipient"));
    assertEquals("x400;/G=Carol/S=X/O=Org/", field(ds.get(2), "Original-Recipient"));
    assertTrue(p.flatText().contains("<bob.smith@example.com> (expanded from"
        + " <Bob@Lists.Example.com>): "), p.text(0));
  }

  @Test
  void noEnvidAndNullSenderLeaveTheirFieldsOut() throws Exception {
    Original o = new Original(States.QID, "", null, DsnRet.DEFAULT, false, ARRIVAL, CONTENT);
    DueNotice d = new DueNotice(NoticeKind.BOUNCE, Audience.DOUBLE_BOUNCE,
        "double-bounce@mx.example.net", "postmaster@mx.example.net", List.of(0));
    ComposedNotice n = composer().compose(new NoticeRequest(d, o,
        List.of(bounced("bob@example.com", null))), NOTICE_ID);
    ParsedNotice p = parse(n);
    assertEquals("double-bounce@mx.example.net", n.sender());
    assertEquals("postmaster@mx.example.net", p.header("To"));
    assertEquals("Postmaster Copy: Undelivered Mail", p.message.getSubject());
    InternetHeaders msg = p.deliveryStatus().get(0);
    assertNull(field(msg, "Original-Envelope-Id"));
    assertNull(field(msg, "X-Gannet-Sender"));
    assertEquals("message/rfc822", p.baseType(2));
  }

  // ---- What is returned of the original ---------------------------------------------------

  @Test
  void retHdrsReturnsOnlyTheHeaders() throws Exception {
    NoticeRequest req = new NoticeRequest(due(NoticeKind.BOUNCE, 0), original(DsnRet.HDRS,
        CONTENT), List.of(bounced("bob@example.com", null)));
    ParsedNotice p = parse(composer().compose(req, NOTICE_ID));
    assertEquals("text/rfc822-headers", p.baseType(2));
    assertEquals("Undelivered Message Headers", p.parts.get(2).getDescription());
    assertEquals(HEADERS, p.text(2));
    assertFalse(new String(p.raw, StandardCharsets.US_ASCII).contains("the figures are"));
  }

  @Test
  void largeOriginalIsReturnedAsHeadersWithANote() throws Exception {
    NoticeRequest req = new NoticeRequest(due(NoticeKind.BOUNCE, 0), original(DsnRet.FULL,
        CONTENT), List.of(bounced("bob@example.com", null)));
    ParsedNotice p = parse(composer("bounce_size_limit", "100").compose(req, NOTICE_ID));
    assertEquals("text/rfc822-headers", p.baseType(2));
    assertEquals(HEADERS, p.text(2));
    assertTrue(p.flatText().contains("larger than 100 bytes"), p.text(0));
  }

  @Test
  void bodyWithOverlongLineIsLeftOutAndBadHeadersLeaveTheOriginalOut() throws Exception {
    String longLine = "x".repeat(1500);
    byte[] longBody = (HEADERS + "\r\n" + longLine + "\r\n").getBytes(StandardCharsets.US_ASCII);
    ParsedNotice p = parse(composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0),
        original(DsnRet.FULL, longBody), List.of(bounced("bob@example.com", null))), NOTICE_ID));
    assertEquals("text/rfc822-headers", p.baseType(2));
    assertTrue(p.flatText().contains("lines longer than 998 bytes"), p.text(0));

    byte[] longHeader = ("X-Long: " + longLine + "\r\n\r\nbody\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    ParsedNotice q = parse(composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0),
        original(DsnRet.FULL, longHeader), List.of(bounced("bob@example.com", null))),
        NOTICE_ID));
    assertEquals(2, q.parts.size());
    assertTrue(q.flatText().contains("is not included: its headers"), q.text(0));

    ParsedNotice r = parse(composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0),
        original(DsnRet.FULL, null), List.of(bounced("bob@example.com", null))), NOTICE_ID));
    assertEquals(2, r.parts.size());
    assertTrue(r.flatText().contains("could not be read"), r.text(0));
  }

  @Test
  void bareLineEndsOfTheOriginalBecomeCrlf() throws Exception {
    byte[] bare = "Subject: bare\nFrom: a@b.example\n\nline one\rline two\nlast"
        .getBytes(StandardCharsets.US_ASCII);
    ParsedNotice p = parse(composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0),
        original(DsnRet.FULL, bare), List.of(bounced("bob@example.com", null))), NOTICE_ID));
    assertEquals("Subject: bare\r\nFrom: a@b.example\r\n\r\nline one\r\nline two\r\nlast\r\n",
        p.text(2));
  }

  @Test
  void eightBitOriginalMakesAn8bitNotice() throws Exception {
    byte[] latin = (HEADERS + "\r\nGr\u00fc\u00dfe\r\n").getBytes(StandardCharsets.ISO_8859_1);
    ComposedNotice n = composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0),
        original(DsnRet.FULL, latin), List.of(bounced("bob@example.com", null))), NOTICE_ID);
    ParsedNotice p = parse(n);
    assertEquals(BodyType.EIGHT_BIT_MIME, n.body());
    assertEquals("8bit", p.header("Content-Transfer-Encoding"));
    assertEquals("8bit", p.parts.get(2).getHeader("Content-Transfer-Encoding")[0]);
    assertArrayEquals(latin, p.bytes(2));
  }

  @Test
  void boundaryNeverOccursInTheOriginal() throws Exception {
    // The boundary the composer would choose first, planted in the original.
    ParsedNotice first = parse(composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0),
        original(DsnRet.FULL, CONTENT), List.of(bounced("bob@example.com", null))), NOTICE_ID));
    String planted = first.type.getParameter("boundary");
    byte[] tricky = (HEADERS + "\r\n--" + planted + "\r\nnot a part\r\n--" + planted
        + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    ParsedNotice p = parse(composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0),
        original(DsnRet.FULL, tricky), List.of(bounced("bob@example.com", null))), NOTICE_ID));
    assertFalse(planted.equals(p.type.getParameter("boundary")));
    assertEquals(3, p.parts.size());
    assertArrayEquals(tricky, p.bytes(2));
  }

  // ---- Delay and success ------------------------------------------------------------------

  @Test
  void delayWarningReturnsHeadersAndSaysUntilWhenItRetries() throws Exception {
    var state = new States().deferred(4, 0);
    state.envid = "ENV-42";
    NoticeRequest req = NoticeRequest.of(due(NoticeKind.DELAY, 0), state.build(), Map.of(),
        CONTENT);
    ComposedNotice n = composer("maximal_queue_lifetime", "3d").compose(req, NOTICE_ID);
    ParsedNotice p = parse(n);
    assertEquals("Delayed Mail (still being retried)", p.message.getSubject());
    assertTrue(p.flatText().contains("This is a warning only"), p.text(0));
    assertTrue(p.flatText().contains("after 6 hours"), p.text(0));
    assertTrue(p.flatText().contains("until the message is 3 days old"), p.text(0));
    InternetHeaders rcpt = p.deliveryStatus().get(1);
    assertEquals("delayed", field(rcpt, "Action"));
    assertEquals("4.3.0", field(rcpt, "Status"));
    assertEquals("dns; mx.example.com", field(rcpt, "Remote-MTA"));
    assertEquals("smtp; 451 4.3.0 try again later", field(rcpt, "Diagnostic-Code"));
    assertEquals(ARRIVAL + Duration.ofDays(3).toMillis(),
        new MailDateFormat().parse(field(rcpt, "Will-Retry-Until")).getTime());
    assertEquals("text/rfc822-headers", p.baseType(2));
    assertEquals(HEADERS, p.text(2));
  }

  @Test
  void successReportNamesTheRelayAndReturnsHeaders() throws Exception {
    var state = new States().recipients(
        new Recipient("bob@example.com", "rfc822;bob@example.com", Recipient.NOTIFY_SUCCESS))
        .delivered(0).build();
    var record = new JournalRecord.Delivered(States.QID, ARRIVAL + 1000,
        "mx.example.com[192.0.2.1]:25",
        List.of(new RecipientResult(0, "bob@example.com", "2.0.0", "250 2.0.0 Ok: queued as 4X")));
    Map<Integer, RecipientReport> reports = RecipientReport.of(record).stream()
        .collect(Collectors.toMap(RecipientReport::index, r -> r));
    ComposedNotice n = composer().compose(
        NoticeRequest.of(due(NoticeKind.SUCCESS, 0), state, reports, CONTENT), NOTICE_ID);
    ParsedNotice p = parse(n);
    assertEquals("Successful Mail Delivery Report", p.message.getSubject());
    InternetHeaders rcpt = p.deliveryStatus().get(1);
    assertEquals("delivered", field(rcpt, "Action"));
    assertEquals("2.0.0", field(rcpt, "Status"));
    assertEquals("dns; mx.example.com", field(rcpt, "Remote-MTA"));
    assertEquals("smtp; 250 2.0.0 Ok: queued as 4X", field(rcpt, "Diagnostic-Code"));
    assertEquals("text/rfc822-headers", p.baseType(2));
    assertEquals("Delivered Message Headers", p.parts.get(2).getDescription());
  }

  // ---- SMTPUTF8 -----------------------------------------------------------------------------

  @Test
  void smtputf8OriginalGetsGlobalTypes() throws Exception {
    String headers = "From: J\u00f6rg <j\u00f6rg@b\u00fccher.example>\r\n"
        + "To: \u7528\u6237@\u4f8b\u5b50.example\r\nSubject: gr\u00fc\u00dfe\r\n";
    byte[] content = (headers + "\r\nhallo\r\n").getBytes(StandardCharsets.UTF_8);
    Original o = new Original(States.QID, "j\u00f6rg@b\u00fccher.example", null,
        DsnRet.DEFAULT, true, ARRIVAL, content);
    DueNotice d = new DueNotice(NoticeKind.BOUNCE, Audience.SENDER, "",
        "j\u00f6rg@b\u00fccher.example", List.of(0));
    Entry e = Entry.of(new Recipient("\u7528\u6237@\u4f8b\u5b50.example",
        "utf-8;\u7528\u6237@\u4f8b\u5b50.example", 0), Action.FAILED, "5.1.1", BOUNCE_REPLY,
        null);
    ComposedNotice n = composer().compose(new NoticeRequest(d, o, List.of(e)), NOTICE_ID);
    assertTrue(n.smtputf8());
    assertEquals(BodyType.EIGHT_BIT_MIME, n.body());
    ParsedNotice p = parse(n);
    assertEquals("global-delivery-status", p.type.getParameter("report-type"));
    assertEquals("j\u00f6rg@b\u00fccher.example", p.header("To"));
    assertEquals("message/global-delivery-status", p.baseType(1));
    assertEquals("message/global", p.baseType(2));
    InternetHeaders rcpt = p.deliveryStatus().get(1);
    assertEquals("utf-8; \u7528\u6237@\u4f8b\u5b50.example", field(rcpt, "Final-Recipient"));
    assertEquals("utf-8;\u7528\u6237@\u4f8b\u5b50.example", field(rcpt, "Original-Recipient"));
    assertArrayEquals(content, p.bytes(2));

    NoticeRequest hdrs = new NoticeRequest(d, new Original(States.QID, o.sender(), null,
        DsnRet.HDRS, true, ARRIVAL, content), List.of(e));
    assertEquals("message/global-headers", parse(composer().compose(hdrs, NOTICE_ID))
        .baseType(2));
  }

  @Test
  void nonAsciiWithoutSmtputf8IsEncodedNotLeaked() throws Exception {
    Entry e = Entry.of(new Recipient("\u00fcser@example.com", null, 0), Action.FAILED,
        "5.1.1", "host mx.example.com[192.0.2.1] said: 550 5.1.1 unbekannter Empf\u00e4nger",
        null);
    ComposedNotice n = composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0),
        original(DsnRet.HDRS, CONTENT), List.of(e)), NOTICE_ID);
    for (byte b : n.content()) {
      assertTrue(b >= 0, "notice is ASCII");
    }
    InternetHeaders rcpt = parse(n).deliveryStatus().get(1);
    assertEquals("utf-8; \\x{FC}ser@example.com", field(rcpt, "Final-Recipient"));
    assertEquals("smtp; 550 5.1.1 unbekannter Empf?nger", field(rcpt, "Diagnostic-Code"));
  }

  // ---- Hostile and odd input ----------------------------------------------------------------

  @Test
  void lineBreaksInRepliesCannotInjectFields() throws Exception {
    Entry e = Entry.of(Recipient.of("bob@example.com"), Action.FAILED, "5.7.1",
        "host mx.example.com[192.0.2.1] said: 550 5.7.1 no\r\nBcc: victim@example.net\r\n\r\n"
            + "--fake", null);
    ComposedNotice n = composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0),
        original(DsnRet.HDRS, CONTENT), List.of(e)), NOTICE_ID);
    ParsedNotice p = parse(n);
    assertNull(p.header("Bcc"));
    String text = new String(n.content(), StandardCharsets.US_ASCII);
    assertFalse(text.contains("\r\nBcc:"), text);
    assertEquals(2, p.deliveryStatus().size());
  }

  @Test
  void longDiagnosticsAreFoldedWithinLimits() throws Exception {
    String words = "word ".repeat(400).trim();
    String blob = "y".repeat(3000);
    Entry spaced = Entry.of(Recipient.of("a@example.com"), Action.FAILED, "5.0.0",
        "host mx.example.com[192.0.2.1] said: 550 5.0.0 " + words, null);
    Entry solid = Entry.of(Recipient.of("b@example.com"), Action.FAILED, "5.0.0",
        "host mx.example.com[192.0.2.1] said: 550 5.0.0 " + blob, null);
    ParsedNotice p = parse(composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0, 1),
        original(DsnRet.HDRS, CONTENT), List.of(spaced, solid)), NOTICE_ID));
    List<InternetHeaders> ds = p.deliveryStatus();
    assertEquals(3, ds.size());
    assertEquals("smtp; 550 5.0.0 " + words, field(ds.get(1), "Diagnostic-Code"));
    assertEquals("smtp; 550 5.0.0 " + blob,
        field(ds.get(2), "Diagnostic-Code").replace(" ", "").replace("smtp;5505.0.0",
            "smtp; 550 5.0.0 "));
  }

  @Test
  void badStatusCodesFallBackToTheReplyOrTheActionsClass() {
    assertEquals("5.2.2", Entry.of(Recipient.of("a@x.example"), Action.FAILED, "junk",
        "host h[192.0.2.1] said: 552 5.2.2 mailbox full", null).status());
    assertEquals("5.0.0", Entry.of(Recipient.of("a@x.example"), Action.FAILED, "2.0.0",
        "rejected", null).status());
    assertEquals("4.0.0", Entry.of(Recipient.of("a@x.example"), Action.DELAYED, null, null,
        null).status());
    assertThrows(IllegalArgumentException.class, () -> new Entry("a@x.example", null,
        Action.DELIVERED, "5.1.1", null, null, null, "x"));
    assertThrows(IllegalArgumentException.class, () -> new Entry("a@x.example", null,
        Action.FAILED, "5.1", null, null, null, "x"));
  }

  @Test
  void recipientWithLineBreakIsRefused() {
    DueNotice d = new DueNotice(NoticeKind.BOUNCE, Audience.SENDER, "", "a@x.example\r\nBcc: b",
        List.of(0));
    assertThrows(IllegalArgumentException.class, () -> composer().compose(
        new NoticeRequest(d, original(DsnRet.HDRS, CONTENT),
            List.of(bounced("bob@example.com", null))), NOTICE_ID));
  }

  @Test
  void acceptedRecordQueuesTheNoticeFromGannetItself() {
    ComposedNotice n = composer().compose(new NoticeRequest(due(NoticeKind.BOUNCE, 0),
        original(DsnRet.HDRS, CONTENT), List.of(bounced("bob@example.com", null))), NOTICE_ID);
    JournalRecord.Accepted a = n.accepted(NOW.toEpochMilli());
    assertEquals(NOTICE_ID, a.queueId());
    assertEquals("", a.sender());
    assertEquals(List.of(Recipient.of("alice@example.org")), a.recipients());
    assertTrue(ComposedNotice.isNotice(a.client()));
    assertArrayEquals(n.content(), a.content());
    assertEquals(BodyType.SEVEN_BIT, a.body());
  }
}
