package io.gannet.journal;

import io.gannet.global.QueueId;

/**
 * Keys of the projection's column families, all fixed width and big-endian so that byte order is
 * numeric order (queue ids sort by arrival, {@link QueueId#compareTo}):
 *
 * <ul>
 *   <li>{@code messages}: queue id (millis, low: 16 bytes);
 *   <li>{@code incoming}: content journal index (8 bytes) + queue id;
 *   <li>{@code deferred}: next attempt epoch millis (8 bytes, negative clamped to 0) + queue id.
 * </ul>
 */
final class ProjectionKeys {

  static final int QUEUE_ID = 16;
  static final int PREFIX = 8;

  private ProjectionKeys() {}

  static byte[] message(QueueId id) {
    byte[] k = new byte[QUEUE_ID];
    putLong(k, 0, id.millis());
    putLong(k, 8, id.low());
    return k;
  }

  /** The incoming key of a state, or {@code null} when it does not belong in incoming. */
  static byte[] incoming(MessageState s) {
    if (s == null || s.held() || s.pending().isEmpty() || !s.isIncoming()) {
      return null;
    }
    return indexKey(s.index(), s.queueId());
  }

  /** The deferred key of a state, or {@code null} when it does not belong in deferred. */
  static byte[] deferred(MessageState s) {
    if (s == null || s.held() || s.pending().isEmpty() || s.isIncoming()) {
      return null;
    }
    return indexKey(Math.max(0, s.nextAttempt()), s.queueId());
  }

  static byte[] indexKey(long prefix, QueueId id) {
    byte[] k = new byte[PREFIX + QUEUE_ID];
    putLong(k, 0, prefix);
    putLong(k, PREFIX, id.millis());
    putLong(k, PREFIX + 8, id.low());
    return k;
  }

  /** An 8-byte big-endian bound: every index key with this prefix or more sorts at or after it. */
  static byte[] prefix(long value) {
    byte[] k = new byte[PREFIX];
    putLong(k, 0, value);
    return k;
  }

  /** The queue id at {@code offset} of a key; throws {@link IllegalArgumentException} if bad. */
  static QueueId queueIdAt(byte[] key, int offset) {
    if (key.length != offset + QUEUE_ID) {
      throw new IllegalArgumentException("key of " + key.length + " bytes");
    }
    return new QueueId(getLong(key, offset), getLong(key, offset + 8));
  }

  static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
