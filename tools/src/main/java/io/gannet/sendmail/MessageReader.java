package io.gannet.sendmail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the message that {@code gannet sendmail} is given on standard input, as sendmail(1) does:
 * lines end in LF (or CR LF) and are stored with CR LF; a line with a single {@code .} ends the
 * message unless {@code -i}/{@code -oi} was given; a first line {@code From ...} (the mbox
 * separator) is dropped; a last line without its LF gets one. Bytes are carried as they are (8-bit
 * text included). The content may not grow beyond the size limit ({@code message_size_limit}).
 */
public final class MessageReader {

  /** The message is larger than the limit. */
  public static final class TooBigException extends IOException {
    TooBigException(long limit) {
      super("message file too big (message_size_limit = " + limit + ")");
    }
  }

  private final boolean dotEnds;
  private final long limit;

  /**
   * @param dotEnds whether a line with a single {@code .} ends the message (no {@code -i})
   * @param limit the largest content, in bytes after CR LF conversion; 0 for no limit
   */
  public MessageReader(boolean dotEnds, long limit) {
    this.dotEnds = dotEnds;
    this.limit = limit;
  }

  /** Reads the message; {@link TooBigException} when it exceeds the limit. */
  public byte[] read(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    boolean first = true;
    while (true) {
      line.reset();
      boolean eof = readLine(in, line, out.size());
      byte[] b = line.toByteArray();
      if (eof && b.length == 0) {
        break;
      }
      if (first && startsWith(b, "From ")) {
        first = false;
        continue;
      }
      first = false;
      if (dotEnds && b.length == 1 && b[0] == '.') {
        break;
      }
      out.write(b);
      out.write('\r');
      out.write('\n');
      check(out.size());
      if (eof) {
        break;
      }
    }
    return out.toByteArray();
  }

  /** One line without its end (LF, or CR LF); true at the end of input. */
  private boolean readLine(InputStream in, ByteArrayOutputStream line, long before)
      throws IOException {
    while (true) {
      int c = in.read();
      if (c < 0) {
        return true;
      }
      if (c == '\n') {
        byte[] b = line.toByteArray();
        if (b.length > 0 && b[b.length - 1] == '\r') {
          line.reset();
          line.write(b, 0, b.length - 1);
        }
        return false;
      }
      line.write(c);
      check(before + line.size());
    }
  }

  private void check(long size) throws TooBigException {
    if (limit > 0 && size > limit) {
      throw new TooBigException(limit);
    }
  }

  private static boolean startsWith(byte[] b, String prefix) {
    if (b.length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (b[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
