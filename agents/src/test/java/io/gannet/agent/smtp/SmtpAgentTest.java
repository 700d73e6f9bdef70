package io.gannet.agent.smtp;

import static io.gannet.agent.testing.Requests.message;
import static io.gannet.agent.testing.Requests.request;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.journal.MutableClock;
import io.gannet.agent.testing.SmtpSink;
import io.gannet.agent.testing.SmtpSink.Stage;
import io.gannet.dns.LiteralResolver;
import io.gannet.dns.MailHost;
import io.gannet.dns.MailHostResolver;
import io.gannet.global.BodyType;
import io.gannet.global.Config;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import io.gannet.global.DsnRet;
import io.gannet.global.Recipient;
import io.gannet.global.RecipientOutcome;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SmtpAgentTest {

  private static EventLoopGroup group;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startGroup() {
    group = new MultiThreadIoEventLoopGroup(2,
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  @AfterAll
  static void stopGroup() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private SmtpSink sink() {
    SmtpSink s = SmtpSink.smtp();
    closeables.add(s);
    return s;
  }

  private static SmtpClientSettings settings(UnaryOperator<SmtpClientSettings.Builder> change) {
    SmtpClientSettings.Builder b =
        SmtpClientSettings.smtp(Config.of(java.util.Map.of("myhostname", "client.test")))
            .toBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .conversationTimeouts(Duration.ofSeconds(10));
    return change.apply(b).build();
  }

  private SmtpAgent agent(UnaryOperator<SmtpClientSettings.Builder> change, MailHostResolver r,
      Clock clock) {
    SmtpAgent a = new SmtpAgent(settings(change), r, clock, group);
    closeables.add(a);
    return a;
  }

  private SmtpAgent agent() {
    return agent(b -> b, new LiteralResolver(), Clock.systemUTC());
  }

  private static DeliveryResult deliver(SmtpAgent a, DeliveryRequest r) {
    return a.deliver(r).toCompletableFuture().join();
  }

  private static String namaddr() {
    return "127.0.0.1[127.0.0.1]";
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static MailHostResolver hosts(int... ports) {
    return (nexthop, defaultPort) -> {
      List<MailHost> out = new ArrayList<>();
      for (int i = 0; i < ports.length; i++) {
        out.add(new MailHost("mx" + (i + 1) + ".test", InetAddress.getLoopbackAddress(),
            ports[i], 10 * (i + 1)));
      }
      return CompletableFuture.completedFuture(out);
    };
  }

  // ---- replies and outcomes ----------------------------------------------------------------

  @Test
  void delivers2xxForEveryRecipientInOneTransaction() {
    SmtpSink sink = sink();
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("hi", "body\r\n"),
        "a@example.com", "b@example.com"));

    assertFalse(r.siteFailure());
    assertEquals(namaddr() + ":" + sink.port(), r.relay());
    for (RecipientOutcome o : r.outcomes()) {
      assertEquals(DeliveryStatus.SENT, o.status());
      assertEquals("2.0.0", o.dsn());
      assertEquals("250 2.0.0 Ok: queued as S0", o.reply());
    }
    assertEquals(1, sink.transactions());
    SmtpSink.Message m = sink.messages().get(0);
    assertEquals("sender@example.org", m.sender());
    assertEquals(List.of("a@example.com", "b@example.com"), m.recipients());
    assertEquals(message("hi", "body\r\n"), m.text());
    assertEquals("client.test", m.helo());
  }

  @Test
  void rcpt4xxIsDeferredWithTheServersWords() {
    SmtpSink sink = sink().onRcpt(a -> a.startsWith("b@")
        ? "450 4.2.0 <b@example.com>: Recipient address rejected: greylisted" : null);
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com", "b@example.com"));

    assertEquals(DeliveryStatus.SENT, r.outcomes().get(0).status());
    RecipientOutcome b = r.outcomes().get(1);
    assertEquals(DeliveryStatus.DEFERRED, b.status());
    assertEquals("4.2.0", b.dsn());
    assertEquals("host " + namaddr() + " said: 450 4.2.0 <b@example.com>: Recipient address"
        + " rejected: greylisted (in reply to RCPT TO command)", b.reply());
    assertFalse(r.siteFailure());
  }

  @Test
  void rcpt5xxIsBounced() {
    SmtpSink sink = sink().onRcpt(a -> "550 5.1.1 <" + a + ">: Recipient address rejected:"
        + " User unknown");
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "nobody@example.com"));

    RecipientOutcome o = r.outcomes().get(0);
    assertEquals(DeliveryStatus.BOUNCED, o.status());
    assertEquals("5.1.1", o.dsn());
    assertEquals("host " + namaddr() + " said: 550 5.1.1 <nobody@example.com>: Recipient address"
        + " rejected: User unknown (in reply to RCPT TO command)", o.reply());
    assertTrue(sink.messages().isEmpty());
    assertTrue(sink.commandLines().contains("RSET"), "the refused transaction is reset");
  }

  @Test
  void mixedOutcomesPerRecipient() {
    SmtpSink sink = sink().onRcpt(a -> switch (a.charAt(0)) {
      case 'b' -> "452 4.5.3 Error: too many recipients";
      case 'c' -> "553 5.7.1 <c@example.com>: Relay access denied";
      default -> null;
    });
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com", "b@example.com", "c@example.com", "d@example.com"));

    assertEquals(List.of(DeliveryStatus.SENT, DeliveryStatus.DEFERRED, DeliveryStatus.BOUNCED,
        DeliveryStatus.SENT), r.outcomes().stream().map(RecipientOutcome::status).toList());
    assertEquals(List.of(0, 1, 2, 3), r.outcomes().stream().map(RecipientOutcome::index).toList());
    assertEquals(1, sink.transactions());
    assertEquals(List.of("a@example.com", "d@example.com"), sink.messages().get(0).recipients());
  }

  @Test
  void mail5xxBouncesEveryRecipient() {
    SmtpSink sink = sink().onMail(a -> "553 5.1.8 <sender@example.org>: Sender address rejected");
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com", "b@example.com"));

    for (RecipientOutcome o : r.outcomes()) {
      assertEquals(DeliveryStatus.BOUNCED, o.status());
      assertEquals("host " + namaddr() + " said: 553 5.1.8 <sender@example.org>: Sender address"
          + " rejected (in reply to MAIL FROM command)", o.reply());
    }
  }

  @Test
  void endOfData4xxDefersTheAcceptedRecipients() {
    SmtpSink sink = sink().onMessage(m -> "451 4.3.0 Error: queue file write error");
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com"));

    RecipientOutcome o = r.outcomes().get(0);
    assertEquals(DeliveryStatus.DEFERRED, o.status());
    assertEquals("host " + namaddr() + " said: 451 4.3.0 Error: queue file write error"
        + " (in reply to end of DATA command)", o.reply());
    assertFalse(r.siteFailure());
  }

  @Test
  void replyWithoutEnhancedCodeGetsOneFromItsClass() {
    SmtpSink sink = sink().onRcpt(a -> "550 no such user here");
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com"));
    assertEquals("5.0.0", r.outcomes().get(0).dsn());
  }

  @Test
  void multiLineReplyIsQuotedOnOneLine() {
    SmtpSink sink = sink().onRcpt(a -> "550-5.1.1 The email account does not exist.\r\n"
        + "550 5.1.1 Try again.");
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com"));
    assertEquals("host " + namaddr() + " said: 550-5.1.1 The email account does not exist."
        + " 550 5.1.1 Try again. (in reply to RCPT TO command)", r.outcomes().get(0).reply());
  }

  // ---- servers that fail ---------------------------------------------------------------------

  @Test
  void connectionRefusedTriesTheNextHost() throws IOException {
    SmtpSink sink = sink();
    int dead = closedPort();
    DeliveryResult r = deliver(agent(b -> b, hosts(dead, sink.port()), Clock.systemUTC()),
        request("smtp", "example.com", message("s", "x\r\n"), "a@example.com"));

    assertEquals(DeliveryStatus.SENT, r.outcomes().get(0).status());
    assertEquals("mx2.test[127.0.0.1]:" + sink.port(), r.relay());
    assertFalse(r.siteFailure());
  }

  @Test
  void everyHostRefusedDefersWithSiteFailure() throws IOException {
    int p1 = closedPort();
    int p2 = closedPort();
    DeliveryResult r = deliver(agent(b -> b, hosts(p1, p2), Clock.systemUTC()),
        request("smtp", "example.com", message("s", "x\r\n"), "a@example.com", "b@example.com"));

    assertTrue(r.siteFailure());
    assertEquals("none", r.relay());
    for (RecipientOutcome o : r.outcomes()) {
      assertEquals(DeliveryStatus.DEFERRED, o.status());
      assertEquals("4.4.1", o.dsn());
      assertEquals("connect to mx2.test[127.0.0.1]:" + p2 + ": Connection refused", o.reply());
    }
  }

  @Test
  void greeting421TriesTheNextHostThenDefers() {
    SmtpSink busy = sink().greeting("421 4.3.2 Service shutting down");
    SmtpSink ok = sink();
    DeliveryResult r = deliver(agent(b -> b, hosts(busy.port(), ok.port()), Clock.systemUTC()),
        request("smtp", "example.com", message("s", "x\r\n"), "a@example.com"));
    assertEquals(DeliveryStatus.SENT, r.outcomes().get(0).status());
    assertEquals(1, ok.messages().size());

    DeliveryResult alone = deliver(agent(b -> b, hosts(busy.port()), Clock.systemUTC()),
        request("smtp", "example.com", message("s", "x\r\n"), "a@example.com"));
    RecipientOutcome o = alone.outcomes().get(0);
    assertEquals(DeliveryStatus.DEFERRED, o.status());
    assertEquals("4.3.2", o.dsn());
    assertEquals("host mx1.test[127.0.0.1] refused to talk to me: 421 4.3.2 Service shutting down",
        o.reply());
    assertTrue(alone.siteFailure());
    assertEquals("mx1.test[127.0.0.1]:" + busy.port(), alone.relay());
  }

  @Test
  void greeting5xxCountsAs4xxSoTheNextHostIsTried() {
    SmtpSink rude = sink().greeting("554 5.7.1 go away");
    DeliveryResult r = deliver(agent(b -> b, hosts(rude.port()), Clock.systemUTC()),
        request("smtp", "example.com", message("s", "x\r\n"), "a@example.com"));
    assertEquals(DeliveryStatus.DEFERRED, r.outcomes().get(0).status());
    assertEquals("4.7.1", r.outcomes().get(0).dsn());
  }

  @Test
  void soft4xxOnTheFirstHostIsRetriedOnTheBackup() {
    SmtpSink grey = sink().onRcpt(a -> "450 4.7.1 greylisted, come back later");
    SmtpSink backup = sink();
    DeliveryResult r = deliver(agent(b -> b, hosts(grey.port(), backup.port()), Clock.systemUTC()),
        request("smtp", "example.com", message("s", "x\r\n"), "a@example.com"));
    assertEquals(DeliveryStatus.SENT, r.outcomes().get(0).status());
    assertEquals(1, backup.messages().size());
  }

  @Test
  void rcptTimeoutDefersWithPostfixText() {
    SmtpSink sink = sink().silentAt(Stage.RCPT);
    long t0 = System.nanoTime();
    DeliveryResult r = deliver(agent(b -> b.rcptTimeout(Duration.ofMillis(200)),
        new LiteralResolver(), Clock.systemUTC()),
        request("smtp", sink.nexthop(), message("s", "x\r\n"), "a@example.com"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    RecipientOutcome o = r.outcomes().get(0);
    assertEquals(DeliveryStatus.DEFERRED, o.status());
    assertEquals("4.4.2", o.dsn());
    assertEquals("conversation with " + namaddr() + " timed out while sending RCPT TO", o.reply());
    assertTrue(r.siteFailure());
    assertTrue(ms >= 190 && ms < 5000, "took " + ms + " ms");
  }

  @Test
  void greetingTimeoutDefers() {
    SmtpSink sink = sink().silentAt(Stage.GREETING);
    DeliveryResult r = deliver(agent(b -> b.heloTimeout(Duration.ofMillis(200)),
        new LiteralResolver(), Clock.systemUTC()),
        request("smtp", sink.nexthop(), message("s", "x\r\n"), "a@example.com"));
    assertEquals("conversation with " + namaddr()
        + " timed out while receiving the initial server greeting", r.outcomes().get(0).reply());
    assertTrue(r.siteFailure());
  }

  @Test
  void endOfDataTimeoutWarnsOfDuplicates() {
    SmtpSink sink = sink().silentAt(Stage.END_OF_DATA);
    DeliveryResult r = deliver(agent(b -> b.dataDoneTimeout(Duration.ofMillis(200)),
        new LiteralResolver(), Clock.systemUTC()),
        request("smtp", sink.nexthop(), message("s", "x\r\n"), "a@example.com"));
    assertEquals("conversation with " + namaddr() + " timed out while sending end of data --"
        + " message may be sent more than once", r.outcomes().get(0).reply());
    assertEquals(DeliveryStatus.DEFERRED, r.outcomes().get(0).status());
  }

  // ---- protocol features ---------------------------------------------------------------------

  @Test
  void pipeliningSendsMailRcptsAndDataInOneBatch() {
    SmtpSink sink = sink();
    deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com", "b@example.com", "c@example.com"));

    List<SmtpSink.Command> cmds = sink.commands();
    List<SmtpSink.Command> envelope = cmds.stream()
        .filter(c -> c.line().startsWith("MAIL") || c.line().startsWith("RCPT")
            || c.line().equals("DATA"))
        .toList();
    assertEquals(5, envelope.size());
    assertEquals(1, envelope.stream().map(SmtpSink.Command::batch).distinct().count(),
        "MAIL, RCPT x3 and DATA arrive together: " + envelope);
  }

  @Test
  void withoutPipeliningEachCommandWaitsForItsReply() {
    SmtpSink sink = sink().capabilities("SIZE 1000000", "8BITMIME");
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com", "b@example.com"));
    assertEquals(DeliveryStatus.SENT, r.outcomes().get(1).status());
    List<SmtpSink.Command> envelope = sink.commands().stream()
        .filter(c -> c.line().startsWith("MAIL") || c.line().startsWith("RCPT")
            || c.line().equals("DATA"))
        .toList();
    assertEquals(4, envelope.stream().map(SmtpSink.Command::batch).distinct().count());
  }

  @Test
  void heloFallbackWhenEhloIsRefused() {
    SmtpSink sink = sink().ehloReply("502 5.5.2 Error: command not recognized");
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com"));
    assertEquals(DeliveryStatus.SENT, r.outcomes().get(0).status());
    assertTrue(sink.commandLines().contains("HELO client.test"));
    String mail = sink.commandLines().stream().filter(l -> l.startsWith("MAIL")).findFirst()
        .orElseThrow();
    assertEquals("MAIL FROM:<sender@example.org>", mail, "no ESMTP parameters after HELO");
  }

  @Test
  void sizeIsAnnouncedAndAServerLimitBounces() {
    SmtpSink sink = sink();
    String content = message("s", "x\r\n");
    deliver(agent(), request("smtp", sink.nexthop(), content, "a@example.com"));
    assertEquals("SIZE=" + content.length(), sink.messages().get(0).mailParameters());

    SmtpSink small = sink().capabilities("PIPELINING", "SIZE 10");
    DeliveryResult r = deliver(agent(), request("smtp", small.nexthop(), content, "a@example.com"));
    RecipientOutcome o = r.outcomes().get(0);
    assertEquals(DeliveryStatus.BOUNCED, o.status());
    assertEquals("5.3.4", o.dsn());
    assertEquals("message size " + content.length() + " exceeds size limit 10 of server "
        + namaddr(), o.reply());
    assertEquals(0, small.transactions());
  }

  @Test
  void dsnParametersArePassedWhenOffered() {
    SmtpSink sink = sink();
    List<Recipient> rcpts = List.of(
        new Recipient("a@example.com", "rfc822;A+B=c@example.com",
            Recipient.NOTIFY_SUCCESS | Recipient.NOTIFY_FAILURE),
        Recipient.of("b@example.com"));
    DeliveryRequest req = request("smtp", sink.nexthop(), "sender@example.org", "ENV 1",
        DsnRet.HDRS, BodyType.SEVEN_BIT, false, message("s", "x\r\n").getBytes(UTF_8), rcpts);
    deliver(agent(), req);

    List<String> lines = sink.commandLines();
    assertTrue(lines.contains("MAIL FROM:<sender@example.org> SIZE=" + req.content().length
        + " BODY=7BIT RET=HDRS ENVID=ENV+201"), lines.toString());
    assertTrue(lines.contains(
        "RCPT TO:<a@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;A+2BB+3Dc@example.com"),
        lines.toString());
    assertTrue(lines.contains("RCPT TO:<b@example.com>"), lines.toString());

    SmtpSink plain = sink().capabilities("PIPELINING");
    deliver(agent(), request("smtp", plain.nexthop(), "sender@example.org", "ENV 1",
        DsnRet.HDRS, BodyType.SEVEN_BIT, false, message("s", "x\r\n").getBytes(UTF_8), rcpts));
    assertTrue(plain.commandLines().contains("MAIL FROM:<sender@example.org>"));
    assertTrue(plain.commandLines().contains("RCPT TO:<a@example.com>"));
  }

  @Test
  void dotStuffingIsExact() {
    SmtpSink sink = sink();
    String content = "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nmiddle . dot\r\n"
        + "last line without end";
    deliver(agent(), request("smtp", sink.nexthop(), content, "a@example.com"));

    SmtpSink.Message m = sink.messages().get(0);
    assertEquals("Subject: dots\r\n\r\n..leading dot\r\n...two dots\r\n..\r\nmiddle . dot\r\n"
        + "last line without end\r\n.\r\n", new String(m.wire(), UTF_8));
    assertEquals(content + "\r\n", m.text());
  }

  @Test
  void eightBitBodyIsConvertedToQuotedPrintableForAServerWithout8bitmime() {
    SmtpSink sink = sink().capabilities("PIPELINING", "SIZE 1000000");
    String content = "From: a@example.org\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "Grüße aus Köln\r\n";
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), content,
        "a@example.com"));
    assertEquals(DeliveryStatus.SENT, r.outcomes().get(0).status());

    SmtpSink.Message m = sink.messages().get(0);
    for (byte b : m.wire()) {
      assertTrue(b >= 0, "7-bit on the wire");
    }
    assertEquals("From: a@example.org\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        + "Gr=C3=BC=C3=9Fe aus K=C3=B6ln\r\n", m.text());
    assertFalse(m.mailParameters().contains("BODY="));
  }

  @Test
  void eightBitBodyGoesUnchangedWith8bitmime() {
    SmtpSink sink = sink();
    String content = "Subject: x\r\n\r\nGrüße\r\n";
    deliver(agent(), request("smtp", sink.nexthop(), content, "a@example.com"));
    SmtpSink.Message m = sink.messages().get(0);
    assertEquals(content, m.text());
    assertTrue(m.mailParameters().contains("BODY=8BITMIME"));
  }

  @Test
  void eightBitHeaderThatCannotBeConvertedBounces563() {
    SmtpSink sink = sink().capabilities("PIPELINING");
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(),
        "Subject: Grüße\r\n\r\nx\r\n", "a@example.com"));
    RecipientOutcome o = r.outcomes().get(0);
    assertEquals(DeliveryStatus.BOUNCED, o.status());
    assertEquals("5.6.3", o.dsn());
    assertEquals(0, sink.transactions());
  }

  @Test
  void smtputf8MessageBouncesWhenNoServerOffersIt() {
    SmtpSink sink = sink().capabilities("PIPELINING", "8BITMIME");
    DeliveryRequest req = request("smtp", sink.nexthop(), "sender@example.org", null,
        DsnRet.DEFAULT, BodyType.EIGHT_BIT_MIME, true, "Subject: x\r\n\r\nx\r\n".getBytes(UTF_8),
        List.of(Recipient.of("jörg@example.com")));
    RecipientOutcome o = deliver(agent(), req).outcomes().get(0);
    assertEquals(DeliveryStatus.BOUNCED, o.status());
    assertEquals("5.6.7", o.dsn());
    assertEquals("message requires SMTPUTF8, but no server was found that supports SMTPUTF8."
        + " The last attempted server was " + namaddr(), o.reply());

    SmtpSink utf8 = sink();
    DeliveryRequest req2 = request("smtp", utf8.nexthop(), "sender@example.org", null,
        DsnRet.DEFAULT, BodyType.EIGHT_BIT_MIME, true, "Subject: x\r\n\r\nx\r\n".getBytes(UTF_8),
        List.of(Recipient.of("jörg@example.com")));
    assertEquals(DeliveryStatus.SENT, deliver(agent(), req2).outcomes().get(0).status());
    assertTrue(utf8.messages().get(0).mailParameters().contains("SMTPUTF8"));
    assertEquals(List.of("jörg@example.com"), utf8.messages().get(0).recipients());
  }

  @Test
  void controlCharactersInAnAddressNeverReachTheWire() {
    SmtpSink sink = sink();
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com\r\nRSET", "b@example.com"));
    assertEquals(DeliveryStatus.BOUNCED, r.outcomes().get(0).status());
    assertEquals("5.1.3", r.outcomes().get(0).dsn());
    assertEquals(DeliveryStatus.SENT, r.outcomes().get(1).status());
    assertEquals(List.of("b@example.com"), sink.messages().get(0).recipients());
  }

  // ---- connection cache and limits -----------------------------------------------------------

  @Test
  void connectionIsReusedForTheNextRequest() {
    SmtpSink sink = sink();
    SmtpAgent a = agent();
    for (int i = 0; i < 3; i++) {
      DeliveryResult r = deliver(a, request("smtp", sink.nexthop(), message("m" + i, "x\r\n"),
          "a@example.com"));
      assertEquals(DeliveryStatus.SENT, r.outcomes().get(0).status());
    }
    assertEquals(1, sink.connections());
    assertEquals(3, sink.transactions());
    assertEquals(1, a.cachedConnections());
  }

  @Test
  void reuseCountLimitBoundsTransactionsPerConnection() {
    SmtpSink sink = sink();
    SmtpAgent a = agent(b -> b.reuseCountLimit(1), new LiteralResolver(), Clock.systemUTC());
    for (int i = 0; i < 3; i++) {
      deliver(a, request("smtp", sink.nexthop(), message("m" + i, "x\r\n"), "a@example.com"));
    }
    assertEquals(2, sink.connections(), "reused once, then a new connection");
    assertEquals(3, sink.transactions());
  }

  @Test
  void cachedConnectionOlderThanTheCacheTimeLimitIsNotUsed() {
    SmtpSink sink = sink();
    MutableClock clock = new MutableClock(1_000_000);
    SmtpAgent a = agent(b -> b.cacheTimeLimit(Duration.ofSeconds(60)), new LiteralResolver(),
        clock);
    deliver(a, request("smtp", sink.nexthop(), message("1", "x\r\n"), "a@example.com"));
    clock.advance(Duration.ofSeconds(61));
    deliver(a, request("smtp", sink.nexthop(), message("2", "x\r\n"), "a@example.com"));
    assertEquals(2, sink.connections());
  }

  @Test
  void processLimitClosesAnIdleConnectionToOpenANewOne() {
    SmtpSink one = sink();
    SmtpSink two = sink();
    SmtpAgent a = agent(b -> b.processLimit(1), new LiteralResolver(), Clock.systemUTC());
    deliver(a, request("smtp", one.nexthop(), message("1", "x\r\n"), "a@example.com"));
    assertEquals(1, a.cachedConnections());
    DeliveryResult r = deliver(a, request("smtp", two.nexthop(), message("2", "x\r\n"),
        "a@example.com"));
    assertEquals(DeliveryStatus.SENT, r.outcomes().get(0).status());
    assertTrue(one.commandLines().contains("QUIT"), "the idle connection was ended");
    assertTrue(a.openConnections() <= 1);
  }

  @Test
  void processLimitQueuesConcurrentDeliveries() {
    SmtpSink sink = sink();
    SmtpAgent a = agent(b -> b.processLimit(2), new LiteralResolver(), Clock.systemUTC());
    List<CompletableFuture<DeliveryResult>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(a.deliver(request("smtp", sink.nexthop(), message("m" + i, "x\r\n"),
          "r" + i + "@example.com")).toCompletableFuture());
    }
    for (CompletableFuture<DeliveryResult> f : all) {
      assertEquals(DeliveryStatus.SENT, f.join().outcomes().get(0).status());
    }
    assertTrue(sink.connections() <= 2 + 0, "connections: " + sink.connections());
    assertEquals(20, sink.messages().size());
  }

  @Test
  void closedAgentDefersWithoutConnecting() {
    SmtpSink sink = sink();
    SmtpAgent a = agent();
    a.close();
    DeliveryResult r = deliver(a, request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com"));
    assertEquals(DeliveryStatus.DEFERRED, r.outcomes().get(0).status());
    assertEquals(0, sink.connections());
  }

  @Test
  void serverHangingUpMidTransactionDefersTheRest() {
    SmtpSink sink = sink().onRcpt(a -> a.startsWith("b@") ? "421 4.4.2 sink.test closing" : null);
    DeliveryResult r = deliver(agent(), request("smtp", sink.nexthop(), message("s", "x\r\n"),
        "a@example.com", "b@example.com", "c@example.com"));
    assertEquals(List.of(DeliveryStatus.DEFERRED, DeliveryStatus.DEFERRED,
        DeliveryStatus.DEFERRED), r.outcomes().stream().map(RecipientOutcome::status).toList());
    assertEquals("host " + namaddr() + " said: 421 4.4.2 sink.test closing (in reply to RCPT TO"
        + " command)", r.outcomes().get(1).reply());
    assertEquals("lost connection with " + namaddr() + " while sending RCPT TO",
        r.outcomes().get(2).reply());
    assertEquals("4.4.2", r.outcomes().get(2).dsn());
    assertTrue(sink.messages().isEmpty());
  }

  @Test
  void cachedConnectionClosedByTheServerIsReplacedQuietly() {
    SmtpSink sink = sink();
    SmtpAgent a = agent();
    deliver(a, request("smtp", sink.nexthop(), message("1", "x\r\n"), "a@example.com"));
    sink.dropConnections();
    DeliveryResult r = deliver(a, request("smtp", sink.nexthop(), message("2", "x\r\n"),
        "a@example.com"));
    assertEquals(DeliveryStatus.SENT, r.outcomes().get(0).status());
    assertEquals(2, sink.connections());
    assertEquals(2, sink.messages().size());
  }

  @Test
  void dnsFailuresBounceOrDefer() {
    MailHostResolver nx = (hop, port) -> CompletableFuture.failedFuture(
        new io.gannet.dns.DnsLookupException(true, "5.4.4",
            "Host or domain name not found. Name service error for name=nx.invalid type=MX:"
                + " Host not found"));
    DeliveryResult hard = deliver(agent(b -> b, nx, Clock.systemUTC()),
        request("smtp", "nx.invalid", message("s", "x\r\n"), "a@nx.invalid"));
    assertEquals(DeliveryStatus.BOUNCED, hard.outcomes().get(0).status());
    assertEquals("5.4.4", hard.outcomes().get(0).dsn());
    assertTrue(hard.outcomes().get(0).reply().startsWith("Host or domain name not found."));
    assertFalse(hard.siteFailure());

    MailHostResolver servfail = (hop, port) -> CompletableFuture.failedFuture(
        new io.gannet.dns.DnsLookupException(false, "4.4.3", "Host or domain name not found."
            + " Name service error for name=example.com type=MX: Host not found, try again"));
    DeliveryResult soft = deliver(agent(b -> b, servfail, Clock.systemUTC()),
        request("smtp", "example.com", message("s", "x\r\n"), "a@example.com"));
    assertEquals(DeliveryStatus.DEFERRED, soft.outcomes().get(0).status());
    assertTrue(soft.siteFailure());
    assertEquals("none", soft.relay());
  }

  @Test
  void manyConcurrentRequestsShareFewConnections() {
    SmtpSink sink = sink();
    SmtpAgent a = agent(b -> b.processLimit(10), new LiteralResolver(), Clock.systemUTC());
    int n = 500;
    long t0 = System.nanoTime();
    List<CompletableFuture<DeliveryResult>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(a.deliver(request("smtp", sink.nexthop(), message("m" + i, "body " + i + "\r\n"),
          "r" + i + "@example.com", "s" + i + "@example.com")).toCompletableFuture());
    }
    for (CompletableFuture<DeliveryResult> f : all) {
      for (RecipientOutcome o : f.join().outcomes()) {
        assertEquals(DeliveryStatus.SENT, o.status());
      }
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(n, sink.messages().size());
    assertTrue(sink.connections() <= 10, "connections: " + sink.connections());
    System.out.println("smtp agent: " + n + " messages over " + sink.connections()
        + " connections in " + ms + " ms");
  }

  @Test
  void logLineHasPostfixForm() {
    RecipientOutcome o = new RecipientOutcome(0, "a@example.com", DeliveryStatus.SENT, "2.0.0",
        "250 2.0.0 Ok: queued as X");
    io.gannet.global.QueueId id = io.gannet.global.QueueId.of(1_700_000_000_000L, 1, 2);
    assertEquals(id + ": to=<a@example.com>, relay=mx.example.com[192.0.2.1]:25, conn_use=2,"
        + " delay=1.2, delays=0.11/0/0.23/0.89, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X)",
        DeliveryLog.format(id, o, "mx.example.com[192.0.2.1]:25", 2, 1234,
            new long[] {110, 5, 230, 890}));
  }
}
