package io.gannet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.agent.testing.SmtpSink;
import io.gannet.global.DsnRet;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.pickup.Maildrop;
import io.gannet.pickup.Submission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gannet sendmail} and pickup: a message submitted while the daemon is down waits in
 * maildrop and is queued when the daemon starts; one submitted while it runs is queued before the
 * command returns; {@code -t}, {@code -F}, the exit codes of sendmail(1).
 */
class SendmailCommandTest {
  @TempDir Path dir;
  private MailSystemFixture mail;
  private SmtpSink sink;

  @BeforeEach
  void setUp() throws Exception {
    sink = SmtpSink.smtp();
    mail = new MailSystemFixture(dir).configure(sink.nexthop());
    Files.createDirectories(mail.queue);
  }

  @AfterEach
  void tearDown() {
    mail.close();
    sink.close();
  }

  private Submission waiting(int i) throws Exception {
    return Maildrop.read(mail.maildrop().get(i), 1 << 20);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void withTheDaemonDownTheMessageWaitsInMaildropAndIsQueuedWhenItStarts() throws Exception {
    MailSystemFixture.Run r = mail.withInput("Subject: hello\nX-Test: 1\n\nfirst line\n.\nafter\n",
        "sendmail", "-f", "alice@client.test", "-N", "success,failure", "-R", "hdrs",
        "bob@dest.test");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().startsWith("sendmail: warning: the mail system is not running; the "
        + "message waits in maildrop as "), r.err());
    assertEquals(1, mail.maildrop().size());
    Submission s = waiting(0);
    assertEquals("alice@client.test", s.sender());
    assertEquals(DsnRet.HDRS, s.ret());
    assertEquals(List.of(new Recipient("bob@dest.test", null,
        Recipient.NOTIFY_SUCCESS | Recipient.NOTIFY_FAILURE)), s.recipients());
    assertEquals("Subject: hello\r\nX-Test: 1\r\n\r\nfirst line\r\n", text(s.content()),
        "the single dot ends the message");
    assertTrue(mail.journal().isEmpty(), "nothing queued yet");

    mail.start();
    SmtpSink.Message m = sink.awaitMessages(1, Duration.ofSeconds(30)).get(0);
    assertEquals(List.of("bob@dest.test"), m.recipients());
    assertEquals("alice@client.test", m.sender());
    String t = m.text();
    assertTrue(t.startsWith("Received: by relay.test (Gannet)"), t);
    assertTrue(t.contains("\r\nSubject: hello\r\nX-Test: 1\r\n"), t);
    assertTrue(t.contains("\r\nMessage-ID: <"), "cleanup adds Message-ID: " + t);
    assertTrue(t.contains("\r\nDate: "), t);
    assertTrue(t.contains("\r\nFrom: alice@client.test\r\n"), t);
    assertTrue(t.endsWith("\r\n\r\nfirst line\r\n"), t);
    MailSystemFixture.await(() -> {
      try {
        return mail.maildrop().isEmpty();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "the file removed once journaled (delivery may come first)");
    Accepted a = mail.records(Accepted.class, null).get(0);
    assertEquals("LOCAL", a.client().protocol());
    assertEquals(s.submitted(), a.time(), "arrival time is the submission time");
  }

  @Test
  void withTheDaemonRunningTheMessageIsQueuedBeforeSendmailReturns() throws Exception {
    mail.start();
    MailSystemFixture.Run r = mail.withInput("Subject: now\n\n.\n", "sendmail", "-v", "-i",
        "-f", "<>", "carol@dest.test", "dave@dest.test");
    assertEquals(0, r.exitCode(), r.err());
    List<Accepted> accepted = mail.records(Accepted.class, null);
    assertEquals(1, accepted.size(), "journaled before sendmail returned");
    assertEquals("sendmail: queued as " + accepted.get(0).queueId() + "\n", r.err());
    assertEquals("", accepted.get(0).sender(), "the null sender");
    assertEquals(List.of(), mail.maildrop());
    SmtpSink.Message m = sink.awaitMessages(1, Duration.ofSeconds(30)).get(0);
    assertEquals(List.of("carol@dest.test", "dave@dest.test"), m.recipients());
    assertTrue(m.text().endsWith("\r\n\r\n..\r\n") || m.text().endsWith("\r\n\r\n.\r\n"),
        "-i: the dot line is content: " + m.text());
    assertTrue(m.text().contains("From: MAILER-DAEMON"), m.text());
  }

  @Test
  void dashTTakesRecipientsFromTheHeadersAndRemovesBcc() throws Exception {
    String message = "From: Me <me@client.test>\n"
        + "To: \"Ann Example\" <ann@dest.test>, bob@dest.test\n"
        + "Cc: team: cy@dest.test, (comment) dee@dest.test;\n"
        + "Bcc: hidden@dest.test,\n  also-hidden@dest.test\n"
        + "Subject: t\n\nbody\n";
    MailSystemFixture.Run r = mail.withInput(message, "sendmail", "-t", "-f", "me@client.test",
        "extra@dest.test");
    assertEquals(0, r.exitCode(), r.err());
    Submission s = waiting(0);
    assertEquals(List.of("extra@dest.test", "ann@dest.test", "bob@dest.test", "cy@dest.test",
        "dee@dest.test", "hidden@dest.test", "also-hidden@dest.test"),
        s.recipients().stream().map(Recipient::address).toList());
    assertEquals("From: Me <me@client.test>\r\n"
        + "To: \"Ann Example\" <ann@dest.test>, bob@dest.test\r\n"
        + "Cc: team: cy@dest.test, (comment) dee@dest.test;\r\n"
        + "Subject: t\r\n\r\nbody\r\n", text(s.content()));

    r = mail.withInput("Resent-To: new@dest.test\nTo: old@dest.test\n\nx\n", "sendmail", "-t");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(List.of(Recipient.of("new@dest.test")), waiting(1).recipients(),
        "a resent message goes to the Resent- recipients only");

    r = mail.withInput("To: undisclosed-recipients:;\n\nx\n", "sendmail", "-t");
    assertEquals(new MailSystemFixture.Run(65, "",
        "sendmail: fatal: no recipient addresses found in message header\n"), r);
    assertEquals(2, mail.maildrop().size());
  }

  @Test
  void dashFullNameAddsAFromHeaderWhenThereIsNone() throws Exception {
    mail.withInput("Subject: x\n\nbody\n", "sendmail", "-F", "Alice Q. Doe", "-f", "alice",
        "bob@dest.test");
    assertTrue(text(waiting(0).content()).startsWith(
        "From: \"Alice Q. Doe\" <alice@origin.test>\r\nSubject: x\r\n"), text(waiting(0).content()));
    mail.withInput("From: Someone <s@client.test>\n\nbody\n", "sendmail", "-F", "Alice",
        "bob@dest.test");
    assertTrue(text(waiting(1).content()).startsWith("From: Someone <s@client.test>\r\n\r\n"));
  }

  @Test
  void usageAndDataErrorsExitAsSendmailAndLeaveNothing() throws Exception {
    assertEquals(new MailSystemFixture.Run(64, "",
        "sendmail: fatal: no recipients specified (give them, or -t)\n"),
        mail.withInput("x\n", "sendmail"));
    assertEquals(64, mail.withInput("x\n", "sendmail", "-N", "sometimes", "a@b.test").exitCode());
    assertEquals(64, mail.withInput("x\n", "sendmail", "-N", "never,success", "a@b.test")
        .exitCode());
    assertEquals(64, mail.withInput("x\n", "sendmail", "-R", "all", "a@b.test").exitCode());
    assertEquals(new MailSystemFixture.Run(64, "",
        "sendmail: fatal: -bs is not supported (only -bm and -bv)\n"),
        mail.withInput("x\n", "sendmail", "-bs", "a@b.test"));
    assertEquals(64, mail.withInput("x\n", "sendmail", "--no-such-option", "a@b.test")
        .exitCode());
    assertEquals(0, mail.withInput("x\n", "sendmail", "-oem", "-odb", "-bm", "a@b.test")
        .exitCode(), "other -o options are ignored");
    assertEquals(1, mail.maildrop().size());

    mail.configure(sink.nexthop(), "message_size_limit = 100");
    MailSystemFixture.Run big = mail.withInput("Subject: big\n\n" + "x".repeat(200) + "\n",
        "sendmail", "a@b.test");
    assertEquals(new MailSystemFixture.Run(65, "",
        "sendmail: fatal: message file too big (message_size_limit = 100)\n"), big);
    assertEquals(1, mail.maildrop().size());
    assertEquals(0, mail.journal().size());
  }

  @Test
  void aMissingQueueDirectoryIsAConfigurationError() throws Exception {
    mail.configure(sink.nexthop(), "queue_directory = " + dir.resolve("nowhere"));
    MailSystemFixture.Run r = mail.withInput("x\n", "sendmail", "a@b.test");
    assertEquals(78, r.exitCode());
    assertFalse(Files.exists(dir.resolve("nowhere")));
  }

  @Test
  void aMessageThatCleanupRefusesIsReportedToAWaitingSendmail() throws Exception {
    Path checks = mail.conf.resolve("header_checks");
    Files.writeString(checks, "/^Subject: spam/ REJECT no spam here\n");
    mail.configure(sink.nexthop(), "header_checks = regexp:" + checks);
    mail.start();
    MailSystemFixture.Run r = mail.withInput("Subject: spam\n\nx\n", "sendmail", "a@dest.test");
    assertEquals(69, r.exitCode(), r.err());
    assertTrue(r.err().startsWith("sendmail: fatal: message rejected: 5"), r.err());
    assertEquals(List.of(), mail.maildrop());
    assertTrue(mail.records(Accepted.class, null).isEmpty());
  }

  @Test
  void pickupSetsAsideFilesItCannotReadAndQueuesTheOthers() throws Exception {
    mail.withInput("Subject: good\n\nx\n", "sendmail", "a@dest.test");
    Path maildrop = mail.queue.resolve("maildrop");
    Files.writeString(maildrop.resolve("0garbage"), "not a maildrop file");
    byte[] good = Files.readAllBytes(mail.maildrop().get(1));
    Files.write(maildrop.resolve("1truncated"), java.util.Arrays.copyOf(good, good.length - 9));
    mail.start();
    sink.awaitMessages(1, Duration.ofSeconds(30));
    MailSystemFixture.await(() -> Files.exists(mail.queue.resolve("corrupt/1truncated")),
        "the truncated file set aside");
    assertTrue(Files.exists(mail.queue.resolve("corrupt/0garbage")));
    assertEquals(List.of(), mail.maildrop());
    assertEquals(1, mail.records(Accepted.class, null).size());
    assertTrue(mail.records(JournalRecord.Held.class, null).isEmpty());
  }

  @Test
  void flushGoesThroughTheRunningDaemon() throws Exception {
    assertEquals(new MailSystemFixture.Run(1, "",
        "gannet: fatal: the mail system is not running\n"), mail.gannet("flush"));
    mail.start();
    assertEquals(new MailSystemFixture.Run(0, "", ""), mail.gannet("flush"));
    assertEquals(new MailSystemFixture.Run(0, "", ""), mail.gannet("flush", "-s", "dest.test"));
    MailSystemFixture.Run r = mail.gannet("flush", "-i", "00000000000000");
    assertEquals(new MailSystemFixture.Run(1, "",
        "gannet: fatal: 00000000000000: no such deferred message\n"), r);
    assertEquals(2, mail.gannet("flush", "-i", "bad").exitCode());
  }
}
