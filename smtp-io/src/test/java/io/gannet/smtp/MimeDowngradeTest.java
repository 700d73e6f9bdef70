package io.gannet.smtp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MimeDowngradeTest {

  private static String convert(String in) {
    MimeDowngrade.Result r = MimeDowngrade.convert(in.getBytes(UTF_8));
    assertTrue(r.ok(), () -> r.error());
    String out = new String(r.content(), UTF_8);
    for (char c : out.toCharArray()) {
      assertTrue(c < 0x80, "7-bit output");
    }
    return out;
  }

  @Test
  void has8bitFindsAHighByteAtEveryPositionAndLength() {
    for (int length = 0; length <= 40; length++) {
      byte[] b = new byte[length];
      java.util.Arrays.fill(b, (byte) 'x');
      assertFalse(MimeDowngrade.has8bit(b), "length " + length);
      for (int i = 0; i < length; i++) {
        b[i] = (byte) 0x80;
        assertTrue(MimeDowngrade.has8bit(b), "length " + length + ", at " + i);
        for (int from = 0; from <= length; from++) {
          for (int to = from; to <= length; to++) {
            assertEquals(i >= from && i < to, MimeDowngrade.has8bit(b, from, to),
                "length " + length + ", at " + i + ", [" + from + ", " + to + ")");
          }
        }
        b[i] = (byte) 'x';
      }
    }
  }

  @Test
  void sevenBitContentIsReturnedAsIs() {
    byte[] c = "Subject: x\r\n\r\nplain\r\n".getBytes(UTF_8);
    assertSame(c, MimeDowngrade.convert(c).content());
  }

  @Test
  void nonMimeMessageGetsMimeHeaders() {
    assertEquals("Subject: x\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable"
        + "\r\n\r\ncaf=C3=A9 =3D ok\r\n", convert("Subject: x\r\n\r\ncafé = ok\r\n"));
  }

  @Test
  void multipartConvertsOnlyTheEightBitParts() {
    String in = "MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n\r\n"
        + "preamble\r\n"
        + "--b1\r\nContent-Type: text/plain\r\n\r\nascii part\r\n"
        + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n\r\nünïcödé\r\n"
        + "--b1--\r\nepilogue\r\n";
    assertEquals("MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        + "Content-Transfer-Encoding: 7bit\r\n\r\n"
        + "preamble\r\n"
        + "--b1\r\nContent-Type: text/plain\r\n\r\nascii part\r\n"
        + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        + "=C3=BCn=C3=AFc=C3=B6d=C3=A9\r\n"
        + "--b1--\r\nepilogue\r\n", convert(in));
  }

  @Test
  void nestedMessageIsFollowed() {
    String in = "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "Subject: inner\r\nContent-Type: text/plain\r\n\r\nçà\r\n";
    assertEquals("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
        + "Subject: inner\r\nContent-Type: text/plain\r\n"
        + "Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A7=C3=A0\r\n", convert(in));
  }

  @Test
  void longLinesGetSoftBreaksAndTrailingSpaceIsEncoded() {
    String out = convert("Subject: x\r\n\r\n" + "é".repeat(40) + " \r\n");
    String body = out.substring(out.indexOf("\r\n\r\n") + 4);
    for (String line : body.split("\r\n")) {
      assertTrue(line.length() <= 76, line);
    }
    assertTrue(body.endsWith("=20\r\n"), body);
    assertFalse(body.contains("=C\r\n"), "escapes are never split");
  }

  @Test
  void eightBitHeaderCannotBeConverted() {
    MimeDowngrade.Result r = MimeDowngrade.convert("Subject: é\r\n\r\nx\r\n".getBytes(UTF_8));
    assertNull(r.content());
    assertEquals("5.6.3", r.dsn());
  }

  @Test
  void eightBitInsideBase64CannotBeConverted() {
    MimeDowngrade.Result r = MimeDowngrade.convert(
        "Content-Transfer-Encoding: base64\r\n\r\nab\u00e9\r\n".getBytes(UTF_8));
    assertEquals("5.6.3", r.dsn());
  }

  @Test
  void parametersAndTypes() {
    assertEquals("a b", MimeDowngrade.parameter("multipart/mixed; charset=x; boundary=\"a b\"",
        "boundary"));
    assertEquals("xyz", MimeDowngrade.parameter("multipart/mixed;boundary=xyz", "BOUNDARY"));
    assertEquals("text/plain", MimeDowngrade.mediaType(null, "text/plain"));
    assertEquals("multipart/mixed", MimeDowngrade.mediaType("Multipart/Mixed ; x=y", "t/p"));
  }
}
