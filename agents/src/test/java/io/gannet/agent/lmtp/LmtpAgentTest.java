package io.gannet.agent.lmtp;

import static io.gannet.agent.testing.Requests.message;
import static io.gannet.agent.testing.Requests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.agent.smtp.SmtpClientSettings;
import io.gannet.agent.testing.SmtpSink;
import io.gannet.dns.LiteralResolver;
import io.gannet.global.Config;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import io.gannet.global.RecipientOutcome;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmtpAgentTest {

  @TempDir Path dir;

  private static SmtpClientSettings settings() {
    return SmtpClientSettings.lmtp(Config.of(Map.of("myhostname", "client.test")))
        .toBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .conversationTimeouts(Duration.ofSeconds(10))
        .build();
  }

  private static DeliveryResult deliverVia(IoHandlerFactory io, SmtpSink sink, String... rcpts) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
    try (LmtpAgent agent = new LmtpAgent(settings(), new LiteralResolver(), Clock.systemUTC(),
        group)) {
      return agent.deliver(request("lmtp", sink.nexthop(), message("s", "x\r\n"), rcpts))
          .toCompletableFuture().join();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static SmtpSink perRecipientReplies(SmtpSink sink) {
    return sink
        .onRcpt(a -> a.startsWith("gone@") ? "550 5.1.1 <gone@example.com>: User unknown" : null)
        .onLmtpRecipient((m, r) -> switch (r.charAt(0)) {
          case 'f' -> "452 4.2.2 <full@example.com>: Mailbox full";
          case 'q' -> "552 5.2.2 <quota@example.com>: Over quota, refused";
          default -> null;
        });
  }

  private static void assertPerRecipient(SmtpSink sink, DeliveryResult r) {
    List<DeliveryStatus> statuses = r.outcomes().stream().map(RecipientOutcome::status).toList();
    assertEquals(List.of(DeliveryStatus.SENT, DeliveryStatus.DEFERRED, DeliveryStatus.BOUNCED,
        DeliveryStatus.BOUNCED, DeliveryStatus.SENT), statuses);
    assertEquals("250 2.0.0 <a@example.com> delivered", r.outcomes().get(0).reply());
    assertTrue(r.outcomes().get(1).reply().endsWith(
        "said: 452 4.2.2 <full@example.com>: Mailbox full (in reply to end of DATA command)"),
        r.outcomes().get(1).reply());
    assertEquals("4.2.2", r.outcomes().get(1).dsn());
    assertTrue(r.outcomes().get(2).reply().endsWith("(in reply to end of DATA command)"));
    assertTrue(r.outcomes().get(3).reply().endsWith("(in reply to RCPT TO command)"));
    assertFalse(r.siteFailure());
    assertEquals(1, sink.transactions());
    assertEquals("client.test", sink.messages().get(0).helo());
    assertTrue(sink.commandLines().contains("LHLO client.test"));
  }

  private static IoHandlerFactory nativeOrNio() {
    return Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  @Test
  void tcpGivesOneReplyPerAcceptedRecipient() {
    try (SmtpSink sink = perRecipientReplies(SmtpSink.lmtp())) {
      DeliveryResult r = deliverVia(nativeOrNio(), sink, "a@example.com", "full@example.com",
          "quota@example.com", "gone@example.com", "z@example.com");
      assertPerRecipient(sink, r);
      assertEquals("127.0.0.1[127.0.0.1]:" + sink.port(), r.relay());
    }
  }

  @Test
  void unixSocketWithEpoll() {
    Assumptions.assumeTrue(Epoll.isAvailable(), "native epoll transport not available");
    try (SmtpSink sink = perRecipientReplies(SmtpSink.lmtp(dir.resolve("lmtp.sock")))) {
      DeliveryResult r = deliverVia(EpollIoHandler.newFactory(), sink, "a@example.com",
          "full@example.com", "quota@example.com", "gone@example.com", "z@example.com");
      assertPerRecipient(sink, r);
      assertEquals("client.test[" + dir.resolve("lmtp.sock") + "]", r.relay());
    }
  }

  @Test
  void unixSocketWithNio() {
    try (SmtpSink sink = perRecipientReplies(SmtpSink.lmtp(dir.resolve("nio.sock")))) {
      DeliveryResult r = deliverVia(NioIoHandler.newFactory(), sink, "a@example.com",
          "full@example.com", "quota@example.com", "gone@example.com", "z@example.com");
      assertPerRecipient(sink, r);
    }
  }

  @Test
  void missingSocketDefersWithTheSystemsReason() {
    SmtpSink gone = SmtpSink.lmtp(dir.resolve("gone.sock"));
    String nexthop = gone.nexthop();
    gone.close();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, nativeOrNio());
    try (LmtpAgent agent = new LmtpAgent(settings(), null, Clock.systemUTC(), group)) {
      DeliveryResult r = agent.deliver(request("lmtp", nexthop, message("s", "x\r\n"),
          "a@example.com")).toCompletableFuture().join();
      RecipientOutcome o = r.outcomes().get(0);
      assertEquals(DeliveryStatus.DEFERRED, o.status());
      assertEquals("connect to " + dir.resolve("gone.sock") + ": No such file or directory",
          o.reply());
      assertTrue(r.siteFailure());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void inetNextHopIsNeverAnMxLookup() {
    try (SmtpSink sink = SmtpSink.lmtp()) {
      EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, nativeOrNio());
      List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
      LiteralResolver literal = new LiteralResolver();
      try (LmtpAgent agent = new LmtpAgent(settings(), (hop, port) -> {
        asked.add(hop + " " + port);
        return literal.resolve(hop, port);
      }, Clock.systemUTC(), group)) {
        DeliveryResult r = agent.deliver(request("lmtp", "inet:127.0.0.1:" + sink.port(),
            message("s", "x\r\n"), "a@example.com")).toCompletableFuture().join();
        assertEquals(DeliveryStatus.SENT, r.outcomes().get(0).status());
        assertEquals(List.of("[127.0.0.1]:" + sink.port() + " 24"), asked);
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
  }
}
