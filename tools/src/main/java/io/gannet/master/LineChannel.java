package io.gannet.master;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Reads and writes LF-terminated UTF-8 lines on a connected socket channel with deadlines (a UNIX
 * domain channel has no socket timeout of its own). Not thread-safe: one connection, one thread.
 */
final class LineChannel implements Closeable {

  /** A line longer than the limit given to {@link #readLine}. */
  static final class LineTooLongException extends IOException {
    LineTooLongException() {
      super("line too long");
    }
  }

  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final ByteBuffer in = ByteBuffer.allocate(8192).flip();

  LineChannel(SocketChannel channel) throws IOException {
    this.channel = channel;
    channel.configureBlocking(false);
    this.selector = Selector.open();
    this.key = channel.register(selector, 0);
  }

  /** A deadline {@code millis} from now, for the methods below. */
  static long deadline(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /**
   * The next line without its LF (and a CR before it); {@code null} at end of stream before any
   * byte of a line. A last line without LF is returned as is.
   *
   * @throws LineTooLongException past {@code maxBytes}
   * @throws SocketTimeoutException past the deadline
   */
  String readLine(int maxBytes, long deadlineNanos) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      while (in.hasRemaining()) {
        byte b = in.get();
        if (b == '\n') {
          return text(line);
        }
        if (line.size() >= maxBytes + 1) { // + 1: room for the CR of CR LF
          throw new LineTooLongException();
        }
        line.write(b);
      }
      in.clear();
      int n = channel.read(in);
      in.flip();
      if (n < 0) {
        return line.size() == 0 ? null : text(line);
      }
      if (n == 0) {
        await(SelectionKey.OP_READ, deadlineNanos);
      }
    }
  }

  private static String text(ByteArrayOutputStream line) throws LineTooLongException {
    byte[] b = line.toByteArray();
    int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
    return new String(b, 0, len, StandardCharsets.UTF_8);
  }

  /** Writes {@code text} and an LF. */
  void writeLine(String text, long deadlineNanos) throws IOException {
    ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      if (channel.write(out) == 0) {
        await(SelectionKey.OP_WRITE, deadlineNanos);
      }
    }
  }

  private void await(int op, long deadlineNanos) throws IOException {
    key.interestOps(op);
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("timed out");
    }
    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    selector.selectedKeys().clear();
    key.interestOps(0);
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}
