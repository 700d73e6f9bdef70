package io.gannet.journal;

import java.util.Arrays;

/**
 * A key of one index column family (incoming or deferred) below which it holds no live key.
 *
 * <p>Why: index keys are taken out from the low end (a deferred message that is retried, an
 * incoming message that is delivered), and RocksDB keeps a tombstone for each until compaction
 * drops it. A scan that starts at the first key steps over every tombstone one by one: with 10^5
 * of them, tens of milliseconds per scan. A scan that seeks to the floor starts past them.
 *
 * <p>How: the writer {@linkplain #lower lowers} the floor to the smallest key each batch inserted,
 * after the batch is written; a scan that started at the floor {@linkplain #raise raises} it to
 * the first live key it found (or to where its range ended), unless a batch inserted keys since
 * the scan began (the epoch moved): then the scan may have missed a lower key and leaves the floor
 * alone. Thread-safe.
 */
final class IndexFloor {

  /** Sorts after every index key (RocksDB's bytewise order: a longer key of 0xFF bytes). */
  static final byte[] END = filled(ProjectionKeys.PREFIX + ProjectionKeys.QUEUE_ID + 1);

  private byte[] floor = new byte[0];
  private long epoch;

  /** Where a scan from the floor starts, with the epoch to hand back to {@link #raise}. */
  synchronized Start start() {
    return new Start(floor, epoch);
  }

  record Start(byte[] key, long epoch) {}

  /** A batch inserted keys, the smallest being {@code key}. */
  synchronized void lower(byte[] key) {
    epoch++;
    if (compare(key, floor) < 0) {
      floor = key;
    }
  }

  /**
   * A scan that began at {@code start} found no live key below {@code key}; raises the floor to
   * it unless keys were inserted since.
   */
  synchronized void raise(Start start, byte[] key) {
    if (start.epoch() == epoch && compare(key, floor) > 0) {
      floor = key;
    }
  }

  static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 0xFF);
    return b;
  }
}
