package io.gannet.perf.relay;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads CRLF- (or LF-) terminated lines from a stream into one reused buffer, without allocating
 * per line. Lines longer than the buffer are an error (the benchmark's peers send short lines).
 * Not thread-safe: one reader per connection.
 */
final class LineReader {
  private final InputStream in;
  private final byte[] buf;
  private int start;
  private int end;
  private final byte[] line;
  private int length;

  LineReader(InputStream in, int bufferSize, int maxLine) {
    this.in = in;
    this.buf = new byte[bufferSize];
    this.line = new byte[maxLine];
  }

  /**
   * Reads the next line (without its line end) into {@link #line()}.
   *
   * @return its length
   * @throws EOFException the peer closed the connection
   */
  int next() throws IOException {
    length = 0;
    while (true) {
      for (int i = start; i < end; i++) {
        if (buf[i] == '\n') {
          copy(start, i);
          start = i + 1;
          if (length > 0 && line[length - 1] == '\r') {
            length--;
          }
          return length;
        }
      }
      copy(start, end);
      start = 0;
      end = in.read(buf, 0, buf.length);
      if (end < 0) {
        end = 0;
        throw new EOFException("connection closed by the peer");
      }
    }
  }

  private void copy(int from, int to) throws IOException {
    int n = to - from;
    if (length + n > line.length) {
      throw new IOException("line longer than " + line.length + " bytes");
    }
    System.arraycopy(buf, from, line, length, n);
    length += n;
  }

  /** The last line read, in {@code line()[0..length)}. */
  byte[] line() {
    return line;
  }

  /** Whether more input is already buffered (false: the peer waits for our replies). */
  boolean buffered() throws IOException {
    return start < end || in.available() > 0;
  }

  /** Whether the last line starts with {@code prefix} (ASCII, case-insensitive). */
  boolean startsWith(String prefix) {
    if (length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      int c = line[i];
      if (Character.toUpperCase(c) != Character.toUpperCase(prefix.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The last line as a string (for errors and replies). */
  String text() {
    return new String(line, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
