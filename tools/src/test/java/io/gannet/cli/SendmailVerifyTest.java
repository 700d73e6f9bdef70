package io.gannet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.agent.testing.SmtpSink;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gannet sendmail -bv}: addresses are resolved and asked at their destination
 * (MAIL FROM:&lt;&gt;, RCPT TO, QUIT) and nothing is delivered; {@code -v} prints the report,
 * without it the report is mailed to the sender (it waits in maildrop while the daemon is down).
 */
class SendmailVerifyTest {
  @TempDir Path dir;
  private MailSystemFixture mail;
  private SmtpSink sink;

  @BeforeEach
  void setUp() throws Exception {
    sink = SmtpSink.smtp().onRcpt(a -> a.contains("nobody@") ? "550 5.1.1 no such user" : null);
    mail = new MailSystemFixture(dir).configure(sink.nexthop());
    Files.createDirectories(mail.queue);
  }

  @AfterEach
  void tearDown() {
    mail.close();
    sink.close();
  }

  @Test
  void verboseVerificationPrintsOneVerdictPerAddressAndDeliversNothing() throws Exception {
    MailSystemFixture.Run r = mail.withInput("", "sendmail", "-bv", "-v", "someone@dest.test",
        "nobody@dest.test");
    assertEquals(0, r.exitCode(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(2, lines.length, r.out());
    assertTrue(lines[0].startsWith("<someone@dest.test>: deliverable via smtp:[127.0.0.1]:"),
        lines[0]);
    assertTrue(lines[0].endsWith("(in reply to RCPT TO command)"), lines[0]);
    assertTrue(lines[1].startsWith("<nobody@dest.test>: undeliverable via "), lines[1]);
    assertTrue(lines[1].contains("550 5.1.1 no such user"), lines[1]);
    assertTrue(sink.messages().isEmpty(), "nothing is delivered");
    assertTrue(sink.commandLines().stream().anyMatch(l -> l.equals("MAIL FROM:<>")),
        sink.commandLines().toString());
    assertTrue(sink.commandLines().stream().noneMatch(l -> l.equals("DATA")));
  }

  @Test
  void withoutVerboseTheReportIsMailedToTheSender() throws Exception {
    MailSystemFixture.Run r = mail.withInput("", "sendmail", "-bv", "-f", "alice@client.test",
        "someone@dest.test");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(1, mail.maildrop().size(), "the report waits for pickup");
  }
}
