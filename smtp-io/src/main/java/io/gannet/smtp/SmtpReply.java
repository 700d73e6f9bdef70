package io.gannet.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * One single-line SMTP reply: code, enhanced status code (RFC 3463, may be empty) and text. Replies
 * that never change are built once with {@link #constant()} and written as shared read-only
 * buffers.
 */
public record SmtpReply(int code, String status, String text) {

  public SmtpReply {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("bad SMTP reply code " + code);
    }
  }

  /** True for 4xx and 5xx. */
  public boolean isError() {
    return code >= 400;
  }

  /** The reply line without CRLF, e.g. {@code 250 2.1.0 Ok}. */
  @Override
  public String toString() {
    return status.isEmpty() ? code + " " + text : code + " " + status + " " + text;
  }

  /** The reply line with CRLF in a new buffer (UTF-8: addresses may be SMTPUTF8). */
  public ByteBuf encode(ByteBufAllocator alloc) {
    String line = toString();
    ByteBuf buf = alloc.buffer(ByteBufUtil.utf8MaxBytes(line) + 2);
    ByteBufUtil.writeUtf8(buf, line);
    buf.writeByte('\r').writeByte('\n');
    return buf;
  }

  /** A shared, read-only encoding; write it with {@code duplicate()}. */
  public ByteBuf constant() {
    return Unpooled.unreleasableBuffer(encode(ByteBufAllocator.DEFAULT).asReadOnly());
  }
}
