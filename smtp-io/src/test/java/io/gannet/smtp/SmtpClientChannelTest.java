package io.gannet.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmtpClientChannelTest {

  private static EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    SmtpClientChannel.initPipeline(ch.pipeline(), 512);
    return ch;
  }

  private static void reply(EmbeddedChannel ch, String s) {
    ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
  }

  private static SmtpClientException failure(CompletableFuture<?> f) {
    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
        CompletionException.class, f::join);
    return assertInstanceOf(SmtpClientException.class, e.getCause());
  }

  @Test
  void repliesCompleteExpectationsInOrderAndEarlyRepliesAreKept() {
    EmbeddedChannel ch = channel();
    SmtpClientChannel c = SmtpClientChannel.of(ch);
    reply(ch, "220 greeting\r\n");
    CompletableFuture<SmtpResponse> greeting = c.expect(1000, "receiving the greeting");
    assertEquals("220 greeting", greeting.join().text());

    CompletableFuture<SmtpResponse> mail = c.expect(1000, "sending MAIL FROM");
    CompletableFuture<SmtpResponse> rcpt = c.expect(1000, "sending RCPT TO");
    c.send(List.of("MAIL FROM:<a@b>", "RCPT TO:<c@d>"));
    ByteBuf written = ch.readOutbound();
    assertEquals("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n",
        written.toString(StandardCharsets.UTF_8), "one write for the batch");
    written.release();
    reply(ch, "250 ok\r\n550 no\r\n");
    assertEquals(250, mail.join().code());
    assertEquals(550, rcpt.join().code());
  }

  @Test
  void timeoutFailsTheWaitingStageAndCloses() {
    EmbeddedChannel ch = channel();
    SmtpClientChannel c = SmtpClientChannel.of(ch);
    ch.freezeTime();
    CompletableFuture<SmtpResponse> f = c.expect(200, "sending RCPT TO");
    CompletableFuture<SmtpResponse> g = c.expect(200, "sending DATA command");
    ch.advanceTimeBy(199, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertFalse(f.isDone());
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    SmtpClientException e = failure(f);
    assertEquals(SmtpClientException.Kind.TIMEOUT, e.kind());
    assertEquals("sending RCPT TO", e.stage());
    assertEquals("sending DATA command", failure(g).stage());
    assertFalse(ch.isOpen());
    assertEquals(SmtpClientException.Kind.LOST, failure(c.expect(10, "sending RSET")).kind());
  }

  @Test
  void lostConnectionNamesTheStage() {
    EmbeddedChannel ch = channel();
    SmtpClientChannel c = SmtpClientChannel.of(ch);
    CompletableFuture<SmtpResponse> f = c.expect(0, "sending MAIL FROM");
    ch.close();
    SmtpClientException e = failure(f);
    assertEquals(SmtpClientException.Kind.LOST, e.kind());
    assertEquals("sending MAIL FROM", e.stage());
    assertFalse(c.isUsable());
  }

  @Test
  void garbageFailsWithAProtocolError() {
    EmbeddedChannel ch = channel();
    SmtpClientChannel c = SmtpClientChannel.of(ch);
    CompletableFuture<SmtpResponse> f = c.expect(0, "receiving the initial server greeting");
    reply(ch, "SSH-2.0-OpenSSH\r\n");
    SmtpClientException e = failure(f);
    assertEquals(SmtpClientException.Kind.PROTOCOL, e.kind());
    assertEquals("receiving the initial server greeting", e.stage());
    assertTrue(e.detail().contains("SSH-2.0"), e.detail());
  }
}
