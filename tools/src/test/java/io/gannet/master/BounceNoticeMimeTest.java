package io.gannet.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.agent.testing.SmtpSink;
import io.gannet.cli.ConfigOption;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounce produced end to end by a running Gannet (smtpd, qmgr, the smtp agent, the notice
 * generator, the smtp agent again), parsed back with Jakarta Mail and checked field by field
 * against RFC 3464 (and RFC 3461's ENVID, ORCPT, RET, RFC 3462's multipart/report, RFC 3834's
 * Auto-Submitted).
 */
class BounceNoticeMimeTest {

  @TempDir Path dir;
  private Gannet gannet;
  private StandardAgents agents;
  private SmtpSink sink;

  @AfterEach
  void tearDown() {
    if (gannet != null) {
      gannet.close();
    }
    if (agents != null) {
      agents.close();
    }
    if (sink != null) {
      sink.close();
    }
  }

  private InetSocketAddress start(String relayhost) throws Exception {
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf);
    Files.writeString(conf.resolve("main.cf"), String.join("\n",
        "queue_directory = " + dir.resolve("var"),
        "myhostname = relay.test",
        "mynetworks = 127.0.0.0/8",
        "relayhost = " + relayhost,
        "smtp_connect_timeout = 2s", ""));
    Files.writeString(conf.resolve("master.cf"), String.join("\n",
        "127.0.0.1:0 inet n - n - - smtpd",
        "smtp unix - - n - - smtp",
        "relay unix - - n - - smtp", ""));
    ConfigOption.Loaded loaded = ConfigOption.read(conf.toString(), w -> { });
    agents = new StandardAgents(Clock.systemUTC(), List.of());
    gannet = GannetComponent.build(loaded.config(), loaded.master(), conf, Clock.systemUTC(),
        agents);
    return gannet.start().get(0);
  }

  @Test
  void aBounceParsesAsAnRfc3464DeliveryStatusNotification() throws Exception {
    sink = SmtpSink.smtp();
    sink.onRcpt(a -> a.startsWith("nobody@") ? "550 5.1.1 no such user" : null);
    InetSocketAddress smtpd = start(sink.nexthop());
    String queued = sendWithDsn(smtpd);
    assertTrue(queued.startsWith("250 2.0.0 Ok: queued as "), queued);
    String queueId = queued.substring("250 2.0.0 Ok: queued as ".length()).trim();

    // the original reaches the sink for ok@, then the notice for the sender
    List<SmtpSink.Message> got = sink.awaitMessages(2, Duration.ofSeconds(30));
    SmtpSink.Message notice = got.stream().filter(m -> m.sender().isEmpty()).findFirst()
        .orElseThrow(() -> new AssertionError("no notice from the null sender: " + got));
    assertEquals(List.of("s@client.test"), notice.recipients());

    MimeMessage msg = new MimeMessage(Session.getInstance(new Properties()),
        new ByteArrayInputStream(notice.content()));
    InternetAddress from = (InternetAddress) msg.getFrom()[0];
    assertEquals("MAILER-DAEMON@relay.test", from.getAddress());
    assertEquals("s@client.test", ((InternetAddress) msg.getRecipients(
        jakarta.mail.Message.RecipientType.TO)[0]).getAddress());
    assertEquals("auto-replied", msg.getHeader("Auto-Submitted", null));
    assertNotNull(msg.getSubject());
    assertNotNull(msg.getSentDate(), "Date");
    assertNotNull(msg.getMessageID());
    ContentType type = new ContentType(msg.getContentType());
    assertTrue(type.match("multipart/report"), type.toString());
    assertEquals("delivery-status", type.getParameter("report-type"));

    MimeMultipart parts = (MimeMultipart) msg.getContent();
    assertEquals(3, parts.getCount(), "human text, delivery status, returned headers");
    BodyPart human = parts.getBodyPart(0);
    assertTrue(human.isMimeType("text/plain"), human.getContentType());
    String text = new String(human.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertTrue(text.contains("nobody@dest.test"), text);
    assertFalse(text.contains("ok@dest.test"), "only the failed recipient is reported: " + text);

    BodyPart status = parts.getBodyPart(1);
    assertTrue(status.isMimeType("message/delivery-status"), status.getContentType());
    List<InternetHeaders> groups = fieldGroups(status.getInputStream());
    assertEquals(2, groups.size(), "per-message fields and one recipient: " + groups.size());
    InternetHeaders perMessage = groups.get(0);
    assertEquals("env-42", field(perMessage, "Original-Envelope-Id"));
    assertEquals("dns; relay.test", field(perMessage, "Reporting-MTA"));
    assertEquals(queueId, field(perMessage, "X-Gannet-Queue-ID"));
    assertNotNull(new MailDateFormat().parse(field(perMessage, "Arrival-Date")),
        "Arrival-Date is an RFC 5322 date");
    InternetHeaders rcpt = groups.get(1);
    assertEquals("rfc822;Nobody@dest.test", field(rcpt, "Original-Recipient"));
    assertEquals("rfc822; nobody@dest.test", field(rcpt, "Final-Recipient"));
    assertEquals("failed", field(rcpt, "Action"));
    assertEquals("5.1.1", field(rcpt, "Status"));
    assertEquals("dns; 127.0.0.1", field(rcpt, "Remote-MTA"), "the relayhost that refused");
    assertEquals("smtp; 550 5.1.1 no such user", field(rcpt, "Diagnostic-Code"));

    BodyPart returned = parts.getBodyPart(2);
    assertTrue(returned.isMimeType("text/rfc822-headers"), "RET=HDRS: "
        + returned.getContentType());
    String headers = new String(returned.getInputStream().readAllBytes(),
        StandardCharsets.US_ASCII);
    assertTrue(headers.contains("Subject: dsn test"), headers);
    assertFalse(headers.contains("the body"), "RET=HDRS returns no body: " + headers);
  }

  /** One SMTP transaction with DSN parameters; returns the reply to the end of data. */
  private static String sendWithDsn(InetSocketAddress to) throws Exception {
    try (Socket s = new Socket(to.getAddress(), to.getPort())) {
      s.setSoTimeout(30_000);
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = s.getOutputStream();
      read(in);
      assertTrue(command(out, in, "EHLO client.test").startsWith("250"));
      String mail = command(out, in, "MAIL FROM:<s@client.test> RET=HDRS ENVID=env-42");
      assertTrue(mail.startsWith("250"), mail);
      String rcpt = command(out, in,
          "RCPT TO:<nobody@dest.test> NOTIFY=FAILURE ORCPT=rfc822;Nobody@dest.test");
      assertTrue(rcpt.startsWith("250"), rcpt);
      assertTrue(command(out, in, "RCPT TO:<ok@dest.test>").startsWith("250"));
      assertTrue(command(out, in, "DATA").startsWith("354"));
      String reply = command(out, in,
          "Subject: dsn test\r\nFrom: s@client.test\r\n\r\nthe body\r\n.");
      command(out, in, "QUIT");
      return reply;
    }
  }

  private static String command(OutputStream out, BufferedReader in, String line)
      throws Exception {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return read(in);
  }

  private static String read(BufferedReader in) throws Exception {
    String line;
    do {
      line = in.readLine();
    } while (line != null && line.length() > 3 && line.charAt(3) == '-');
    return line;
  }

  /** The groups of RFC 822-style fields of a delivery-status body (RFC 3464 section 2.1). */
  private static List<InternetHeaders> fieldGroups(InputStream body) throws Exception {
    PushbackInputStream in = new PushbackInputStream(body, 2);
    List<InternetHeaders> groups = new ArrayList<>();
    while (true) {
      int c;
      while ((c = in.read()) == '\r' || c == '\n') {
        // blank lines between groups
      }
      if (c < 0) {
        return groups;
      }
      in.unread(c);
      groups.add(new InternetHeaders(in));
    }
  }

  /** The one value of a field, unfolded; null when absent. */
  private static String field(InternetHeaders group, String name) {
    String[] values = group.getHeader(name);
    if (values == null) {
      return null;
    }
    assertEquals(1, values.length, name + " appears once");
    return values[0].replaceAll("\r?\n[ \t]+", " ").trim();
  }

  @Test
  void fieldGroupsSplitsOnBlankLines() throws Exception {
    List<InternetHeaders> g = fieldGroups(new ByteArrayInputStream(
        "A: 1\r\n\r\nB: 2\r\nC: 3\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(2, g.size());
    assertEquals("1", field(g.get(0), "A"));
    assertEquals("3", field(g.get(1), "C"));
    assertNull(field(g.get(1), "A"));
  }
}
