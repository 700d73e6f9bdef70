package io.gannet.journal;

import io.gannet.global.QueueId;
import java.nio.charset.StandardCharsets;

/**
 * Reads fields from one record's bytes, checking every length against what is left. Any read past
 * the end or any impossible value throws {@link CorruptRecordException} naming the journal index,
 * so a damaged record can never decode into garbage.
 */
final class RecordSlice {

  private final long index;
  private final byte[] buf;
  private final int end;
  private int pos;

  RecordSlice(long index, byte[] buf, int off, int end) {
    this.index = index;
    this.buf = buf;
    this.pos = off;
    this.end = end;
  }

  byte[] array() {
    return buf;
  }

  int remainingOffset() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  CorruptRecordException corrupt(String what) {
    return new CorruptRecordException(index, what + " (at byte " + pos + ")");
  }

  private void need(int n, String what) throws CorruptRecordException {
    if (n < 0 || end - pos < n) {
      throw corrupt("truncated " + what);
    }
  }

  int u8(String what) throws CorruptRecordException {
    need(1, what);
    return buf[pos++] & 0xFF;
  }

  long int64(String what) throws CorruptRecordException {
    need(8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (buf[pos++] & 0xFFL) << (8 * i);
    }
    return v;
  }

  long varint(String what) throws CorruptRecordException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1, what);
      byte b = buf[pos++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        if (v < 0) {
          throw corrupt("negative " + what);
        }
        return v;
      }
    }
    throw corrupt("overlong varint in " + what);
  }

  /** A varint that must fit in an int and be at most {@code max}. */
  int count(String what, int max) throws CorruptRecordException {
    long v = varint(what);
    if (v > max) {
      throw corrupt(what + " out of range: " + v + " > " + max);
    }
    return (int) v;
  }

  QueueId queueId() throws CorruptRecordException {
    long millis = int64("queue id");
    long low = int64("queue id");
    try {
      return new QueueId(millis, low);
    } catch (IllegalArgumentException e) {
      throw corrupt("bad queue id: " + e.getMessage());
    }
  }

  String string(String what) throws CorruptRecordException {
    long n = varint(what + " length"); // read first: the bound is what remains after it
    if (n < 0 || n > remaining()) {
      throw corrupt("truncated " + what);
    }
    int len = (int) n;
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  String nullableString(String what) throws CorruptRecordException {
    long n = varint(what + " length");
    if (n == 0) {
      return null;
    }
    if (n < 0 || n - 1 > remaining()) {
      throw corrupt("truncated " + what);
    }
    int len = (int) (n - 1);
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  void bytes(byte[] dst, int dstOff, int len, String what) throws CorruptRecordException {
    need(len, what);
    System.arraycopy(buf, pos, dst, dstOff, len);
    pos += len;
  }

  void expectEnd() throws CorruptRecordException {
    if (pos != end) {
      throw corrupt((end - pos) + " unexpected trailing bytes");
    }
  }
}
