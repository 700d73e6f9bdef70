package io.gannet.bounce;

import io.gannet.bounce.DueNotice.Audience;
import io.gannet.global.DsnRet;
import io.gannet.journal.JournalRecord.NoticeKind;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The third part of a notice: the original message, or its headers, or nothing, as RFC 3462 and
 * RFC 6533 type it. Bounces return the whole message unless the sender asked for headers ({@code
 * RET=HDRS}) or it is larger than {@code bounce_size_limit}; delay and success notices return the
 * headers. Line ends are normalized to CRLF; a body with a line longer than 998 octets or a NUL
 * is left out (headers only), and headers like that leave the original out; {@link #note} then
 * says why.
 *
 * @param type the MIME type, or {@code null} when the original is left out
 * @param description the part's Content-Description
 * @param bytes the part's content, CRLF line ends, ending in CRLF when not empty
 * @param eightBit whether {@code bytes} has octets above 127
 * @param note a sentence for the human part when less than asked for is returned, or {@code null}
 */
record OriginalPart(String type, String description, byte[] bytes, boolean eightBit,
    String note) {

  /** What {@code kind} returns of {@code content} (which may be {@code null}). */
  static OriginalPart of(NoticeKind kind, Audience audience, DsnRet ret, boolean global,
      byte[] content, long sizeLimit) {
    if (content == null) {
      return none("The original message could not be read, so it is not included.");
    }
    byte[] normal = normalize(content);
    int headerEnd = headerEnd(normal);
    byte[] headers = Arrays.copyOf(normal, headerEnd);
    if (!linesFit(headers)) {
      return none("The original message is not included: its headers have lines longer than "
          + MimeText.MAX_LINE + " bytes or NUL bytes.");
    }
    boolean full = kind == NoticeKind.BOUNCE
        && (audience == Audience.DOUBLE_BOUNCE || ret != DsnRet.HDRS);
    String note = null;
    if (full && content.length > sizeLimit) {
      full = false;
      note = "The original message is larger than " + sizeLimit
          + " bytes, so only its headers are included.";
    }
    if (full && !linesFit(normal)) {
      full = false;
      note = "The body of the original message is not included: it has lines longer than "
          + MimeText.MAX_LINE + " bytes or NUL bytes.";
    }
    if (full) {
      return new OriginalPart(global ? "message/global" : "message/rfc822",
          kind == NoticeKind.BOUNCE ? "Undelivered Message" : "Message", normal,
          hasEightBit(normal), note);
    }
    String description = switch (kind) {
      case BOUNCE, DELAY -> "Undelivered Message Headers";
      case SUCCESS -> "Delivered Message Headers";
    };
    return new OriginalPart(global ? "message/global-headers" : "text/rfc822-headers",
        description, headers, hasEightBit(headers), note);
  }

  private static OriginalPart none(String note) {
    return new OriginalPart(null, null, new byte[0], false, note);
  }

  /** {@code content} with bare CR and bare LF made CRLF, ending in CRLF when not empty. */
  static byte[] normalize(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 2);
    for (int i = 0; i < content.length; i++) {
      byte b = content[i];
      if (b == '\r') {
        out.write('\r');
        out.write('\n');
        if (i + 1 < content.length && content[i + 1] == '\n') {
          i++;
        }
      } else if (b == '\n') {
        out.write('\r');
        out.write('\n');
      } else {
        out.write(b);
      }
    }
    byte[] r = out.toByteArray();
    if (r.length > 0 && r[r.length - 1] != '\n') {
      r = Arrays.copyOf(r, r.length + 2);
      r[r.length - 2] = '\r';
      r[r.length - 1] = '\n';
    }
    return r;
  }

  /**
   * Length of the header section of normalized content, its last CRLF included and the empty line
   * excluded: 0 when the content starts with an empty line, all of it when it has none.
   */
  static int headerEnd(byte[] c) {
    if (c.length >= 2 && c[0] == '\r' && c[1] == '\n') {
      return 0;
    }
    for (int i = 0; i + 3 < c.length; i++) {
      if (c[i] == '\r' && c[i + 1] == '\n' && c[i + 2] == '\r' && c[i + 3] == '\n') {
        return i + 2;
      }
    }
    return c.length;
  }

  /** True when every line of normalized {@code c} has at most 998 octets and no NUL. */
  static boolean linesFit(byte[] c) {
    int len = 0;
    for (byte b : c) {
      if (b == 0) {
        return false;
      }
      if (b == '\r') {
        continue; // always followed by LF after normalize
      }
      if (b == '\n') {
        len = 0;
      } else if (++len > MimeText.MAX_LINE) {
        return false;
      }
    }
    return true;
  }

  static boolean hasEightBit(byte[] c) {
    for (byte b : c) {
      if (b < 0) {
        return true;
      }
    }
    return false;
  }
}
