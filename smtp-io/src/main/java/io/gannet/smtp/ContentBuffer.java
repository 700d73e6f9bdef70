package io.gannet.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The content of one message while it is received (DATA body or the BDAT chunks of one
 * transaction), bounded by a byte limit ({@code message_size_limit}).
 *
 * <p>Bytes go into one pooled buffer that grows up to the limit; past the limit nothing more is
 * stored but bytes are still counted, so the session can read the message to its end and answer
 * {@code 552}. {@link #toByteArray()} copies the content once into an array of the exact size and
 * frees the buffer: that array is what cleanup and the journal get, never copied again.
 *
 * <p>Not thread-safe: owned by one channel's event loop. Call {@link #release()} when the
 * transaction ends any other way.
 */
public final class ContentBuffer {

  private static final int INITIAL_CAPACITY = 8192;

  private final ByteBufAllocator alloc;
  private final long limit;
  private final int expected;
  private ByteBuf buf;
  private long size;
  private boolean overflow;

  /**
   * @param limit the most bytes stored; {@code 0} means no limit of our own (still capped by the
   *     largest array Java can make)
   * @param expected a size hint (the client's {@code SIZE=}), {@code 0} when none
   */
  public ContentBuffer(ByteBufAllocator alloc, long limit, long expected) {
    this.alloc = alloc;
    this.limit = limit <= 0 || limit > Integer.MAX_VALUE - 16 ? Integer.MAX_VALUE - 16 : limit;
    this.expected = (int) Math.max(0, Math.min(expected, Math.min(this.limit, 1 << 26)));
  }

  /** Appends {@code length} bytes of {@code src} from {@code index}; does not move its indexes. */
  public void write(ByteBuf src, int index, int length) {
    if (length <= 0) {
      return;
    }
    size += length;
    if (overflow) {
      return;
    }
    if (size > limit) {
      overflow();
      return;
    }
    ensure(length);
    buf.writeBytes(src, index, length);
  }

  /** Appends one byte. */
  public void write(int b) {
    size++;
    if (overflow) {
      return;
    }
    if (size > limit) {
      overflow();
      return;
    }
    ensure(1);
    buf.writeByte(b);
  }

  /** Appends CR LF. */
  public void writeCrlf() {
    write('\r');
    write('\n');
  }

  private void ensure(int more) {
    if (buf == null) {
      int initial = (int) Math.min(limit, Math.max(INITIAL_CAPACITY, expected));
      buf = alloc.buffer(Math.max(initial, more), (int) limit);
    }
  }

  private void overflow() {
    overflow = true;
    if (buf != null) {
      buf.release();
      buf = null;
    }
  }

  /** Bytes received so far, stored or not. */
  public long size() {
    return size;
  }

  /** True when more than the limit was received (the content is then gone). */
  public boolean overflowed() {
    return overflow;
  }

  /** The content, copied once into an exact-size array; the buffer is freed. */
  public byte[] toByteArray() {
    if (overflow) {
      throw new IllegalStateException("content exceeded the limit and was discarded");
    }
    if (buf == null) {
      return new byte[0];
    }
    byte[] out = new byte[buf.readableBytes()];
    buf.readBytes(out);
    release();
    return out;
  }

  /** Frees the buffer; the content is gone. Safe to call more than once. */
  public void release() {
    if (buf != null) {
      buf.release();
      buf = null;
    }
  }
}
