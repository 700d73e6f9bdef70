package io.gannet.bounce;

import java.util.ArrayList;
import java.util.List;

/**
 * Text rules of the notices: untrusted text made safe for a header-like field or a text line,
 * folding and wrapping within the limits of RFC 5322 (lines of at most 998 octets, 78 preferred),
 * and the {@code utf-8-addr-xtext} form of RFC 6533 for non-ASCII addresses in plain reports.
 */
final class MimeText {

  /** Longest line RFC 5322 allows, in octets, without its CRLF. */
  static final int MAX_LINE = 998;

  /** Preferred line length. */
  static final int PREFERRED_LINE = 78;

  private MimeText() {}

  /** {@code text} with every control character (CR and LF included) replaced by a space. */
  static String clean(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        if (sb == null) {
          sb = new StringBuilder(text);
        }
        sb.setCharAt(i, ' ');
      }
    }
    return sb == null ? text : sb.toString();
  }

  /** {@code text} cleaned, with every non-ASCII character replaced by {@code ?}. */
  static String ascii(String text) {
    String s = clean(text);
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      sb.append(cp < 0x80 ? (char) cp : '?');
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 6533 utf-8-addr-xtext: printable ASCII except {@code +}, {@code =} and {@code \}, all
   * else as {@code \x{HEX}} of the code point.
   */
  static String utf8AddrXtext(String address) {
    StringBuilder sb = new StringBuilder(address.length() + 8);
    for (int i = 0; i < address.length(); ) {
      int cp = address.codePointAt(i);
      if (cp > 0x20 && cp < 0x7f && cp != '+' && cp != '=' && cp != '\\') {
        sb.append((char) cp);
      } else {
        sb.append("\\x{").append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT))
            .append('}');
      }
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  /**
   * The field {@code name: value} (value already cleaned), folded at spaces to lines of about 78
   * octets and never more than 998, joined with CRLF and a leading space, without a final CRLF.
   */
  static String field(String name, String value) {
    return String.join("\r\n", wrap(name + ": " + value, PREFERRED_LINE, " "));
  }

  /**
   * Splits {@code line} (no line breaks) at spaces into lines of at most {@code width} octets
   * where it can, continuation lines starting with {@code indent}. A word that does not fit in
   * {@link #MAX_LINE} octets is cut there. Widths are counted in UTF-8 octets.
   */
  static List<String> wrap(String line, int width, String indent) {
    List<String> out = new ArrayList<>();
    String rest = line;
    String prefix = "";
    while (true) {
      String candidate = prefix + rest;
      if (octets(candidate) <= width) {
        out.add(candidate);
        return out;
      }
      int room = width - octets(prefix);
      int cut = lastSpaceWithin(rest, room);
      if (cut <= 0) {
        // No space in reach: take the long word whole if it fits the hard limit.
        int next = rest.indexOf(' ', 1);
        int end = next < 0 ? rest.length() : next;
        if (octets(prefix + rest.substring(0, end)) > MAX_LINE) {
          end = prefixWithin(rest, MAX_LINE - octets(prefix));
        }
        cut = end;
      }
      String head = rest.substring(0, cut);
      String tail = rest.substring(cut).stripLeading();
      if (tail.isEmpty()) {
        out.add(prefix + head.stripTrailing());
        return out;
      }
      out.add(prefix + head.stripTrailing());
      rest = tail;
      prefix = indent;
    }
  }

  /** Index of the last space in {@code s} such that {@code s[0, i)} fits {@code room} octets. */
  private static int lastSpaceWithin(String s, int room) {
    int best = -1;
    int used = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' && i > 0 && used <= room) {
        best = i;
      }
      used += octets(c);
      if (used > room) {
        break;
      }
    }
    return best;
  }

  /** The longest prefix length of {@code s} of at most {@code room} octets (at least 1 char). */
  private static int prefixWithin(String s, int room) {
    int used = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int n = octets(cp);
      if (used + n > room && i > 0) {
        break;
      }
      used += n;
      i += Character.charCount(cp);
    }
    return i;
  }

  static int octets(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      n += octets(cp);
      i += Character.charCount(cp);
    }
    return n;
  }

  private static int octets(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
