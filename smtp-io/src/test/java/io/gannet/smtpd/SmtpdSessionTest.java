package io.gannet.smtpd;

import io.gannet.journal.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.anvil.Anvil;
import io.gannet.global.Config;
import io.gannet.global.QueueIdGenerator;
import io.gannet.journal.Journal;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import io.gannet.smtp.SmtpServerDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One session on an EmbeddedChannel: time and the journal are driven by the test. */
class SmtpdSessionTest {

  /** A journal whose appends complete only when the test says so. */
  private static final class ManualJournal implements Journal {
    final List<JournalRecord> records = new ArrayList<>();
    final List<CompletableFuture<Long>> stages = new ArrayList<>();

    @Override
    public CompletionStage<Long> append(JournalRecord record) {
      records.add(record);
      CompletableFuture<Long> f = new CompletableFuture<>();
      stages.add(f);
      return f;
    }

    @Override
    public JournalReader reader() {
      throw new UnsupportedOperationException();
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
  }

  private final MutableClock clock = new MutableClock(1_800_000_000_000L);
  private final ManualJournal journal = new ManualJournal();

  private EmbeddedChannel channel(Map<String, String> params) {
    Config config = Config.of(params);
    SmtpdServices services =
        new SmtpdServices(
            journal,
            new TestCleanup(),
            new TestRewrite(),
            clock,
            new QueueIdGenerator(clock),
            new Anvil(clock, 60_000),
            FlushService.NONE);
    SmtpdSettings settings = new SmtpdSettings("smtp", config, services.rewrite());
    SmtpServerDecoder decoder = new SmtpServerDecoder(settings.lineLengthLimit);
    return new EmbeddedChannel(
        new IdleStateHandler(settings.timeoutSeconds, 0, 0, TimeUnit.SECONDS),
        decoder,
        new SmtpdSession(settings, services, decoder));
  }

  private static void in(EmbeddedChannel ch, String text) {
    ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  private static String out(EmbeddedChannel ch) {
    StringBuilder sb = new StringBuilder();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      sb.append(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
    return sb.toString();
  }

  @Test
  void queuedReplyWaitsForTheJournalAndReadingPausesMeanwhile() {
    EmbeddedChannel ch = channel(Map.of("myhostname", "mx.example.com"));
    assertEquals("220 mx.example.com ESMTP Gannet\r\n", out(ch));
    in(ch, "MAIL FROM:<s@x.example>\r\nRCPT TO:<a@example.com>\r\nDATA\r\n");
    assertEquals(
        "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n", out(ch));
    in(ch, "hello\r\n.\r\nNOOP\r\n");
    assertEquals(1, journal.records.size());
    assertEquals("", out(ch)); // no 250 before the journal is done, and NOOP waits
    assertFalse(ch.config().isAutoRead());
    journal.stages.get(0).complete(7L);
    ch.runPendingTasks();
    String id = journal.records.get(0).queueId().toString();
    assertEquals("250 2.0.0 Ok: queued as " + id + "\r\n250 2.0.0 Ok\r\n", out(ch));
    assertTrue(ch.config().isAutoRead());
    ch.finishAndReleaseAll();
  }

  @Test
  void idleTimeoutIsNotCountedWhileTheJournalIsWriting() {
    EmbeddedChannel ch = channel(Map.of("myhostname", "mx.example.com", "smtpd_timeout", "10s"));
    out(ch);
    in(ch, "MAIL FROM:<s@x.example>\r\nRCPT TO:<a@example.com>\r\nDATA\r\nx\r\n.\r\n");
    out(ch);
    ch.advanceTimeBy(11, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(ch.isOpen());
    journal.stages.get(0).complete(1L);
    ch.runPendingTasks();
    assertTrue(out(ch).startsWith("250 2.0.0 Ok: queued as "));
    ch.advanceTimeBy(11, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertEquals("421 4.4.2 mx.example.com Error: timeout exceeded\r\n", out(ch));
    assertFalse(ch.isOpen());
    ch.finishAndReleaseAll();
  }

  @Test
  void idleClientTimesOutAtSmtpdTimeoutAndNotBefore() {
    EmbeddedChannel ch = channel(Map.of("myhostname", "mx.example.com"));
    out(ch);
    ch.advanceTimeBy(299, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertEquals("", out(ch));
    assertTrue(ch.isOpen());
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertEquals("421 4.4.2 mx.example.com Error: timeout exceeded\r\n", out(ch));
    assertFalse(ch.isOpen());
    assertNull(ch.readInbound());
    ch.finishAndReleaseAll();
  }

  @Test
  void commandsAfterQuitAreNotExecuted() {
    EmbeddedChannel ch = channel(Map.of("myhostname", "mx.example.com"));
    out(ch);
    in(ch, "QUIT\r\nMAIL FROM:<s@x.example>\r\n");
    assertEquals("221 2.0.0 Bye\r\n", out(ch));
    assertFalse(ch.isOpen());
    ch.finishAndReleaseAll();
  }
}
