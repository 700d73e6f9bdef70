package io.gannet.smtp;

import java.util.List;
import java.util.Objects;

/**
 * One reply of an SMTP or LMTP server as the client reads it: the reply code, the enhanced status
 * code (RFC 3463) and every line of a multi-line reply, each as received without its CRLF (e.g.
 * {@code 250-PIPELINING}, {@code 250 SIZE 10240000}).
 *
 * <p>{@link #dsn()} is the enhanced status code of the first line when it is well-formed and of
 * the same class as the reply code; otherwise it is made from the code ({@code 4.0.0} for any
 * 4xx), as Postfix's smtp_chat does. {@link #text()} is the reply as Postfix quotes it in logs and
 * notices: the lines joined by single spaces, codes included.
 */
public record SmtpResponse(int code, String dsn, List<String> lines) {

  public SmtpResponse {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("bad SMTP reply code " + code);
    }
    Objects.requireNonNull(dsn, "dsn");
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("an SMTP reply has at least one line");
    }
  }

  /** A reply from its lines (each starting with the three-digit code); the dsn is derived. */
  public static SmtpResponse of(int code, List<String> lines) {
    return new SmtpResponse(code, dsnOf(code, lines.get(0)), lines);
  }

  /** A one-line reply such as {@code 250 2.0.0 Ok}. */
  public static SmtpResponse parse(String line) {
    if (line.length() < 3) {
      throw new IllegalArgumentException("not an SMTP reply: " + line);
    }
    int code = Integer.parseInt(line.substring(0, 3));
    return of(code, List.of(line));
  }

  /** 2xx. */
  public boolean isPositive() {
    return code / 100 == 2;
  }

  /** 3xx: the server waits for more (354 after DATA). */
  public boolean isIntermediate() {
    return code / 100 == 3;
  }

  /** 4xx. */
  public boolean isTransient() {
    return code / 100 == 4;
  }

  /** 5xx. */
  public boolean isPermanent() {
    return code / 100 == 5;
  }

  /** The reply as Postfix quotes it: every line, code included, joined by a space. */
  public String text() {
    return lines.size() == 1 ? lines.get(0) : String.join(" ", lines);
  }

  /**
   * The text of each line after the code and its separator (EHLO keywords, the server name of a
   * greeting); an empty string for a bare code.
   */
  public List<String> texts() {
    return lines.stream().map(l -> l.length() > 4 ? l.substring(4) : "").toList();
  }

  @Override
  public String toString() {
    return text();
  }

  /**
   * The enhanced status code at the start of the text of {@code firstLine} when it is well-formed
   * ({@code class.subject.detail}, subject and detail of 1 to 3 digits) and its class matches the
   * reply code; else {@code X.0.0} with X the first digit of the code.
   */
  static String dsnOf(int code, String firstLine) {
    char cls = (char) ('0' + code / 100);
    int end = enhancedEnd(firstLine);
    if (end > 0 && firstLine.charAt(4) == cls) {
      return firstLine.substring(4, end);
    }
    return cls + ".0.0";
  }

  /**
   * Where an enhanced status code {@code [245].D{1,3}.D{1,3}} that starts at index 4 of {@code
   * line} ends (followed by a space or the end of the line), or -1 if there is none. A hand-written
   * scan: every reply the client reads goes through it (no regular expression per reply).
   */
  private static int enhancedEnd(String line) {
    int n = line.length();
    if (n < 9) { // "250 " + "2.0.0"
      return -1;
    }
    char c = line.charAt(4);
    if ((c != '2' && c != '4' && c != '5') || line.charAt(5) != '.') {
      return -1;
    }
    int i = digits(line, 6);
    if (i < 0 || i >= n || line.charAt(i) != '.') {
      return -1;
    }
    i = digits(line, i + 1);
    if (i < 0 || (i < n && line.charAt(i) != ' ')) {
      return -1;
    }
    return i;
  }

  /** The index after 1 to 3 ASCII digits starting at {@code from}, or -1. */
  private static int digits(String s, int from) {
    int i = from;
    while (i < s.length() && i - from < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    if (i == from || (i < s.length() && i - from == 3 && s.charAt(i) >= '0'
        && s.charAt(i) <= '9')) {
      return -1; // no digit, or more than three
    }
    return i;
  }
}
