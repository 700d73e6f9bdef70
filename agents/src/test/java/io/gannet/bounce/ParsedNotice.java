package io.gannet.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A composed notice read back with Jakarta Mail (Angus), checked for what every notice must be
 * (CRLF line ends, lines of at most 998 octets, a complete multipart/report whose report-type
 * names its second part), with the delivery-status fields split into blocks.
 */
final class ParsedNotice {

  final byte[] raw;
  final MimeMessage message;
  final ContentType type;
  final MimeMultipart multipart;
  final List<BodyPart> parts = new ArrayList<>();

  ParsedNotice(byte[] raw) throws MessagingException, IOException {
    this.raw = raw;
    checkLines(raw);
    Properties props = new Properties();
    props.setProperty("mail.mime.allowutf8", "true");
    Session session = Session.getInstance(props);
    this.message = new MimeMessage(session, new ByteArrayInputStream(raw));
    this.type = new ContentType(message.getContentType());
    this.multipart = new MimeMultipart(message.getDataHandler().getDataSource());
    for (int i = 0; i < multipart.getCount(); i++) {
      parts.add(multipart.getBodyPart(i));
    }
    assertTrue(multipart.isComplete(), "closing boundary found");
    assertEquals("multipart/report", type.getBaseType());
    String reportType = type.getParameter("report-type");
    assertTrue(parts.size() == 2 || parts.size() == 3, "2 or 3 parts, got " + parts.size());
    assertEquals("message/" + reportType, baseType(1), "report-type names the second part");
  }

  static void checkLines(byte[] c) {
    int len = 0;
    for (int i = 0; i < c.length; i++) {
      if (c[i] == '\r') {
        if (i + 1 >= c.length || c[i + 1] != '\n') {
          fail("bare CR at " + i);
        }
      } else if (c[i] == '\n') {
        if (i == 0 || c[i - 1] != '\r') {
          fail("bare LF at " + i);
        }
        len = 0;
      } else if (++len > 998) {
        fail("line longer than 998 octets at " + i);
      }
    }
    assertTrue(c.length >= 2 && c[c.length - 2] == '\r' && c[c.length - 1] == '\n',
        "ends in CRLF");
  }

  String header(String name) throws MessagingException {
    String v = message.getHeader(name, null);
    return v == null ? null : MimeUtility.unfold(v);
  }

  String baseType(int part) throws MessagingException {
    return new ContentType(parts.get(part).getContentType()).getBaseType().toLowerCase();
  }

  ContentType contentType(int part) throws MessagingException {
    return new ContentType(parts.get(part).getContentType());
  }

  byte[] bytes(int part) throws MessagingException, IOException {
    try (InputStream in = parts.get(part).getInputStream()) {
      return in.readAllBytes();
    }
  }

  String text(int part) throws MessagingException, IOException {
    return new String(bytes(part), StandardCharsets.UTF_8);
  }

  /** The human part with its wrapped lines joined by single spaces, for phrase checks. */
  String flatText() throws MessagingException, IOException {
    return text(0).replaceAll("\r\n(    )?", " ");
  }

  /** The delivery-status part as field blocks: per-message first, then one per recipient. */
  List<InternetHeaders> deliveryStatus() throws MessagingException, IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes(1));
    List<InternetHeaders> blocks = new ArrayList<>();
    while (in.available() > 0) {
      InternetHeaders h = new InternetHeaders(in, true);
      if (h.getAllHeaderLines().hasMoreElements()) {
        blocks.add(h);
      }
    }
    return blocks;
  }

  /** The one value of {@code name} in {@code block}, unfolded, or {@code null}. */
  static String field(InternetHeaders block, String name) {
    String[] v = block.getHeader(name);
    if (v == null) {
      return null;
    }
    assertEquals(1, v.length, name + " appears once");
    return MimeUtility.unfold(v[0]);
  }
}
