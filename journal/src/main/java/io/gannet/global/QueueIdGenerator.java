package io.gannet.global;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes queue ids without coordination: thread-safe, lock-free, strictly increasing within one
 * generator. The node number is drawn at random per generator, so two processes writing at the
 * same millisecond differ in their last three characters. When more than {@code 52^3} ids are
 * asked for in one millisecond, the generator borrows the next millisecond rather than repeat.
 */
public final class QueueIdGenerator {

  private final Clock clock;
  private final int node;
  /** Last id issued, packed as millis * (MAX_SEQ + 1) + seq. */
  private final AtomicLong last = new AtomicLong();

  public QueueIdGenerator(Clock clock) {
    this(clock, new SecureRandom().nextInt(QueueId.GENERATED_NODES));
  }

  public QueueIdGenerator(Clock clock, int node) {
    if (node < 0 || node > QueueId.MAX_NODE) {
      throw new IllegalArgumentException("node out of range: " + node);
    }
    this.clock = clock;
    this.node = node;
  }

  public QueueId next() {
    final long span = QueueId.MAX_SEQ + 1;
    long now = clock.millis() * span;
    long prev;
    long next;
    do {
      prev = last.get();
      next = Math.max(now, prev + 1);
    } while (!last.compareAndSet(prev, next));
    return QueueId.of(next / span, (int) (next % span), node);
  }
}
