package io.gannet.journal;

import io.gannet.global.QueueId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the journal's field encodings: fixed 8-byte little-endian longs for
 * times, indexes and queue ids; unsigned LEB128 varints for counts and lengths; strings as varint
 * length and UTF-8; nullable strings with length + 1 (0 is null). Reused by the single writer
 * thread: not thread-safe.
 */
final class RecordBuffer {

  private byte[] buf;
  private int pos;

  RecordBuffer(int initialCapacity) {
    buf = new byte[initialCapacity];
  }

  void clear() {
    pos = 0;
  }

  int length() {
    return pos;
  }

  byte[] array() {
    return buf;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      int cap = Math.max(buf.length * 2, pos + more);
      buf = Arrays.copyOf(buf, cap);
    }
  }

  RecordBuffer u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  RecordBuffer int32(int v) {
    ensure(4);
    buf[pos++] = (byte) v;
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 24);
    return this;
  }

  RecordBuffer int64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  RecordBuffer varint(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative varint: " + v);
    }
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return this;
  }

  RecordBuffer queueId(QueueId id) {
    return int64(id.millis()).int64(id.low());
  }

  RecordBuffer string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(b.length);
    return bytes(b, 0, b.length);
  }

  RecordBuffer nullableString(String s) {
    if (s == null) {
      return varint(0);
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(b.length + 1L);
    return bytes(b, 0, b.length);
  }

  RecordBuffer bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
    return this;
  }
}
