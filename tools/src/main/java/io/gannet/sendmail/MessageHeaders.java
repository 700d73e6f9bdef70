package io.gannet.sendmail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header block of a message given to sendmail (CR LF line ends): where each header field (a
 * line {@code Name: value} and its folded continuation lines) starts and ends. The block ends at
 * the first empty line, at the first line that is not a header field, or at the end of the
 * content.
 */
final class MessageHeaders {

  /** One header field: its name as written, and its bytes {@code [start, end)} with line ends. */
  record Field(String name, int start, int end) {}

  private final byte[] content;
  private final List<Field> fields;

  private MessageHeaders(byte[] content, List<Field> fields) {
    this.content = content;
    this.fields = fields;
  }

  static MessageHeaders parse(byte[] content) {
    List<Field> fields = new ArrayList<>();
    int pos = 0;
    while (pos < content.length) {
      int nameEnd = nameEnd(content, pos);
      if (nameEnd < 0) {
        break; // empty line, or not a header field: the header block ends
      }
      int end = lineEnd(content, pos);
      while (end < content.length && (content[end] == ' ' || content[end] == '\t')) {
        end = lineEnd(content, end);
      }
      fields.add(new Field(new String(content, pos, nameEnd - pos, StandardCharsets.US_ASCII),
          pos, end));
      pos = end;
    }
    return new MessageHeaders(content, List.copyOf(fields));
  }

  /** The offset of the colon of a header line at {@code pos}, or -1. */
  private static int nameEnd(byte[] b, int pos) {
    int i = pos;
    while (i < b.length && b[i] > ' ' && b[i] < 127 && b[i] != ':') {
      i++;
    }
    return i > pos && i < b.length && b[i] == ':' ? i : -1;
  }

  /** The offset after the line end (LF) of the line at {@code pos}, or the content's end. */
  private static int lineEnd(byte[] b, int pos) {
    int i = pos;
    while (i < b.length && b[i] != '\n') {
      i++;
    }
    return i < b.length ? i + 1 : i;
  }

  List<Field> fields() {
    return fields;
  }

  boolean has(String name) {
    return fields.stream().anyMatch(f -> f.name().equalsIgnoreCase(name));
  }

  /** The value of a field, unfolded (line ends removed), decoded as UTF-8. */
  String value(Field f) {
    int from = f.start() + f.name().length() + 1;
    String v = new String(content, from, f.end() - from, StandardCharsets.UTF_8);
    return v.replaceAll("\r?\n", "").strip();
  }

  /** The content without the fields of these names (lower case). */
  byte[] without(Set<String> lowerCaseNames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
    int pos = 0;
    for (Field f : fields) {
      if (lowerCaseNames.contains(f.name().toLowerCase(Locale.ROOT))) {
        out.write(content, pos, f.start() - pos);
        pos = f.end();
      }
    }
    out.write(content, pos, content.length - pos);
    return out.toByteArray();
  }

  /** The content with {@code line} (no line end) as its first header line. */
  byte[] withFirst(String line) {
    byte[] l = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[l.length + content.length];
    System.arraycopy(l, 0, out, 0, l.length);
    System.arraycopy(content, 0, out, l.length, content.length);
    return out;
  }
}
