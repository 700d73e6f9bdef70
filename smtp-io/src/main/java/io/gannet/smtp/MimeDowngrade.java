package io.gannet.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * 8-bit to 7-bit conversion of a message for a server that does not offer 8BITMIME (RFC 6152),
 * the counterpart of Postfix's MIME downgrade ({@code mime_state} with {@code MIME_OPT_DOWNGRADE}).
 *
 * <p>The MIME structure is followed (RFC 2045, 2046): multipart bodies by their boundaries,
 * {@code message/rfc822} into the enclosed message, up to {@link #NESTING_LIMIT} levels. Every leaf
 * part whose body holds 8-bit bytes is encoded quoted-printable and its {@code
 * Content-Transfer-Encoding} header replaced (or added; a top-level message without {@code
 * MIME-Version} also gets {@code MIME-Version: 1.0}). A multipart or message entity labelled
 * {@code 8bit} or {@code binary} is relabelled {@code 7bit}, as is a leaf so labelled whose body is
 * in fact 7-bit. 8-bit bytes in a preamble or epilogue (which no reader decodes) are escaped the
 * quoted-printable way. Everything else passes unchanged; line ends come out as CRLF.
 *
 * <p>Conversion is impossible, and the message must bounce with {@code 5.6.3} (conversion
 * required but not supported), when a header holds 8-bit bytes (its charset is unknown, so it
 * cannot be encoded as RFC 2047 words) or a body that claims to be quoted-printable or base64
 * holds 8-bit bytes. Nesting deeper than the limit gives Postfix's {@code 5.6.0 MIME nesting
 * exceeds safety limit}.
 */
public final class MimeDowngrade {

  /** Deepest multipart/message nesting followed (Postfix's mime_nesting_limit). */
  public static final int NESTING_LIMIT = 100;

  /** The converted content, or why there is none ({@code dsn} and {@code error} non-null). */
  public record Result(byte[] content, String dsn, String error) {
    public boolean ok() {
      return content != null;
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private final byte[] src;
  private final List<int[]> lines; // {start, end} without the line end
  private final ByteArrayOutputStream out;
  private final Deque<byte[]> boundaries = new ArrayDeque<>();
  private int next;

  private MimeDowngrade(byte[] src) {
    this.src = src;
    this.lines = split(src);
    this.out = new ByteArrayOutputStream(src.length + src.length / 8 + 64);
  }

  /** True when any byte of {@code content} has its high bit set. */
  public static boolean has8bit(byte[] content) {
    return has8bit(content, 0, content.length);
  }

  static boolean has8bit(byte[] b, int from, int to) {
    int i = from;
    // eight bytes at a time: every message goes through this before delivery
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      if (((long) LONGS.get(b, i) & 0x8080808080808080L) != 0) {
        return true;
      }
    }
    for (; i < to; i++) {
      if (b[i] < 0) {
        return true;
      }
    }
    return false;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /** Converts {@code content} (CRLF lines) to 7-bit; content without 8-bit bytes is returned as is. */
  public static Result convert(byte[] content) {
    if (!has8bit(content)) {
      return new Result(content, null, null);
    }
    MimeDowngrade d = new MimeDowngrade(content);
    try {
      d.entity(0, false, true);
      return new Result(d.out.toByteArray(), null, null);
    } catch (Failure f) {
      return new Result(null, f.dsn, f.getMessage());
    }
  }

  // ---- structure -----------------------------------------------------------------------

  /** One entity: its headers, then its body up to an enclosing boundary or the end. */
  private void entity(int depth, boolean digestPart, boolean primary) throws Failure {
    List<Header> headers = readHeaders();
    boolean blank = next < lines.size() && length(next) == 0;
    if (blank) {
      next++;
    }
    for (Header h : headers) {
      for (int l = h.first; l < h.last; l++) {
        if (has8bit(src, lines.get(l)[0], lines.get(l)[1])) {
          throw new Failure(
              "5.6.3",
              "message header contains 8-bit data, but the remote server does not support"
                  + " 8BITMIME");
        }
      }
    }
    String contentType = value(headers, "content-type");
    String type = mediaType(contentType, digestPart ? "message/rfc822" : "text/plain");
    String cte = value(headers, "content-transfer-encoding");
    cte = cte == null ? "7bit" : cte.trim().toLowerCase(Locale.ROOT);
    boolean eightBitDomain = cte.equals("8bit") || cte.equals("binary");

    if (type.startsWith("multipart/")) {
      String boundary = parameter(contentType, "boundary");
      if (boundary != null && !boundary.isEmpty()) {
        nesting(depth);
        writeHeaders(headers, eightBitDomain ? "7bit" : null, false, blank);
        multipart(("--" + boundary).getBytes(StandardCharsets.ISO_8859_1), depth,
            type.equals("multipart/digest"));
        return;
      }
    } else if (type.equals("message/rfc822") && !cte.equals("quoted-printable")
        && !cte.equals("base64")) {
      nesting(depth);
      writeHeaders(headers, eightBitDomain ? "7bit" : null, false, blank);
      entity(depth + 1, false, false);
      return;
    }
    leaf(headers, blank, cte, eightBitDomain, primary && value(headers, "mime-version") == null);
  }

  private void nesting(int depth) throws Failure {
    if (depth >= NESTING_LIMIT) {
      throw new Failure("5.6.0", "MIME nesting exceeds safety limit");
    }
  }

  private void multipart(byte[] boundary, int depth, boolean digest) throws Failure {
    boundaries.push(boundary);
    try {
      copyUntilBoundary(); // preamble
      while (next < lines.size()) {
        int[] l = lines.get(next);
        if (!startsWith(l, boundary)) {
          return; // an enclosing multipart's boundary: this one was never closed
        }
        writeLine(l[0], l[1]);
        next++;
        if (isClose(l, boundary)) {
          boundaries.pop();
          copyUntilBoundary(); // epilogue
          return;
        }
        entity(depth + 1, digest, false);
      }
    } finally {
      if (!boundaries.isEmpty() && boundaries.peek() == boundary) {
        boundaries.pop();
      }
    }
  }

  private void leaf(
      List<Header> headers, boolean blank, String cte, boolean eightBitDomain, boolean addVersion)
      throws Failure {
    int from = next;
    while (next < lines.size() && !atBoundary(lines.get(next))) {
      next++;
    }
    boolean eightBit = false;
    for (int i = from; i < next && !eightBit; i++) {
      eightBit = has8bit(src, lines.get(i)[0], lines.get(i)[1]);
    }
    if (!eightBit) {
      writeHeaders(headers, eightBitDomain ? "7bit" : null, false, blank);
      for (int i = from; i < next; i++) {
        writeLine(lines.get(i)[0], lines.get(i)[1]);
      }
      return;
    }
    if (cte.equals("quoted-printable") || cte.equals("base64")) {
      throw new Failure(
          "5.6.3", "8-bit data in a " + cte + " body part cannot be converted to 7-bit");
    }
    writeHeaders(headers, "quoted-printable", addVersion, true);
    for (int i = from; i < next; i++) {
      quotedPrintable(lines.get(i)[0], lines.get(i)[1]);
    }
  }

  private void copyUntilBoundary() {
    while (next < lines.size() && !atBoundary(lines.get(next))) {
      int[] l = lines.get(next++);
      if (has8bit(src, l[0], l[1])) {
        for (int i = l[0]; i < l[1]; i++) {
          int b = src[i] & 0xff;
          if (b >= 0x80 || b == '=') {
            hex(b);
          } else {
            out.write(b);
          }
        }
        out.writeBytes(CRLF);
      } else {
        writeLine(l[0], l[1]);
      }
    }
  }

  private boolean atBoundary(int[] l) {
    for (byte[] b : boundaries) {
      if (startsWith(l, b)) {
        return true;
      }
    }
    return false;
  }

  private boolean startsWith(int[] l, byte[] prefix) {
    if (l[1] - l[0] < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (src[l[0] + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private boolean isClose(int[] l, byte[] boundary) {
    int i = l[0] + boundary.length;
    return l[1] - i >= 2 && src[i] == '-' && src[i + 1] == '-';
  }

  // ---- headers -------------------------------------------------------------------------

  /** A header: its lower-case name and its physical lines [first, last). */
  private record Header(String name, int first, int last) {}

  private List<Header> readHeaders() {
    List<Header> headers = new ArrayList<>();
    while (next < lines.size()) {
      int[] l = lines.get(next);
      if (l[1] == l[0]) {
        break; // the empty line ending the header block
      }
      byte c = src[l[0]];
      if ((c == ' ' || c == '\t') && !headers.isEmpty()) {
        Header h = headers.remove(headers.size() - 1);
        headers.add(new Header(h.name, h.first, next + 1));
        next++;
        continue;
      }
      String name = fieldName(l);
      if (name == null) {
        break; // not a header: the body starts here
      }
      headers.add(new Header(name, next, next + 1));
      next++;
    }
    return headers;
  }

  /** The lower-case field name of a header line, or null when the line is not a header. */
  private String fieldName(int[] l) {
    int i = l[0];
    while (i < l[1] && src[i] > ' ' && src[i] < 127 && src[i] != ':') {
      i++;
    }
    int nameEnd = i;
    while (i < l[1] && (src[i] == ' ' || src[i] == '\t')) {
      i++; // the obsolete "name :" form
    }
    if (nameEnd == l[0] || i >= l[1] || src[i] != ':') {
      return null;
    }
    return new String(src, l[0], nameEnd - l[0], StandardCharsets.US_ASCII)
        .toLowerCase(Locale.ROOT);
  }

  /** The unfolded value of the first header named {@code name}, or null. */
  private String value(List<Header> headers, String name) {
    for (Header h : headers) {
      if (h.name.equals(name)) {
        StringBuilder sb = new StringBuilder();
        for (int l = h.first; l < h.last; l++) {
          int[] line = lines.get(l);
          sb.append(new String(src, line[0], line[1] - line[0], StandardCharsets.ISO_8859_1));
        }
        String v = sb.toString();
        return v.substring(v.indexOf(':') + 1).trim();
      }
    }
    return null;
  }

  /**
   * Writes the header block; {@code cte} non-null replaces every Content-Transfer-Encoding header
   * by one with that value at the end of the block.
   */
  private void writeHeaders(List<Header> headers, String cte, boolean addVersion, boolean blank) {
    for (Header h : headers) {
      if (cte != null && h.name.equals("content-transfer-encoding")) {
        continue;
      }
      for (int l = h.first; l < h.last; l++) {
        writeLine(lines.get(l)[0], lines.get(l)[1]);
      }
    }
    if (addVersion) {
      out.writeBytes("MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    if (cte != null) {
      out.writeBytes(
          ("Content-Transfer-Encoding: " + cte + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    if (blank) {
      out.writeBytes(CRLF);
    }
  }

  /** {@code type/subtype} in lower case, or {@code def} when absent or malformed. */
  static String mediaType(String contentType, String def) {
    if (contentType == null) {
      return def;
    }
    int semi = contentType.indexOf(';');
    String t = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    int slash = t.indexOf('/');
    if (slash <= 0 || slash == t.length() - 1) {
      return def;
    }
    return t.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
  }

  /** A parameter of a Content-Type value (quoted strings unquoted), or null. */
  static String parameter(String contentType, String name) {
    if (contentType == null) {
      return null;
    }
    int i = contentType.indexOf(';');
    int n = contentType.length();
    while (i >= 0 && i < n) {
      i++;
      while (i < n && Character.isWhitespace(contentType.charAt(i))) {
        i++;
      }
      int eq = contentType.indexOf('=', i);
      if (eq < 0) {
        return null;
      }
      String pname = contentType.substring(i, eq).trim();
      i = eq + 1;
      while (i < n && Character.isWhitespace(contentType.charAt(i))) {
        i++;
      }
      StringBuilder v = new StringBuilder();
      if (i < n && contentType.charAt(i) == '"') {
        i++;
        while (i < n && contentType.charAt(i) != '"') {
          char c = contentType.charAt(i);
          if (c == '\\' && i + 1 < n) {
            c = contentType.charAt(++i);
          }
          v.append(c);
          i++;
        }
        i = contentType.indexOf(';', i);
      } else {
        int end = contentType.indexOf(';', i);
        v.append((end < 0 ? contentType.substring(i) : contentType.substring(i, end)).trim());
        i = end;
      }
      if (pname.equalsIgnoreCase(name)) {
        return v.toString();
      }
    }
    return null;
  }

  // ---- output --------------------------------------------------------------------------

  private void writeLine(int start, int end) {
    out.write(src, start, end - start);
    out.writeBytes(CRLF);
  }

  /** One line as quoted-printable (RFC 2045 6.7): soft breaks keep lines at 76 characters. */
  private void quotedPrintable(int start, int end) {
    int col = 0;
    for (int i = start; i < end; i++) {
      int b = src[i] & 0xff;
      boolean literal =
          (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && i < end - 1);
      int width = literal ? 1 : 3;
      if (col + width > 75) {
        out.write('=');
        out.writeBytes(CRLF);
        col = 0;
      }
      if (literal) {
        out.write(b);
      } else {
        hex(b);
      }
      col += width;
    }
    out.writeBytes(CRLF);
  }

  private void hex(int b) {
    out.write('=');
    out.write(HEX[b >> 4]);
    out.write(HEX[b & 0xf]);
  }

  private int length(int line) {
    return lines.get(line)[1] - lines.get(line)[0];
  }

  /** Lines of {@code b}: CRLF or a bare LF ends a line; a last line may have no end. */
  private static List<int[]> split(byte[] b) {
    List<int[]> out = new ArrayList<>(b.length / 40 + 4);
    int start = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n') {
        int end = i > start && b[i - 1] == '\r' ? i - 1 : i;
        out.add(new int[] {start, end});
        start = i + 1;
      }
    }
    if (start < b.length) {
      out.add(new int[] {start, b.length});
    }
    return out;
  }

  private static final class Failure extends Exception {
    final String dsn;

    Failure(String dsn, String text) {
      super(text, null, false, false);
      this.dsn = dsn;
    }
  }
}
