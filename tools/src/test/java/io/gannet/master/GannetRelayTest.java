package io.gannet.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.agent.testing.SmtpSink;
import io.gannet.cli.ConfigOption;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gannet as a relay, end to end over loopback: an SMTP client sends to the daemon's smtpd, qmgr
 * schedules, the smtp agent delivers to an in-process SMTP sink ({@code relayhost}).
 */
class GannetRelayTest {

  @TempDir Path dir;
  private Gannet gannet;
  private StandardAgents agents;
  private final List<SmtpSink> sinks = new ArrayList<>();

  @AfterEach
  void tearDown() {
    if (gannet != null) {
      gannet.close();
    }
    if (agents != null) {
      agents.close();
    }
    sinks.forEach(SmtpSink::close);
  }

  private SmtpSink sink(SmtpSink s) {
    sinks.add(s);
    return s;
  }

  private InetSocketAddress start(String relayhost, String... extra) throws Exception {
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf);
    StringBuilder main = new StringBuilder()
        .append("queue_directory = ").append(dir.resolve("var")).append('\n')
        .append("myhostname = relay.test\n")
        .append("mynetworks = 127.0.0.0/8\n")
        .append("relayhost = ").append(relayhost).append('\n')
        .append("smtp_connect_timeout = 2s\n");
    for (String e : extra) {
      main.append(e).append('\n');
    }
    Files.writeString(conf.resolve("main.cf"), main);
    Files.writeString(conf.resolve("master.cf"), String.join("\n",
        "127.0.0.1:0 inet n - n - - smtpd",
        "smtp unix - - n - - smtp",
        "relay unix - - n - - smtp",
        "discard unix - - n - - discard",
        "error unix - - n - - error", ""));
    ConfigOption.Loaded loaded = ConfigOption.read(conf.toString(), w -> { });
    agents = new StandardAgents(Clock.systemUTC(), List.of());
    gannet = GannetComponent.build(loaded.config(), loaded.master(), conf, Clock.systemUTC(),
        agents);
    return gannet.start().get(0);
  }

  /** Sends one message over SMTP; returns the final reply to the end of data. */
  static String send(InetSocketAddress to, String sender, List<String> rcpts, String body)
      throws Exception {
    try (Socket s = new Socket(to.getAddress(), to.getPort())) {
      s.setSoTimeout(30_000);
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = s.getOutputStream();
      read(in);
      command(out, in, "EHLO client.test");
      command(out, in, "MAIL FROM:<" + sender + ">");
      for (String r : rcpts) {
        String reply = command(out, in, "RCPT TO:<" + r + ">");
        assertTrue(reply.startsWith("250"), reply);
      }
      command(out, in, "DATA");
      String reply = command(out, in, "Subject: test\r\n\r\n" + body + "\r\n.");
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

  private List<JournalRecord> journal() {
    List<JournalRecord> out = new ArrayList<>();
    try (JournalReader r = gannet.journal().reader()) {
      JournalEntry e;
      while ((e = r.next()) != null) {
        if (!e.isCorrupt()) {
          out.add(e.record());
        }
      }
    }
    return out;
  }

  private long count(Class<? extends JournalRecord> type) {
    return journal().stream().filter(type::isInstance).count();
  }

  private static void await(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20); // polling a real system, not waiting for a timer
    }
  }

  private void flush() throws Exception {
    gannet.qmgr().call(q -> {
      q.flushAll();
      return null;
    }).get(10, TimeUnit.SECONDS);
  }

  @Test
  void relaysManyMessagesWithManyRecipientsOverReusedConnections() throws Exception {
    SmtpSink sink = sink(SmtpSink.smtp());
    InetSocketAddress smtpd = start(sink.nexthop());
    int n = 60;
    for (int i = 0; i < n; i++) {
      String reply = send(smtpd, "s" + i + "@client.test",
          List.of("a" + i + "@dest.test", "b" + i + "@dest.test", "c" + i + "@other.test"),
          "message " + i);
      assertTrue(reply.startsWith("250 2.0.0 Ok: queued as "), reply);
    }
    List<SmtpSink.Message> got = sink.awaitMessages(n, Duration.ofSeconds(30));
    Set<String> recipients = new HashSet<>();
    for (SmtpSink.Message m : got) {
      recipients.addAll(m.recipients());
    }
    assertEquals(3 * n, recipients.size(), "every recipient delivered");
    assertEquals(n, got.size(), "one transaction carries all recipients of a message");
    await(() -> count(JournalRecord.Done.class) == n, "every message Done");
    assertTrue(sink.connections() < n, "connections are reused: " + sink.connections());
    assertTrue(got.get(0).text().contains("Received: from client.test"), got.get(0).text());
  }

  @Test
  void temporaryFailureThenSuccess() throws Exception {
    SmtpSink sink = sink(SmtpSink.smtp());
    Set<String> refusedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    sink.onRcpt(a -> a.contains("later@") && refusedOnce.add(a)
        ? "450 4.2.0 mailbox busy" : null);
    InetSocketAddress smtpd = start(sink.nexthop());
    send(smtpd, "s@client.test", List.of("now@dest.test", "later@dest.test"), "x");
    await(() -> count(JournalRecord.Deferred.class) == 1, "the deferral");
    JournalRecord.Deferred d = journal().stream().filter(JournalRecord.Deferred.class::isInstance)
        .map(JournalRecord.Deferred.class::cast).findFirst().orElseThrow();
    assertTrue(d.results().get(0).reply().contains("450 4.2.0 mailbox busy"),
        d.results().get(0).reply());
    assertEquals(1, sink.messages().size());
    flush();
    sink.awaitMessages(2, Duration.ofSeconds(30));
    await(() -> count(JournalRecord.Done.class) == 1, "Done");
    assertEquals(List.of("later@dest.test"), sink.messages().get(1).recipients());
  }

  @Test
  void permanentFailureBounces() throws Exception {
    SmtpSink sink = sink(SmtpSink.smtp());
    sink.onRcpt(a -> a.contains("nobody@") ? "550 5.1.1 no such user" : null);
    InetSocketAddress smtpd = start(sink.nexthop());
    send(smtpd, "s@client.test", List.of("nobody@dest.test"), "x");
    await(() -> count(JournalRecord.Bounced.class) == 1, "the bounce");
    JournalRecord.Bounced b = journal().stream().filter(JournalRecord.Bounced.class::isInstance)
        .map(JournalRecord.Bounced.class::cast).findFirst().orElseThrow();
    assertEquals("5.1.1", b.results().get(0).dsn());
    // The sender gets one bounce notice (RFC 3464) from the null sender, through the relay.
    List<SmtpSink.Message> got = sink.awaitMessages(1, Duration.ofSeconds(30));
    SmtpSink.Message notice = got.get(0);
    assertEquals("", notice.sender());
    assertEquals(List.of("s@client.test"), notice.recipients());
    assertTrue(notice.text().contains("report-type=delivery-status"), notice.text());
    assertTrue(notice.text().contains("Final-Recipient: rfc822; nobody@dest.test"), notice.text());
    assertTrue(notice.text().contains("Status: 5.1.1"), notice.text());
    await(() -> count(JournalRecord.Done.class) == 2, "the message and its notice Done");
    assertEquals(1, count(JournalRecord.NoticeQueued.class));
  }

  @Test
  void aDestinationThatIsDownGetsItsMailWhenItComesUp() throws Exception {
    SmtpSink probe = SmtpSink.smtp();
    int port = probe.port();
    probe.close(); // nothing listens there now: connection refused
    InetSocketAddress smtpd = start("[127.0.0.1]:" + port);
    for (int i = 0; i < 5; i++) {
      send(smtpd, "s@client.test", List.of("r" + i + "@dest.test"), "x" + i);
    }
    await(() -> journal().stream().filter(JournalRecord.Deferred.class::isInstance)
        .mapToInt(r -> ((JournalRecord.Deferred) r).results().size()).sum() >= 5,
        "every recipient deferred");
    assertEquals(0, count(JournalRecord.Bounced.class), "a down destination never bounces");
    SmtpSink sink = sink(SmtpSink.smtp(port));
    flush();
    sink.awaitMessages(5, Duration.ofSeconds(30));
    await(() -> count(JournalRecord.Done.class) == 5, "Done");
  }

  @Test
  void mxLookupFallsBackToTheNextExchangeWhenTheFirstIsDown() throws Exception {
    SmtpSink sink = sink(SmtpSink.smtp()); // listens on 127.0.0.1 only
    try (io.gannet.dns.testing.TestDnsServer dns = io.gannet.dns.testing.TestDnsServer.start()) {
      dns.mx("dest.test", 10, "mx1.dest.test").a("mx1.dest.test", "127.0.0.2") // refused
          .mx("dest.test", 20, "mx2.dest.test").a("mx2.dest.test", "127.0.0.1");
      // relayhost without brackets: an MX lookup, on the sink's port
      InetSocketAddress smtpd = start("dest.test:" + sink.port(),
          "dns_resolver = " + dns.resolverAddress());
      send(smtpd, "s@client.test", List.of("r@dest.test"), "via MX");
      SmtpSink.Message m = sink.awaitMessages(1, Duration.ofSeconds(30)).get(0);
      assertEquals(List.of("r@dest.test"), m.recipients());
      assertTrue(dns.queries().stream().anyMatch(q -> q.contains("dest.test")), dns.queries()
          .toString());
      await(() -> count(JournalRecord.Done.class) == 1, "Done");
    }
  }

  @Test
  void reloadSwitchesTheRelayhostWithoutDroppingAnOpenSession() throws Exception {
    SmtpSink before = sink(SmtpSink.smtp());
    SmtpSink after = sink(SmtpSink.smtp());
    InetSocketAddress smtpd = start(before.nexthop());
    send(smtpd, "s@client.test", List.of("one@dest.test"), "before reload");
    before.awaitMessages(1, Duration.ofSeconds(30));
    try (Socket open = new Socket(smtpd.getAddress(), smtpd.getPort())) {
      open.setSoTimeout(30_000);
      BufferedReader in = new BufferedReader(
          new InputStreamReader(open.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = open.getOutputStream();
      read(in);
      command(out, in, "EHLO client.test");

      Path mainCf = dir.resolve("conf").resolve("main.cf");
      Files.writeString(mainCf, Files.readString(mainCf)
          .replace("relayhost = " + before.nexthop(), "relayhost = " + after.nexthop()));
      gannet.reload(ConfigOption.read(dir.resolve("conf").toString(), w -> { }).config());

      command(out, in, "MAIL FROM:<s@client.test>");
      command(out, in, "RCPT TO:<two@dest.test>");
      command(out, in, "DATA");
      String reply = command(out, in, "Subject: after\r\n\r\nafter reload\r\n.");
      assertTrue(reply.startsWith("250 2.0.0 Ok: queued as "), reply);
      command(out, in, "QUIT");
    }
    SmtpSink.Message m = after.awaitMessages(1, Duration.ofSeconds(30)).get(0);
    assertEquals(List.of("two@dest.test"), m.recipients());
    assertEquals(1, before.messages().size(), "the new relayhost took the mail after reload");
  }

  @Test
  void mailSurvivesARestartOfTheDaemon() throws Exception {
    SmtpSink probe = SmtpSink.smtp();
    int port = probe.port();
    probe.close();
    InetSocketAddress smtpd = start("[127.0.0.1]:" + port);
    for (int i = 0; i < 5; i++) {
      send(smtpd, "s@client.test", List.of("r" + i + "@dest.test"), "x" + i);
    }
    gannet.close();
    agents.close();
    SmtpSink sink = sink(SmtpSink.smtp(port));
    start("[127.0.0.1]:" + port);
    flush();
    sink.awaitMessages(5, Duration.ofSeconds(30));
    await(() -> count(JournalRecord.Done.class) == 5, "Done");
  }
}
