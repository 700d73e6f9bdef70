package io.gannet.cleanup;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header block of a message, found by one scan over the content without copying it: where each
 * logical header (a header line and its folded continuation lines) starts and ends, and where the
 * body starts.
 *
 * <p>The header block ends at the first empty line (the separator, which belongs to neither part
 * here), at the first line that is not a header ({@code name:} with printable ASCII name
 * characters), or at the end of the content. A message may have no headers (it starts with an empty
 * line or with body text) or no body. Lines end in CRLF; a bare LF also ends a line (smtpd refuses
 * those, but this parser does not trip over them).
 */
final class HeaderBlock {

  private final byte[] content;
  private int count;
  private int[] starts = new int[32];
  private int[] ends = new int[32]; // exclusive, including the line end
  private int[] nameEnds = new int[32];

  /** Offset of the empty separator line, or -1 when there is none. */
  private int separator = -1;

  /** Offset where the body text starts (after the separator line, if any). */
  private int bodyStart;

  private HeaderBlock(byte[] content) {
    this.content = content;
  }

  static HeaderBlock parse(byte[] content) {
    HeaderBlock h = new HeaderBlock(content);
    h.scan();
    return h;
  }

  private void scan() {
    int pos = 0;
    int len = content.length;
    while (pos < len) {
      int lineEnd = lineEnd(pos);
      int textEnd = textEnd(pos, lineEnd);
      if (textEnd == pos) {
        separator = pos;
        bodyStart = lineEnd;
        return;
      }
      byte first = content[pos];
      if ((first == ' ' || first == '\t') && count > 0) {
        ends[count - 1] = lineEnd;
      } else {
        int nameEnd = headerNameEnd(pos, textEnd);
        if (nameEnd < 0) {
          bodyStart = pos;
          return;
        }
        add(pos, lineEnd, nameEnd);
      }
      pos = lineEnd;
    }
    bodyStart = len;
  }

  private void add(int start, int end, int nameEnd) {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
      nameEnds = Arrays.copyOf(nameEnds, count * 2);
    }
    starts[count] = start;
    ends[count] = end;
    nameEnds[count] = nameEnd;
    count++;
  }

  /** Offset after the line's LF, or the content length. */
  int lineEnd(int pos) {
    for (int i = pos; i < content.length; i++) {
      if (content[i] == '\n') {
        return i + 1;
      }
    }
    return content.length;
  }

  /** Offset of the line's CRLF or LF (its text end). */
  int textEnd(int pos, int lineEnd) {
    int e = lineEnd;
    if (e > pos && content[e - 1] == '\n') {
      e--;
      if (e > pos && content[e - 1] == '\r') {
        e--;
      }
    }
    return e;
  }

  /** RFC 5322 field name (printable ASCII but ':'), optional blanks, ':'; else -1. */
  private int headerNameEnd(int pos, int textEnd) {
    int i = pos;
    while (i < textEnd) {
      byte b = content[i];
      if (b == ':' || b == ' ' || b == '\t' || b < 33 || b > 126) {
        break;
      }
      i++;
    }
    if (i == pos) {
      return -1;
    }
    int nameEnd = i;
    while (i < textEnd && (content[i] == ' ' || content[i] == '\t')) {
      i++;
    }
    return i < textEnd && content[i] == ':' ? nameEnd : -1;
  }

  int count() {
    return count;
  }

  int start(int i) {
    return starts[i];
  }

  int end(int i) {
    return ends[i];
  }

  /** True when the header's name is {@code name}, compared ignoring ASCII case. */
  boolean nameIs(int i, String name) {
    int len = nameEnds[i] - starts[i];
    if (len != name.length()) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      int a = content[starts[i] + k] | 0x20;
      int b = name.charAt(k) | 0x20;
      if (a != b) {
        return false;
      }
    }
    return true;
  }

  /** True when the logical header ends with a line end (it may not, at the end of content). */
  boolean endsWithNewline(int i) {
    return ends[i] > starts[i] && content[ends[i] - 1] == '\n';
  }

  /** The whole logical header unfolded (line ends removed), e.g. {@code Subject: a b}. */
  String unfolded(int i) {
    return unfold(starts[i], ends[i]);
  }

  /** The header's value: after the colon, unfolded, trimmed. */
  String value(int i) {
    String all = unfolded(i);
    return all.substring(all.indexOf(':') + 1).strip();
  }

  private String unfold(int from, int to) {
    byte[] buf = new byte[to - from];
    int n = 0;
    for (int k = from; k < to; k++) {
      byte b = content[k];
      if (b != '\r' && b != '\n') {
        buf[n++] = b;
      }
    }
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  int separator() {
    return separator;
  }

  int bodyStart() {
    return bodyStart;
  }

  /** True when the header block ends without an empty line and body text follows. */
  boolean needsSeparator() {
    return separator < 0 && bodyStart < content.length;
  }
}
