package io.gannet.smtp;

/**
 * The xtext encoding of DSN parameters (RFC 3461 section 4): printable ASCII except {@code +} and
 * {@code =}, which travel as {@code +XX} with two upper-case hex digits.
 */
public final class Xtext {

  private Xtext() {}

  /**
   * Decodes {@code text}; returns {@code null} when it is not valid xtext or decodes to anything
   * but printable ASCII ({@code !} to {@code ~} and space).
   */
  public static String decode(String text) {
    StringBuilder out = null;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '+') {
        if (i + 2 >= n) {
          return null;
        }
        int hi = hex(text.charAt(i + 1));
        int lo = hex(text.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          return null;
        }
        char d = (char) (hi << 4 | lo);
        if (d < 0x20 || d > 0x7e) {
          return null;
        }
        if (out == null) {
          out = new StringBuilder(n).append(text, 0, i);
        }
        out.append(d);
        i += 2;
      } else if (c < '!' || c > '~' || c == '=') {
        return null;
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /** Encodes {@code text} (printable ASCII) as xtext. */
  public static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '!' || c > '~' || c == '+' || c == '=') {
        out.append('+')
            .append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
