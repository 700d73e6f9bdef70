package io.gannet.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/**
 * A message's content as it goes out after DATA (RFC 5321 4.5.2), produced in chunks for Netty's
 * {@code ChunkedWriteHandler} so a large message streams with backpressure instead of being copied
 * whole.
 *
 * <p>The input is the content as the queue keeps it: lines ending in CRLF, not dot-stuffed. The
 * output: every line that starts with {@code .} gets a second {@code .}; a bare LF becomes CRLF (a
 * lone LF must never be able to end the data early); a line longer than {@code lineLimit} bytes is
 * broken with CRLF and a space, as Postfix does for {@code smtp_line_length_limit}; content that
 * does not end with a line end gets CRLF; and the end-of-data line {@code .} CRLF closes it. All
 * other bytes pass unchanged, so a well-formed message arrives byte-exact after the server removes
 * the added dots.
 *
 * <p>Not thread-safe; one instance per transmission.
 */
public final class DotStuffedContent implements ChunkedInput<ByteBuf> {

  /** Default size of one chunk. */
  public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;

  private final byte[] content;
  private final int lineLimit;
  private final int chunkSize;
  private int pos;
  private int column;
  private boolean lineStart = true;
  private boolean done;

  /**
   * @param lineLimit longest output line without CRLF before it is broken, or 0 for no limit
   * @param chunkSize approximate bytes per chunk
   */
  public DotStuffedContent(byte[] content, int lineLimit, int chunkSize) {
    if (lineLimit < 0 || chunkSize < 1) {
      throw new IllegalArgumentException("lineLimit < 0 or chunkSize < 1");
    }
    this.content = content;
    this.lineLimit = lineLimit;
    this.chunkSize = chunkSize;
  }

  /** The whole stuffed output in one array (tests, small messages). */
  public static byte[] encode(byte[] content, int lineLimit) {
    DotStuffedContent c = new DotStuffedContent(content, lineLimit, Integer.MAX_VALUE / 4);
    ByteBuf buf = c.readChunk(ByteBufAllocator.DEFAULT);
    try {
      byte[] out = new byte[buf.readableBytes()];
      buf.readBytes(out);
      return out;
    } finally {
      buf.release();
    }
  }

  @Override
  public boolean isEndOfInput() {
    return done;
  }

  @Override
  public void close() {
    done = true;
  }

  @Deprecated
  @Override
  public ByteBuf readChunk(ChannelHandlerContext ctx) {
    return readChunk(ctx.alloc());
  }

  @Override
  public ByteBuf readChunk(ByteBufAllocator allocator) {
    if (done) {
      return null;
    }
    int remaining = content.length - pos;
    int estimate = (int) Math.min((long) remaining + remaining / 64 + 16, (long) chunkSize + 64);
    ByteBuf out = allocator.buffer(Math.max(estimate, 16));
    boolean ok = false;
    try {
      fill(out);
      ok = true;
      return out;
    } finally {
      if (!ok) {
        out.release();
      }
    }
  }

  private void fill(ByteBuf out) {
    int n = content.length;
    while (pos < n && out.writerIndex() < chunkSize) {
      byte b = content[pos];
      if (lineStart && b == '.') {
        out.writeByte('.');
      }
      if (b == '\r' && pos + 1 < n && content[pos + 1] == '\n') {
        out.writeByte('\r').writeByte('\n');
        pos += 2;
        newLine();
        continue;
      }
      if (b == '\n') {
        out.writeByte('\r').writeByte('\n');
        pos++;
        newLine();
        continue;
      }
      if (lineLimit > 0 && column >= lineLimit) {
        out.writeByte('\r').writeByte('\n').writeByte(' ');
        column = 1;
      }
      // a run of ordinary bytes up to the next line end or the line limit
      int end = pos + 1;
      int max = lineLimit > 0 ? Math.min(n, pos + (lineLimit - column)) : n;
      while (end < max && content[end] != '\n' && content[end] != '\r') {
        end++;
      }
      out.writeBytes(content, pos, end - pos);
      column += end - pos;
      lineStart = false;
      pos = end;
    }
    if (pos >= n) {
      if (!lineStart) {
        out.writeByte('\r').writeByte('\n');
      }
      out.writeByte('.').writeByte('\r').writeByte('\n');
      done = true;
    }
  }

  private void newLine() {
    lineStart = true;
    column = 0;
  }

  /** The length of the input content (the output is a little longer). */
  @Override
  public long length() {
    return content.length;
  }

  /** Input bytes consumed so far. */
  @Override
  public long progress() {
    return pos;
  }
}
