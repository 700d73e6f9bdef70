package io.gannet.perf.relay;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-message timestamps of one benchmark run, indexed by sequence number: when the source read
 * the {@code 250} to the end of data ({@link #acked}), and when the sink read the end of data
 * ({@link #arrived}). All times are {@link System#nanoTime()} of the one JVM that runs both the
 * source and the sink, so they compare directly. Thread-safe: sessions of the source and
 * connections of the sink record concurrently.
 */
final class Timeline {
  private final int size;
  private final AtomicLongArray ack;
  private final AtomicLongArray arrival;
  private final AtomicIntegerArray arrivals;
  private final AtomicLong arrivedCount = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong lastArrival = new AtomicLong();

  Timeline(int size) {
    this.size = size;
    this.ack = new AtomicLongArray(size);
    this.arrival = new AtomicLongArray(size);
    this.arrivals = new AtomicIntegerArray(size);
  }

  int size() {
    return size;
  }

  /** The source read {@code 250} for message {@code seq} at {@code nanos}. */
  void acked(int seq, long nanos) {
    ack.set(seq, nanos == 0 ? 1 : nanos);
  }

  /**
   * The sink received message {@code seq} at {@code nanos}. A second arrival of the same number
   * counts as a duplicate and keeps the first time.
   *
   * @return false if {@code seq} is outside this timeline (a stray message)
   */
  boolean arrived(int seq, long nanos) {
    if (seq < 0 || seq >= size) {
      return false;
    }
    if (arrivals.getAndIncrement(seq) == 0) {
      arrival.set(seq, nanos == 0 ? 1 : nanos);
      lastArrival.accumulateAndGet(nanos, Math::max);
      arrivedCount.incrementAndGet();
    } else {
      duplicates.incrementAndGet();
    }
    return true;
  }

  /** Distinct messages that reached the sink. */
  long arrivedCount() {
    return arrivedCount.get();
  }

  /** Distinct messages in {@code [from, to)} that reached the sink. */
  int arrivedIn(int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (arrival.get(i) != 0) {
        n++;
      }
    }
    return n;
  }

  /** Second and later arrivals of a message. */
  long duplicates() {
    return duplicates.get();
  }

  long ackNanos(int seq) {
    return ack.get(seq);
  }

  long arrivalNanos(int seq) {
    return arrival.get(seq);
  }

  /** The latest arrival so far (nanoTime), 0 if none. */
  long lastArrivalNanos() {
    return lastArrival.get();
  }
}
