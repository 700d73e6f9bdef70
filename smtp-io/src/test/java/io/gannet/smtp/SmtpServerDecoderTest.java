package io.gannet.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.smtp.SmtpInput.Command;
import io.gannet.smtp.SmtpInput.DataEnd;
import io.gannet.smtp.SmtpInput.LineError;
import io.gannet.smtp.SmtpInput.Problem;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpServerDecoderTest {

  /** Plays the session's part: DATA and BDAT switch the decoder, content is collected. */
  private static final class Switcher extends ChannelInboundHandlerAdapter {
    final SmtpServerDecoder decoder;
    final List<Object> events = new ArrayList<>();
    final List<byte[]> messages = new ArrayList<>();
    final long limit;
    ContentBuffer content;

    Switcher(SmtpServerDecoder decoder, long limit) {
      this.decoder = decoder;
      this.limit = limit;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      events.add(msg);
      if (msg instanceof Command c && c.verb() == SmtpVerb.DATA) {
        content = new ContentBuffer(ByteBufAllocator.DEFAULT, limit, 0);
        decoder.readData(content);
      } else if (msg instanceof Command c && c.verb() == SmtpVerb.BDAT) {
        content = new ContentBuffer(ByteBufAllocator.DEFAULT, limit, 0);
        decoder.readChunk(content, Long.parseLong(c.argument().split(" ")[0]));
      } else if (msg instanceof DataEnd || msg instanceof SmtpInput.ChunkEnd) {
        messages.add(content.overflowed() ? null : content.toByteArray());
      }
    }
  }

  private static Switcher run(int maxLine, long limit, String... parts) {
    SmtpServerDecoder decoder = new SmtpServerDecoder(maxLine);
    Switcher s = new Switcher(decoder, limit);
    EmbeddedChannel ch = new EmbeddedChannel(decoder, s);
    for (String p : parts) {
      ch.writeInbound(Unpooled.copiedBuffer(p, StandardCharsets.ISO_8859_1));
    }
    assertNull(ch.readInbound());
    ch.finishAndReleaseAll();
    return s;
  }

  /** Feeds {@code input} split at every offset and checks the events and contents never change. */
  private static Switcher everySplit(String input) {
    Switcher whole = run(2048, 1 << 20, input);
    for (int i = 1; i < input.length(); i++) {
      Switcher split = run(2048, 1 << 20, input.substring(0, i), input.substring(i));
      assertEquals(whole.events.toString(), split.events.toString(), "split at " + i);
      assertEquals(whole.messages.size(), split.messages.size());
      for (int m = 0; m < whole.messages.size(); m++) {
        assertArrayEquals(whole.messages.get(m), split.messages.get(m), "split at " + i);
      }
    }
    // and one byte at a time
    Switcher bytes = run(2048, 1 << 20, input.split(""));
    assertEquals(whole.events.toString(), bytes.events.toString());
    return whole;
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void commandsAreDecodedIdenticallyWhereverTheInputIsSplit() {
    Switcher s =
        everySplit(
            "ehlo client.example\r\nMAIL FROM:<a@b.example> SIZE=10  \r\n"
                + "RCPT TO:<c@d.example>\r\nNOOP\r\nxyzzy arg\r\nQUIT\r\n");
    assertEquals(
        List.of(
            new Command(SmtpVerb.EHLO, "client.example", null),
            new Command(SmtpVerb.MAIL, "FROM:<a@b.example> SIZE=10", null),
            new Command(SmtpVerb.RCPT, "TO:<c@d.example>", null),
            new Command(SmtpVerb.NOOP, "", null),
            new Command(SmtpVerb.UNKNOWN, "arg", "xyzzy"),
            new Command(SmtpVerb.QUIT, "", null)),
        s.events);
  }

  @Test
  void commandLineEndedByBareLfIsRefusedAndTheNextLineStillWorks() {
    Switcher s = run(2048, 1000, "NOOP\nRSET\r\n");
    assertEquals(
        List.of(new LineError(Problem.BARE_LF), new Command(SmtpVerb.RSET, "", null)), s.events);
  }

  @Test
  void commandLineWithBareCrIsRefused() {
    Switcher s = run(2048, 1000, "NOOP\rDATA\r\n");
    assertEquals(List.of(new LineError(Problem.BARE_CR)), s.events);
  }

  @Test
  void overlongCommandLineIsReportedOnceAfterItsEndThenDecodingGoesOn() {
    String longLine = "NOOP " + "x".repeat(300) + "\r\n";
    Switcher s = run(100, 1000, longLine.substring(0, 150), longLine.substring(150), "QUIT\r\n");
    assertEquals(
        List.of(new LineError(Problem.LINE_TOO_LONG), new Command(SmtpVerb.QUIT, "", null)),
        s.events);
  }

  @Test
  void commandLineOfExactlyTheLimitIsAccepted() {
    String arg = "x".repeat(95);
    Switcher s = run(100, 1000, "NOOP " + arg + "\r\nNOOP " + arg + "y\r\n");
    assertEquals(
        List.of(new Command(SmtpVerb.NOOP, arg, null), new LineError(Problem.LINE_TOO_LONG)),
        s.events);
  }

  @Test
  void invalidUtf8InCommandIsRefused() {
    Switcher s = run(2048, 1000, "MAIL FROM:<\u00ff@x>\r\nMAIL FROM:<\u00c3\u00a9@x>\r\n");
    assertEquals(new LineError(Problem.BAD_UTF8), s.events.get(0));
    assertEquals(new Command(SmtpVerb.MAIL, "FROM:<\u00e9@x>", null), s.events.get(1));
  }

  @Test
  void dataIsDotUnstuffedAndKeptByteExactWhereverSplit() {
    Switcher s =
        everySplit(
            "DATA\r\nSubject: x\r\n\r\n..leading dot\r\n.\tdot tab\r\n"
                + "mid . dot\r\n..\r\n.\r\nQUIT\r\n");
    assertEquals(1, s.messages.size());
    assertEquals(
        "Subject: x\r\n\r\n.leading dot\r\n\tdot tab\r\nmid . dot\r\n.\r\n", s(s.messages.get(0)));
    assertEquals(new DataEnd(false, false), s.events.get(1));
    assertEquals(new Command(SmtpVerb.QUIT, "", null), s.events.get(2));
  }

  @Test
  void emptyBodyEndsAtOnce() {
    Switcher s = run(2048, 1000, "DATA\r\n.\r\n");
    assertEquals("", s(s.messages.get(0)));
  }

  @Test
  void smugglingSequencesNeitherEndNorSplitTheMessage() {
    for (String smuggle : List.of("\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r", "\r.\r\n", "\r\n.\r")) {
      String input =
          "DATA\r\nSubject: a\r\n\r\nbody"
              + smuggle
              + "MAIL FROM:<evil@x>\r\nRCPT TO:<victim@y>\r\nDATA\r\nforged\r\n.\r\nQUIT\r\n";
      Switcher s = everySplit(input);
      assertEquals(
          1,
          s.messages.size(),
          "one message for " + smuggle.replace("\r", "CR").replace("\n", "LF"));
      DataEnd end = (DataEnd) s.events.get(1);
      assertTrue(end.bareLf() || end.bareCr(), "flagged");
      assertEquals(new Command(SmtpVerb.QUIT, "", null), s.events.get(2));
      assertEquals(3, s.events.size());
    }
  }

  @Test
  void bareLfOrCrInBodyIsFlaggedButKept() {
    Switcher lf = run(2048, 1000, "DATA\r\na\nb\r\n.\r\n");
    assertEquals(new DataEnd(true, false), lf.events.get(1));
    assertEquals("a\nb\r\n", s(lf.messages.get(0)));
    Switcher cr = run(2048, 1000, "DATA\r\na\rb\r\n.\r\n");
    assertEquals(new DataEnd(false, true), cr.events.get(1));
  }

  @Test
  void dataLinesLongerThanTheLineLimitAreKeptWhole() {
    String line = "y".repeat(10000);
    Switcher s = run(100, 1 << 20, "DATA\r\n" + line + "\r\n.\r\n");
    assertEquals(line + "\r\n", s(s.messages.get(0)));
  }

  @Test
  void contentOverTheLimitIsDroppedButTheEndIsStillFound() {
    Switcher s = run(2048, 10, "DATA\r\n" + "z".repeat(100) + "\r\n.\r\nNOOP\r\n");
    assertEquals(1, s.messages.size());
    assertNull(s.messages.get(0));
    assertEquals(new Command(SmtpVerb.NOOP, "", null), s.events.get(2));
  }

  @Test
  void bdatChunkIsReadByCountNotByLines() {
    Switcher s = everySplit("BDAT 9 LAST\r\n.\r\nab\n.\r\nNOOP\r\n");
    assertEquals(".\r\nab\n.\r\n", s(s.messages.get(0)));
    assertEquals(new SmtpInput.ChunkEnd(9), s.events.get(1));
    assertEquals(new Command(SmtpVerb.NOOP, "", null), s.events.get(2));
  }

  @Test
  void pauseHoldsBufferedCommandsUntilResume() {
    SmtpServerDecoder decoder = new SmtpServerDecoder(2048);
    List<Object> seen = new ArrayList<>();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            decoder,
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if (seen.size() == 1) {
                  decoder.pause();
                }
              }
            });
    ch.writeInbound(Unpooled.copiedBuffer("NOOP\r\nRSET\r\nQUIT\r\n", StandardCharsets.US_ASCII));
    assertEquals(1, seen.size());
    assertFalse(ch.config().isAutoRead());
    decoder.resume();
    assertEquals(3, seen.size());
    assertTrue(ch.config().isAutoRead());
    ch.finishAndReleaseAll();
  }
}
