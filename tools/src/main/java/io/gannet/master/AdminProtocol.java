package io.gannet.master;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin protocol of the running daemon: line-based UTF-8 text over the UNIX stream socket
 * {@code $queue_directory/private/admin} ({@link DaemonFiles#adminSocket}), which only the owner of
 * the queue can reach ({@code private/} is 0700, the socket 0600).
 *
 * <p>One request per connection. The client sends one line, LF-terminated (CR LF accepted), of at
 * most {@value #MAX_REQUEST_BYTES} bytes: a command name and its arguments separated by single
 * spaces. Inside a word, {@code %}, space and control characters are written {@code %XX} (the
 * hexadecimal value of each UTF-8 byte), so any argument can be carried:
 *
 * <pre>
 *   flush-site example.com
 *   super -h 4Bx9kq2ZmT5 held%20by%20admin
 * </pre>
 *
 * <p>The daemon answers with zero or more data lines, each starting with {@code -} followed by the
 * text, then exactly one final line, {@code OK} or {@code ERR reason}, and closes:
 *
 * <pre>
 *   -pid = 4711
 *   -started = 2024-11-23T16:45:05Z
 *   OK
 * </pre>
 *
 * <p>Errors: {@code ERR empty request}, {@code ERR request too long}, {@code ERR bad encoding},
 * {@code ERR unknown command: NAME}, {@code ERR busy}, and the reasons of the commands. A client
 * that sends no complete line within {@value #REQUEST_TIMEOUT_MILLIS} ms is disconnected without an
 * answer. Built-in commands: {@code status}, {@code stop}, {@code reload} ({@link Master}); the
 * rest are the {@link DaemonBody}'s.
 */
public final class AdminProtocol {
  /** The longest request line, in bytes, LF excluded. */
  public static final int MAX_REQUEST_BYTES = 4096;

  /** How long the daemon waits for a client's request line. */
  public static final long REQUEST_TIMEOUT_MILLIS = 10_000;

  /** The final line of a successful reply. */
  public static final String OK = "OK";

  /** The start of the final line of a refused request, the reason following. */
  public static final String ERR = "ERR ";

  /** The start of a data line. */
  public static final char DATA = '-';

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private AdminProtocol() {}

  /**
   * The request line for these words (command first), without its LF.
   *
   * @throws IllegalArgumentException for no words or an empty word
   */
  public static String encode(List<String> words) {
    if (words.isEmpty() || words.get(0).isEmpty()) {
      throw new IllegalArgumentException("no command");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < words.size(); i++) {
      if (i > 0) {
        out.write(' ');
      }
      if (words.get(i).isEmpty()) {
        throw new IllegalArgumentException("empty argument " + i);
      }
      for (byte b : words.get(i).getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xff;
        if (c <= ' ' || c == '%' || c == 0x7f) {
          out.write('%');
          out.write(HEX[c >> 4]);
          out.write(HEX[c & 15]);
        } else {
          out.write(c); // UTF-8 text stays text on the wire
        }
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The words of a request line (LF removed).
   *
   * @throws IllegalArgumentException for an empty line or a bad {@code %} escape
   */
  public static List<String> decode(String line) {
    if (line.isBlank()) {
      throw new IllegalArgumentException("empty request");
    }
    List<String> words = new ArrayList<>();
    for (String raw : line.strip().split(" +")) {
      words.add(unescape(raw));
    }
    return words;
  }

  private static String unescape(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    byte[] in = raw.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] != '%') {
        out.write(in[i]);
        continue;
      }
      if (i + 2 >= in.length) {
        throw new IllegalArgumentException("bad encoding");
      }
      int hi = Character.digit(in[i + 1], 16);
      int lo = Character.digit(in[i + 2], 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("bad encoding");
      }
      out.write(hi << 4 | lo);
      i += 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
