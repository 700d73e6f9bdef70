package io.gannet.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpResponseDecoderTest {

  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(new SmtpResponseDecoder(100));
  }

  private static void write(EmbeddedChannel ch, String s) {
    ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
  }

  @Test
  void multiLineReplySplitAtEveryOffset() {
    String wire = "250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 1000\r\n";
    for (int cut = 0; cut <= wire.length(); cut++) {
      EmbeddedChannel ch = channel();
      write(ch, wire.substring(0, cut));
      write(ch, wire.substring(cut));
      SmtpResponse r = ch.readInbound();
      assertEquals(250, r.code(), "cut at " + cut);
      assertEquals(List.of("250-mx.example.com", "250-PIPELINING", "250 SIZE 1000"), r.lines());
      assertEquals(List.of("mx.example.com", "PIPELINING", "SIZE 1000"), r.texts());
      assertNull(ch.readInbound());
      ch.finish();
    }
  }

  @Test
  void enhancedStatusCodeOrOneFromTheReplyClass() {
    assertEquals("5.1.1", SmtpResponse.parse("550 5.1.1 no such user").dsn());
    assertEquals("5.0.0", SmtpResponse.parse("550 no such user").dsn());
    assertEquals("4.0.0", SmtpResponse.parse("450 5.1.1 class mismatch").dsn());
    assertEquals("2.0.0", SmtpResponse.parse("250 2.0.0").dsn());
    assertEquals("5.0.0", SmtpResponse.parse("550 5.1.1234 too long").dsn());
    assertEquals("4.7.0", SmtpResponse.parse("421 4.7.0 bye").dsn());
  }

  @Test
  void enhancedStatusCodeMustBeWellFormedAndEndAtASpace() {
    assertEquals("5.123.456", SmtpResponse.parse("550 5.123.456 x").dsn());
    assertEquals("2.1.5", SmtpResponse.parse("250-2.1.5 ok").dsn());
    assertEquals("5.0.0", SmtpResponse.parse("550 5.1234.1 x").dsn());
    assertEquals("5.0.0", SmtpResponse.parse("550 5..1 x").dsn());
    assertEquals("5.0.0", SmtpResponse.parse("550 5.1.1x").dsn());
    assertEquals("5.0.0", SmtpResponse.parse("550 5.1.").dsn());
    assertEquals("5.0.0", SmtpResponse.parse("550 3.1.1 x").dsn());
    assertEquals("5.0.0", SmtpResponse.parse("550 5.1").dsn());
    assertEquals("5.0.0", SmtpResponse.parse("550 ").dsn());
    assertEquals("5.0.0", SmtpResponse.parse("550").dsn());
    assertEquals("4.0.0", SmtpResponse.parse("450 4.\u0661.1 x").dsn()); // ASCII digits only
  }

  @Test
  void textJoinsLinesAsPostfixQuotesThem() {
    EmbeddedChannel ch = channel();
    write(ch, "550-5.1.1 first\r\n550 5.1.1 second\r\n");
    SmtpResponse r = ch.readInbound();
    assertEquals("550-5.1.1 first 550 5.1.1 second", r.text());
    assertEquals("5.1.1", r.dsn());
  }

  @Test
  void bareLfEndsALineAndABareCodeIsAReply() {
    EmbeddedChannel ch = channel();
    write(ch, "220 hi\n250\r\n");
    assertEquals("220 hi", ((SmtpResponse) ch.readInbound()).text());
    assertEquals("250", ((SmtpResponse) ch.readInbound()).text());
  }

  @Test
  void longLineIsCutAndItsRestSkipped() {
    EmbeddedChannel ch = channel();
    write(ch, "250 " + "x".repeat(300));
    write(ch, "y".repeat(50) + "\r\n220 next\r\n");
    SmtpResponse r = ch.readInbound();
    assertEquals(100, r.text().length());
    assertEquals("220 next", ((SmtpResponse) ch.readInbound()).text());
  }

  @Test
  void garbageIsAProtocolError() {
    EmbeddedChannel ch = channel();
    DecoderException e = assertThrows(DecoderException.class, () -> write(ch, "HTTP/1.1 400\r\n"));
    SmtpClientException c = assertInstanceOf(SmtpClientException.class, e.getCause());
    assertEquals(SmtpClientException.Kind.PROTOCOL, c.kind());
  }

  @Test
  void capabilitiesAreCaseInsensitiveWithSizeLimit() {
    EhloCapabilities c = EhloCapabilities.parse(SmtpResponse.of(250, List.of(
        "250-mx.example.com Hello", "250-pipelining", "250-SIZE 52428800", "250-8BITMIME",
        "250-dsn", "250-SMTPUTF8", "250 CHUNKING")));
    assertEquals("mx.example.com", c.serverName());
    assertEquals(true, c.pipelining());
    assertEquals(52428800L, c.sizeLimit());
    assertEquals(true, c.eightBitMime() && c.dsn() && c.smtputf8() && c.chunking());
    assertEquals(false, c.starttls());
    EhloCapabilities noLimit = EhloCapabilities.parse(SmtpResponse.of(250, List.of(
        "250-x", "250 SIZE")));
    assertEquals(true, noLimit.size());
    assertEquals(0L, noLimit.sizeLimit());
  }
}
