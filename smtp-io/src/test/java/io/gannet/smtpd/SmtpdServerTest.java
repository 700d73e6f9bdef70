package io.gannet.smtpd;

import io.gannet.journal.MutableClock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.anvil.Anvil;
import io.gannet.global.BodyType;
import io.gannet.global.Config;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.Journal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalException;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** smtpd over loopback against the real ChronicleJournal in a temporary directory. */
class SmtpdServerTest {

  static {
    LogCapture.enable();
  }

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(1_800_000_000_000L);
  private final List<String> flushed = new CopyOnWriteArrayList<>();
  private ChronicleJournal chronicle;
  private Journal journal;
  private SmtpdServer server;
  private LogCapture logs;

  @BeforeEach
  void openJournal() {
    chronicle = ChronicleJournal.open(dir.resolve("journal"), JournalOptions.defaults());
    journal = chronicle;
    logs = new LogCapture();
  }

  @AfterEach
  void closeAll() {
    if (server != null) {
      server.close();
    }
    chronicle.close();
    logs.close();
  }

  private InetSocketAddress start(String... settings) throws Exception {
    return start(0, settings);
  }

  private InetSocketAddress start(int maxproc, String... settings) throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put("myhostname", "mx.example.com");
    for (int i = 0; i < settings.length; i += 2) {
      m.put(settings[i], settings[i + 1]);
    }
    Config config = Config.of(m);
    SmtpdServices services =
        new SmtpdServices(
            journal,
            new TestCleanup(),
            new TestRewrite(),
            clock,
            new QueueIdGenerator(clock),
            new Anvil(clock, 60_000),
            domain -> flushed.add(domain));
    if (server != null) {
      server.close();
    }
    server = new SmtpdServer(services, 1);
    return server
        .start(
            List.of(new Listener("smtp", new InetSocketAddress("127.0.0.1", 0), maxproc, config)))
        .get(0);
  }

  private List<JournalRecord> journaled() {
    List<JournalRecord> out = new ArrayList<>();
    try (JournalReader r = journal.reader()) {
      for (JournalEntry e; (e = r.next()) != null; ) {
        assertFalse(e.isCorrupt(), e.corrupt());
        out.add(e.record());
      }
    }
    return out;
  }

  private static String queuedId(String reply) {
    assertTrue(reply.startsWith("250 2.0.0 Ok: queued as "), reply);
    return reply.substring("250 2.0.0 Ok: queued as ".length());
  }

  private List<String> waitForLog(String text) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      List<String> l = logs.lines(text);
      if (!l.isEmpty()) {
        return l;
      }
      Thread.sleep(10); // waits for the server thread's log line, not for a timer
    }
    return logs.lines(text);
  }

  // ---- The basic transaction ---------------------------------------------------------------

  @Test
  void messageIsAnsweredQueuedOnlyOnceItIsInTheJournal() throws Exception {
    InetSocketAddress a = start();
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      assertEquals("220 mx.example.com ESMTP Gannet", c.reply());
      assertTrue(c.command("EHLO client.example").startsWith("250-mx.example.com\n"));
      assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<sender@client.example>"));
      assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<user@example.com>"));
      assertEquals("354 End data with <CR><LF>.<CR><LF>", c.command("DATA"));
      String id = queuedId(c.command("Subject: test\r\n\r\nHello\r\n..dot\r\n."));
      List<JournalRecord> records = journaled();
      assertEquals(1, records.size());
      JournalRecord.Accepted acc = assertInstanceOf(JournalRecord.Accepted.class, records.get(0));
      assertEquals(id, acc.queueId().toString());
      assertEquals("sender@client.example", acc.sender());
      assertEquals(List.of(Recipient.of("user@example.com")), acc.recipients());
      assertArrayEquals(
          "Subject: test\r\n\r\nHello\r\n.dot\r\n".getBytes(StandardCharsets.UTF_8), acc.content());
      assertEquals("127.0.0.1", acc.client().address());
      assertEquals("client.example", acc.client().helo());
      assertEquals("ESMTP", acc.client().protocol());
      assertEquals(clock.millis(), acc.time());
      assertEquals("221 2.0.0 Bye", c.command("QUIT"));
      assertTrue(c.closedByServer());
      assertEquals(1, waitForLog(id + ": client=localhost[127.0.0.1]").size());
      assertEquals(
          1,
          waitForLog(
                  "disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 "
                      + "data=1 quit=1 commands=5")
              .size());
    }
  }

  @Test
  void ehloAdvertisesTheExtensions() throws Exception {
    InetSocketAddress a = start("message_size_limit", "5000");
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      assertEquals(
          String.join(
              "\n",
              "250-mx.example.com",
              "250-PIPELINING",
              "250-SIZE 5000",
              "250-VRFY",
              "250-ETRN",
              "250-ENHANCEDSTATUSCODES",
              "250-8BITMIME",
              "250-DSN",
              "250-SMTPUTF8",
              "250 CHUNKING"),
          c.command("EHLO x"));
      assertEquals("250 mx.example.com", c.command("HELO x"));
    }
  }

  @Test
  void pipelinedBatchIsAnsweredInOrder() throws Exception {
    InetSocketAddress a = start("mynetworks", "192.0.2.0/24");
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.send(
          "EHLO client.example\r\nMAIL FROM:<s@client.example>\r\n"
              + "RCPT TO:<a@example.com>\r\nRCPT TO:<b@elsewhere.example>\r\n"
              + "RCPT TO:<c@relay.example>\r\nDATA\r\n");
      assertTrue(c.reply().startsWith("250-mx.example.com"));
      assertEquals("250 2.1.0 Ok", c.reply());
      assertEquals("250 2.1.5 Ok", c.reply());
      assertEquals("554 5.7.1 <b@elsewhere.example>: Relay access denied", c.reply());
      assertEquals("250 2.1.5 Ok", c.reply());
      assertEquals("354 End data with <CR><LF>.<CR><LF>", c.reply());
      c.send(
          "Subject: p\r\n\r\nbody\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<a@example.com>\r\n"
              + "DATA\r\n");
      queuedId(c.reply());
      assertEquals("250 2.1.0 Ok", c.reply());
      assertEquals("250 2.1.5 Ok", c.reply());
      assertEquals("354 End data with <CR><LF>.<CR><LF>", c.reply());
      c.send("x\r\n.\r\nQUIT\r\n");
      queuedId(c.reply());
      assertEquals("221 2.0.0 Bye", c.reply());
    }
    List<JournalRecord> r = journaled();
    assertEquals(2, r.size());
    assertEquals(
        List.of(Recipient.of("a@example.com"), Recipient.of("c@relay.example")),
        ((JournalRecord.Accepted) r.get(0)).recipients());
    assertEquals("", ((JournalRecord.Accepted) r.get(1)).sender());
    assertEquals(
        1,
        waitForLog(
                ": reject: RCPT from localhost[127.0.0.1]: 554 5.7.1 "
                    + "<b@elsewhere.example>: Relay access denied; from=<s@client.example> "
                    + "to=<b@elsewhere.example> proto=ESMTP helo=<client.example>")
            .size());
  }

  // ---- Relay control ------------------------------------------------------------------------

  @Test
  void mynetworksClientMayRelayOthersMayNot() throws Exception {
    InetSocketAddress a = start(); // default mynetworks 127.0.0.0/8
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.command("EHLO x");
      c.command("MAIL FROM:<s@x.example>");
      assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<b@elsewhere.example>"));
    }
    server.close();
    a = start("mynetworks", "[::1]/128 10.0.0.0/8");
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.command("EHLO x");
      c.command("MAIL FROM:<s@x.example>");
      assertEquals(
          "554 5.7.1 <b@elsewhere.example>: Relay access denied",
          c.command("RCPT TO:<b@elsewhere.example>"));
      assertEquals(
          "554 5.7.1 <b%elsewhere.example@example.com>: Relay access denied",
          c.command("RCPT TO:<b%elsewhere.example@example.com>"));
      assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<postmaster>"));
    }
  }

  @Test
  void unknownRestrictionOrOpenRelayConfigurationFailsTheStart() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> start("smtpd_relay_restrictions", "permit_mynetworks, reject_unauth_destnation"));
    assertTrue(
        e.getMessage().contains("unknown smtpd restriction: \"reject_unauth_destnation\""),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> start("smtpd_relay_restrictions", "permit"));
    assertTrue(e.getMessage().contains("reject_unauth_destination"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> start("mynetworks", "mail.example.com"));
    assertTrue(e.getMessage().contains("mynetworks"), e.getMessage());
  }

  // ---- Limits ----------------------------------------------------------------------------

  @Test
  void sizeLimitIsEnforcedAtMailFromAndWhileReceiving() throws Exception {
    InetSocketAddress a = start("message_size_limit", "1000");
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.command("EHLO x");
      assertEquals(
          "552 5.3.4 Message size exceeds fixed limit",
          c.command("MAIL FROM:<s@x.example> SIZE=1001"));
      assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<s@x.example> SIZE=1000"));
      c.command("RCPT TO:<a@example.com>");
      c.command("DATA");
      String big = ("y".repeat(98) + "\r\n").repeat(30);
      assertEquals("552 5.3.4 Message size exceeds fixed limit", c.command(big + "."));
      assertEquals("250 2.0.0 Ok", c.command("RSET"));
      c.command("MAIL FROM:<s@x.example>");
      c.command("RCPT TO:<a@example.com>");
      assertEquals(
          "250 2.0.0 Ok: 500 bytes",
          c.command(
              "BDAT 500\r\n" + "z".repeat(500).substring(0, 500 - "\r\n".length() - 3) + "abc"));
      assertEquals(
          "552 5.3.4 Message size exceeds fixed limit",
          c.command("BDAT 600 LAST\r\n" + "q".repeat(600 - 2)));
    }
    assertEquals(List.of(), journaled());
  }

  @Test
  void recipientLimitGives452() throws Exception {
    InetSocketAddress a = start("smtpd_recipient_limit", "2");
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.command("MAIL FROM:<s@x.example>");
      assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<a@example.com>"));
      assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<b@example.com>"));
      assertEquals("452 4.5.3 Error: too many recipients", c.command("RCPT TO:<c@example.com>"));
    }
  }

  @Test
  void idleClientIsDisconnectedAfterSmtpdTimeout() throws Exception {
    InetSocketAddress a = start("smtpd_timeout", "1s");
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.command("MAIL FROM:<s@x.example>");
      assertEquals("421 4.4.2 mx.example.com Error: timeout exceeded", c.reply());
      assertTrue(c.closedByServer());
    }
    assertEquals(1, waitForLog("timeout after MAIL from localhost[127.0.0.1]").size());
  }

  @Test
  void hardErrorLimitHangsUp() throws Exception {
    InetSocketAddress a = start("smtpd_hard_error_limit", "3");
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      assertEquals("502 5.5.2 Error: command not recognized", c.command("FOO"));
      assertEquals("503 5.5.1 Error: need MAIL command", c.command("RCPT TO:<a@example.com>"));
      c.send("BAR\r\n");
      assertEquals("502 5.5.2 Error: command not recognized", c.reply());
      assertEquals("421 4.7.0 mx.example.com Error: too many errors", c.reply());
      assertTrue(c.closedByServer());
    }
    assertEquals(
        1,
        waitForLog("disconnect from localhost[127.0.0.1] rcpt=0/1 unknown=0/2 " + "commands=0/3")
            .size());
  }

  @Test
  void maxprocRefusesTheConnectionOverIt() throws Exception {
    InetSocketAddress a = start(1);
    try (SmtpTestClient first = new SmtpTestClient(a)) {
      assertTrue(first.reply().startsWith("220 "));
      try (SmtpTestClient second = new SmtpTestClient(a)) {
        assertEquals("421 4.7.0 mx.example.com Error: too many connections", second.reply());
        assertTrue(second.closedByServer());
      }
    }
  }

  // ---- Anvil -------------------------------------------------------------------------------

  @Test
  void connectionCountLimitPerClient() throws Exception {
    InetSocketAddress a =
        start(
            "smtpd_client_connection_count_limit", "1", "smtpd_client_event_limit_exceptions", "");
    try (SmtpTestClient first = new SmtpTestClient(a)) {
      first.reply();
      try (SmtpTestClient second = new SmtpTestClient(a)) {
        assertEquals(
            "421 4.7.0 mx.example.com Error: too many connections from 127.0.0.1", second.reply());
        assertTrue(second.closedByServer());
      }
      assertEquals("250 2.0.0 Ok", first.command("NOOP"));
    }
    assertEquals(
        1,
        waitForLog(
                "Connection concurrency limit exceeded: 2 from "
                    + "localhost[127.0.0.1] for service smtp")
            .size());
  }

  @Test
  void connectionRateLimitFollowsTheInjectedClock() throws Exception {
    InetSocketAddress a =
        start("smtpd_client_connection_rate_limit", "2", "smtpd_client_event_limit_exceptions", "");
    for (int i = 0; i < 2; i++) {
      try (SmtpTestClient c = new SmtpTestClient(a)) {
        assertTrue(c.reply().startsWith("220 "));
      }
    }
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      assertEquals(
          "421 4.7.0 mx.example.com Error: too many connections from 127.0.0.1", c.reply());
    }
    clock.advance(Duration.ofSeconds(60));
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      assertTrue(c.reply().startsWith("220 "));
    }
  }

  @Test
  void messageRateLimitGives450AndMynetworksAreExempt() throws Exception {
    InetSocketAddress a =
        start("smtpd_client_message_rate_limit", "1", "smtpd_client_event_limit_exceptions", "");
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<s@x.example>"));
      c.command("RSET");
      assertEquals(
          "450 4.7.1 Error: too much mail from 127.0.0.1", c.command("MAIL FROM:<s@x.example>"));
    }
    server.close();
    a = start("smtpd_client_message_rate_limit", "1"); // exceptions = $mynetworks
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      for (int i = 0; i < 3; i++) {
        assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<s@x.example>"));
        c.command("RSET");
      }
    }
  }

  // ---- Extensions ----------------------------------------------------------------------------

  @Test
  void dsnAndMailParametersRoundTripIntoTheJournal() throws Exception {
    InetSocketAddress a = start();
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.command("EHLO x");
      assertEquals(
          "250 2.1.0 Ok",
          c.command(
              "MAIL FROM:<s@x.example> RET=HDRS "
                  + "ENVID=QQ+2B314 BODY=8BITMIME SMTPUTF8 SIZE=100"));
      assertEquals(
          "250 2.1.5 Ok",
          c.command(
              "RCPT TO:<a@example.com> NOTIFY=SUCCESS,DELAY " + "ORCPT=rfc822;a+2Bx@example.com"));
      assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<b@example.com> NOTIFY=NEVER"));
      assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<\u00fcser@example.com>"));
      c.command("DATA");
      queuedId(c.command("Subject: d\r\n\r\n\u00e9\r\n."));
    }
    JournalRecord.Accepted acc = (JournalRecord.Accepted) journaled().get(0);
    assertEquals(DsnRet.HDRS, acc.ret());
    assertEquals("QQ+314", acc.envid());
    assertEquals(BodyType.EIGHT_BIT_MIME, acc.body());
    assertTrue(acc.smtputf8());
    assertEquals(
        List.of(
            new Recipient(
                "a@example.com",
                "rfc822;a+x@example.com",
                Recipient.NOTIFY_SUCCESS | Recipient.NOTIFY_DELAY),
            new Recipient("b@example.com", null, Recipient.NOTIFY_NEVER),
            Recipient.of("\u00fcser@example.com")),
        acc.recipients());
  }

  @Test
  void badEsmtpParametersGetPostfixReplies() throws Exception {
    InetSocketAddress a = start();
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.command("EHLO x");
      assertEquals("501 5.5.4 Syntax: MAIL FROM:<address>", c.command("MAIL TO:<a@b>"));
      assertEquals("555 5.5.4 Unsupported option: FOO", c.command("MAIL FROM:<a@b.c> FOO=1"));
      assertEquals(
          "501 5.5.4 Bad BODY keyword syntax", c.command("MAIL FROM:<a@b.c> BODY=BINARYMIME"));
      assertEquals(
          "553 5.6.7 Must declare SMTPUTF8 to send unicode address",
          c.command("MAIL FROM:<\u00e9@b.c>"));
      assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<a@b.c>"));
      assertEquals(
          "501 5.5.4 Error: Bad NOTIFY parameter syntax",
          c.command("RCPT TO:<a@example.com> NOTIFY=NEVER,SUCCESS"));
      assertEquals(
          "501 5.5.4 Error: Bad ORCPT parameter syntax",
          c.command("RCPT TO:<a@example.com> ORCPT=rfc822"));
      assertEquals("501 5.1.3 Bad recipient address syntax", c.command("RCPT TO:<a b@c>"));
      assertEquals("503 5.5.1 Error: nested MAIL command", c.command("MAIL FROM:<a@b.c>"));
      assertEquals("503 5.5.1 Error: need RCPT command", c.command("DATA"));
    }
  }

  @Test
  void bdatChunksMakeOneMessageAndCannotBeMixedWithData() throws Exception {
    InetSocketAddress a = start();
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.command("EHLO x");
      // a chunk without a transaction is read and dropped, then refused
      c.send("BDAT 6\r\nNOOP\r\n");
      assertEquals("503 5.5.1 Error: need MAIL command", c.reply());
      c.command("MAIL FROM:<s@x.example>");
      c.command("RCPT TO:<a@example.com>");
      c.send("BDAT 12\r\nSubject: b\r\n");
      assertEquals("250 2.0.0 Ok: 12 bytes", c.reply());
      assertEquals(
          "503 5.5.1 Error: DATA and BDAT cannot be mixed in one transaction", c.command("DATA"));
      c.send("BDAT 10 LAST\r\n\r\n.\r\nx\n.\r\n");
      String id = queuedId(c.reply());
      assertEquals("250 2.0.0 Ok", c.command("NOOP"));
      JournalRecord.Accepted acc = (JournalRecord.Accepted) journaled().get(0);
      assertEquals(id, acc.queueId().toString());
      assertEquals(
          "Subject: b\r\n\r\n.\r\nx\n.\r\n", new String(acc.content(), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void vrfyEtrnHelpAndForbiddenCommands() throws Exception {
    InetSocketAddress a = start("fast_flush_domains", "relay.example");
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      assertEquals("252 2.0.0 a@example.com", c.command("VRFY <a@example.com>"));
      assertEquals("503 5.5.1 Error: send HELO/EHLO first", c.command("ETRN relay.example"));
      c.command("EHLO x");
      assertEquals("250 Queuing started", c.command("ETRN relay.example"));
      assertEquals(List.of("relay.example"), flushed);
      assertEquals(
          "458 4.3.0 Unable to queue messages for other.example", c.command("ETRN other.example"));
      assertTrue(c.command("HELP").startsWith("214 2.0.0 "));
      assertEquals(
          "221 2.7.0 Error: I can break rules, too. Goodbye.",
          c.command("CONNECT example.com:25 HTTP/1.0"));
      assertTrue(c.closedByServer());
    }
    server.close();
    a = start("disable_vrfy_command", "yes");
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      assertFalse(c.command("EHLO x").contains("VRFY"));
      assertEquals("502 5.5.1 VRFY command is disabled", c.command("VRFY a@example.com"));
    }
  }

  // ---- Smuggling -----------------------------------------------------------------------------

  @Test
  void smugglingSequencesNeverQueueTheSmuggledMessage() throws Exception {
    InetSocketAddress a = start();
    for (String smuggle : List.of("\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r", "\r.\r\n")) {
      try (SmtpTestClient c = new SmtpTestClient(a)) {
        c.reply();
        c.command("EHLO x");
        c.command("MAIL FROM:<s@x.example>");
        c.command("RCPT TO:<a@example.com>");
        c.command("DATA");
        c.send(
            "Subject: one\r\n\r\nbody"
                + smuggle
                + "MAIL FROM:<admin@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
                + "Subject: smuggled\r\n\r\nforged\r\n.\r\n");
        String reply = c.reply();
        assertTrue(reply.startsWith("550 5.5.2 Error: bare <"), reply);
        assertEquals("250 2.0.0 Ok", c.command("NOOP"));
      }
    }
    assertEquals(List.of(), journaled());
  }

  @Test
  void bareLfInCommandIsRefused() throws Exception {
    InetSocketAddress a = start();
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.send("NOOP\nNOOP\r\n");
      assertEquals("500 5.5.2 Error: bare <LF> received", c.reply());
      assertEquals("250 2.0.0 Ok", c.reply());
      assertEquals("500 5.5.0 Error: line too long", c.command("NOOP " + "x".repeat(3000)));
    }
  }

  // ---- Cleanup results and journal failure -------------------------------------------------

  @Test
  void cleanupRejectDiscardAndHold() throws Exception {
    InetSocketAddress a = start();
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.command("EHLO x");
      for (String kind : List.of("reject", "discard", "hold")) {
        c.command("MAIL FROM:<s@x.example>");
        c.command("RCPT TO:<a@example.com>");
        c.command("DATA");
        String reply = c.command("X-Test: " + kind + "\r\n\r\nb\r\n.");
        if (kind.equals("reject")) {
          assertEquals("550 5.7.1 message content rejected", reply);
        } else {
          queuedId(reply);
        }
      }
    }
    List<JournalRecord> r = journaled();
    assertEquals(2, r.size(), r.toString());
    assertInstanceOf(JournalRecord.Accepted.class, r.get(0));
    JournalRecord.Held held = assertInstanceOf(JournalRecord.Held.class, r.get(1));
    assertEquals(r.get(0).queueId(), held.queueId());
  }

  @Test
  void journalFailureAnswers451() throws Exception {
    journal =
        new Journal() {
          @Override
          public CompletionStage<Long> append(JournalRecord record) {
            return CompletableFuture.failedFuture(new JournalException("disk full"));
          }

          @Override
          public JournalReader reader() {
            return chronicle.reader();
          }

          @Override
          public int pendingAppends() {
            return 0;
          }

          @Override
          public long lastIndex() {
            return -1;
          }

          @Override
          public void close() {}
        };
    InetSocketAddress a = start();
    try (SmtpTestClient c = new SmtpTestClient(a)) {
      c.reply();
      c.command("MAIL FROM:<s@x.example>");
      c.command("RCPT TO:<a@example.com>");
      c.command("DATA");
      assertEquals("451 4.3.0 Error: queue file write error", c.command("x\r\n."));
      assertEquals("250 2.0.0 Ok", c.command("NOOP"));
    }
    assertNull(chronicle.reader().next());
  }
}
