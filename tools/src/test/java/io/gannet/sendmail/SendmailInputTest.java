package io.gannet.sendmail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading standard input, -t and -F. */
class SendmailInputTest {

  private static String read(boolean dotEnds, long limit, String in) throws Exception {
    byte[] out = new MessageReader(dotEnds, limit)
        .read(new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)));
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  @Test
  void linesBecomeCrLfTheDotEndsTheMboxSeparatorGoes() throws Exception {
    assertEquals("a\r\nb\r\nc\r\n", read(true, 0, "a\nb\r\nc"));
    assertEquals("a\r\n", read(true, 0, "a\n.\nb\n"));
    assertEquals("a\r\n.\r\nb\r\n", read(false, 0, "a\n.\nb\n"));
    assertEquals("a\r\n..\r\n", read(true, 0, "a\n..\n"), "not dot-stuffed, not unstuffed");
    assertEquals("Subject: x\r\n", read(true, 0, "From alice Mon Jan 1\nSubject: x\n"));
    assertEquals("x\r\nFrom here\r\n", read(true, 0, "x\nFrom here\n"));
    assertEquals("\u00e9\rz\r\n", read(true, 0, "\u00e9\rz\n"), "bytes carried as they are");
    assertEquals("", read(true, 0, ""));
  }

  @Test
  void theSizeLimitCountsTheContentAsStored() throws Exception {
    assertEquals("12345678\r\n", read(true, 10, "12345678\n"));
    assertThrows(MessageReader.TooBigException.class, () -> read(true, 10, "123456789\n"));
    assertThrows(MessageReader.TooBigException.class,
        () -> read(true, 10, "x".repeat(1000)), "a long line without LF is cut short too");
  }

  @Test
  void recipientsFromHeadersAndBccRemoved() {
    byte[] in = ("To: a@x.test,\r\n\tb@x.test\r\nBcc: c@x.test\r\nbcc: d@x.test\r\n"
        + "Subject: s\r\n\r\nTo: not@header.test\r\n").getBytes(StandardCharsets.US_ASCII);
    HeaderRecipients.Result r = HeaderRecipients.extract(in);
    assertEquals(List.of("a@x.test", "b@x.test", "c@x.test", "d@x.test"), r.recipients());
    assertEquals("To: a@x.test,\r\n\tb@x.test\r\nSubject: s\r\n\r\nTo: not@header.test\r\n",
        new String(r.content(), StandardCharsets.US_ASCII));
    assertThrows(IllegalArgumentException.class,
        () -> HeaderRecipients.extract(bytes("To: \"unterminated <a@x.test>\r\n\r\n")));
    assertThrows(IllegalArgumentException.class,
        () -> HeaderRecipients.extract(bytes("To: <a@x.test\r\n\r\n")));
    byte[] noHeaders = "just a body\r\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals(List.of(), HeaderRecipients.extract(noHeaders).recipients());
    assertArrayEquals(noHeaders, HeaderRecipients.extract(noHeaders).content());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void fullNamesAreQuotedWhenTheyMustBeAndCannotInjectHeaders() {
    assertEquals("Alice Doe", FromHeader.phrase("Alice Doe"));
    assertEquals("\"Doe, Alice\"", FromHeader.phrase("Doe, Alice"));
    assertEquals("\"A \\\"B\\\" C\"", FromHeader.phrase("A \"B\" C"));
    assertEquals("AliceBcc: x@y", FromHeader.phrase("Alice\r\nBcc: x@y").replace("\"", ""));
  }
}
