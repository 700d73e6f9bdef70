package io.gannet.agent.smtp;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Bounds the open connections of one client by {@code default_process_limit} (Postfix bounds its
 * smtp processes the same way). A delivery that needs a new connection takes a {@link Permit};
 * when none is free it waits in arrival order, and an idle cached connection is closed to make
 * room. A permit is given back when its connection closes (or its connect fails). Thread-safe.
 */
final class ConnectionLimiter {

  private final int limit;
  private final BooleanSupplier evictIdle;
  private final ArrayDeque<CompletableFuture<Permit>> waiters = new ArrayDeque<>();
  private int open;
  private boolean closed;

  /** @param evictIdle closes one idle cached connection; false when there was none */
  ConnectionLimiter(int limit, BooleanSupplier evictIdle) {
    this.limit = limit;
    this.evictIdle = evictIdle;
  }

  /** A permit now, or when a connection closes. */
  CompletableFuture<Permit> acquire() {
    CompletableFuture<Permit> f = new CompletableFuture<>();
    boolean now;
    synchronized (this) {
      if (closed) {
        f.completeExceptionally(new IllegalStateException("delivery agent is shutting down"));
        return f;
      }
      now = open < limit;
      if (now) {
        open++;
      } else {
        waiters.addLast(f);
      }
    }
    if (now) {
      f.complete(new Permit());
    } else {
      evictIdle.getAsBoolean();
    }
    return f;
  }

  synchronized int open() {
    return open;
  }

  synchronized int waiting() {
    return waiters.size();
  }

  /** Fails every waiter; later acquisitions fail at once. */
  void close() {
    ArrayDeque<CompletableFuture<Permit>> failed;
    synchronized (this) {
      closed = true;
      failed = new ArrayDeque<>(waiters);
      waiters.clear();
    }
    for (CompletableFuture<Permit> f : failed) {
      f.completeExceptionally(new IllegalStateException("delivery agent is shutting down"));
    }
  }

  private void release() {
    CompletableFuture<Permit> next;
    synchronized (this) {
      next = waiters.pollFirst();
      if (next == null) {
        open--;
      }
    }
    if (next != null) {
      next.complete(new Permit());
    }
  }

  /** The right to hold one open connection; released once. */
  final class Permit {
    private final AtomicBoolean released = new AtomicBoolean();

    void release() {
      if (released.compareAndSet(false, true)) {
        ConnectionLimiter.this.release();
      }
    }
  }
}
