package io.gannet.agent.smtp;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Bounds the open connections of one client by {@code default_process_limit} (Postfix bounds its
 * smtp processes the same way). A delivery that needs a connection asks for a {@link Grant}: a
 * permit to open a new connection, or, when the limit is reached, the next connection that a
 * delivery to the same destination finishes with (handed over instead of cached). Otherwise the
 * request waits in arrival order: an idle cached connection is closed to make room, and a
 * connection that becomes free while others wait is closed rather than cached. A permit is given
 * back when its connection closes (or its connect fails). Thread-safe.
 */
final class ConnectionLimiter {

  /** A permit for a new connection, or an open session to reuse. */
  record Grant(Permit permit, Session session) {}

  private record Waiter(String key, CompletableFuture<Grant> future) {}

  private final int limit;
  private final BooleanSupplier evictIdle;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int open;
  private boolean closed;

  /** @param evictIdle closes one idle cached connection; false when there was none */
  ConnectionLimiter(int limit, BooleanSupplier evictIdle) {
    this.limit = limit;
    this.evictIdle = evictIdle;
  }

  /** A grant now, or when a connection is freed; {@code key} names the destination. */
  CompletableFuture<Grant> acquire(String key) {
    CompletableFuture<Grant> f = new CompletableFuture<>();
    boolean now;
    synchronized (this) {
      if (closed) {
        f.completeExceptionally(new AgentClosedException());
        return f;
      }
      now = open < limit;
      if (now) {
        open++;
      } else {
        waiters.addLast(new Waiter(key, f));
      }
    }
    if (now) {
      f.complete(new Grant(new Permit(), null));
    } else {
      evictIdle.getAsBoolean();
    }
    return f;
  }

  /**
   * Gives {@code s} to the oldest request waiting for {@code key}; false when none waits for it.
   */
  boolean handOff(String key, Session s) {
    CompletableFuture<Grant> taker = null;
    synchronized (this) {
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.key.equals(key)) {
          it.remove();
          taker = w.future;
          break;
        }
      }
    }
    if (taker == null) {
      return false;
    }
    taker.complete(new Grant(null, s));
    return true;
  }

  synchronized int open() {
    return open;
  }

  synchronized int waiting() {
    return waiters.size();
  }

  /** Fails every waiter; later requests fail at once. */
  void close() {
    List<Waiter> failed;
    synchronized (this) {
      closed = true;
      failed = List.copyOf(waiters);
      waiters.clear();
    }
    for (Waiter w : failed) {
      w.future.completeExceptionally(new AgentClosedException());
    }
  }

  private void release() {
    Waiter next;
    synchronized (this) {
      next = waiters.pollFirst();
      if (next == null) {
        open--;
      }
    }
    if (next != null) {
      next.future.complete(new Grant(new Permit(), null));
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
