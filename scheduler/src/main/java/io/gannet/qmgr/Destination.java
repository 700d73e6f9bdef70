package io.gannet.qmgr;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * One (transport, next hop) queue of the active window, with its concurrency window (Postfix's
 * qmgr_queue). Entries are per message; the scheduler takes them round robin so one large
 * message does not block small ones behind it. Owned by the scheduler thread.
 */
final class Destination {

  /** The recipients of one active message that wait for this destination. */
  static final class Entry {
    final ActiveMessage message;
    final ArrayDeque<Integer> recipients = new ArrayDeque<>();

    Entry(ActiveMessage message) {
      this.message = message;
    }
  }

  final Route route;
  final QmgrSettings.TransportLimits limits;
  final ArrayDeque<Entry> entries = new ArrayDeque<>();
  /** Concurrency window; deliveries in flight never exceed its floor. */
  double window;
  /** Failed pseudo-cohorts since the last success. */
  double failedCohorts;
  int inFlight;
  /** Epoch millis until which the destination is dead (0: alive). */
  long deadUntil;
  /** Earliest time of the next delivery (rate delay). */
  long nextDispatchAt;
  String lastFailureDsn = "4.4.1";
  String lastFailure = "";
  /** True while the destination sits in the scheduler's run queue. */
  boolean queued;

  Destination(Route route, QmgrSettings.TransportLimits limits) {
    this.route = route;
    this.limits = limits;
    this.window = Math.min(limits.initialConcurrency(), limits.concurrencyLimit());
  }

  boolean dead() {
    return deadUntil != 0;
  }

  /** Whole deliveries the window allows now. */
  int windowSlots() {
    return (int) Math.floor(window + 1e-9);
  }

  boolean hasWork() {
    return !entries.isEmpty();
  }

  boolean runnable(long now) {
    return !dead() && hasWork() && inFlight < windowSlots() && now >= nextDispatchAt;
  }

  /** A delivery went well (a session took place): positive feedback, forget failures. */
  void success() {
    failedCohorts = 0;
    if (window < limits.concurrencyLimit()) {
      window = Math.min(limits.concurrencyLimit(), window + 1.0 / Math.max(1.0, window));
    }
  }

  /**
   * The destination itself failed: negative feedback. Returns true when it has now failed
   * {@code failed_cohort_limit} pseudo-cohorts (window-sized runs of failures) and is dead.
   */
  boolean failure(String dsn, String reason) {
    lastFailureDsn = dsn;
    lastFailure = reason;
    double w = Math.max(1.0, window);
    failedCohorts += 1.0 / w;
    window = Math.max(1.0, window - 1.0 / w);
    return failedCohorts >= limits.failedCohortLimit() - 1e-9;
  }

  /** Brings a dead destination back after transport_retry_time, as a new one. */
  void resurrect() {
    deadUntil = 0;
    failedCohorts = 0;
    window = Math.min(limits.initialConcurrency(), limits.concurrencyLimit());
  }

  /** Removes the waiting recipients of {@code message}; returns how many. */
  int remove(ActiveMessage message) {
    int removed = 0;
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.message == message) {
        removed += e.recipients.size();
        it.remove();
      }
    }
    return removed;
  }

  /** Idle and healthy: can be dropped (Postfix frees an empty queue). */
  boolean disposable() {
    return entries.isEmpty() && inFlight == 0 && !dead();
  }
}
