package io.gannet.cleanup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeaderBlockTest {

  private static HeaderBlock parse(String s) {
    return HeaderBlock.parse(s.getBytes(UTF_8));
  }

  @Test
  void foldedHeadersAreOneLogicalHeader() {
    HeaderBlock h = parse("Subject: a\r\n\tb\r\n c\r\nTo: x\r\n\r\nbody\r\n");
    assertEquals(2, h.count());
    assertEquals("Subject: a\tb c", h.unfolded(0));
    assertEquals("a\tb c", h.value(0));
    assertTrue(h.nameIs(0, "subject"));
    assertTrue(h.nameIs(1, "TO"));
    assertEquals(27, h.separator());
    assertEquals(29, h.bodyStart());
    assertFalse(h.needsSeparator());
  }

  @Test
  void blanksBeforeTheColonAreAllowed() {
    HeaderBlock h = parse("Subject : x\r\n\r\n");
    assertEquals(1, h.count());
    assertTrue(h.nameIs(0, "Subject"));
  }

  @Test
  void aLineThatIsNotAHeaderStartsTheBody() {
    HeaderBlock h = parse("Subject: x\r\nthis is text\r\n");
    assertEquals(1, h.count());
    assertEquals(-1, h.separator());
    assertEquals(12, h.bodyStart());
    assertTrue(h.needsSeparator());
  }

  @Test
  void continuationLineFirstIsBody() {
    HeaderBlock h = parse(" indented\r\nSubject: x\r\n");
    assertEquals(0, h.count());
    assertEquals(0, h.bodyStart());
  }

  @Test
  void noBodyNoSeparator() {
    HeaderBlock h = parse("A: 1\r\nB: 2");
    assertEquals(2, h.count());
    assertFalse(h.endsWithNewline(1));
    assertFalse(h.needsSeparator());
  }

  @Test
  void nonAsciiHeaderNameIsNotAHeader() {
    assertEquals(0, parse("Sübject: x\r\n\r\n").count());
  }

  @Test
  void utf8HeaderValuesDecode() {
    assertEquals("Subject: caf\u00e9", parse("Subject: caf\u00e9\r\n\r\n").unfolded(0));
  }

  @Test
  void manyHeadersGrowTheArrays() {
    HeaderBlock h = parse("X: 1\r\n".repeat(1000) + "\r\n");
    assertEquals(1000, h.count());
  }
}
