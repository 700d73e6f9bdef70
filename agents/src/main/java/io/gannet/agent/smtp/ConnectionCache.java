package io.gannet.agent.smtp;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Postfix's scache for one client: after a transaction a connection waits here, keyed by the
 * next-hop destination, for the next delivery to the same destination.
 *
 * <ul>
 *   <li>An idle connection lives at most {@code smtp_connection_cache_time_limit} (2s): it is
 *       closed by a timer, and a connection found older than that on the injected clock is not
 *       handed out.
 *   <li>A connection is cached again only while it has been reused fewer than {@code
 *       smtp_connection_reuse_count_limit} times (0: no limit) and is younger than {@code
 *       smtp_connection_reuse_time_limit} (300s).
 *   <li>A connection the server closes while idle leaves the cache.
 * </ul>
 *
 * The most recently cached connection is handed out first. Thread-safe.
 */
final class ConnectionCache {

  private final Clock clock;
  private final long timeLimitMillis;
  private final int reuseCountLimit;
  private final long reuseTimeLimitMillis;
  private final Map<String, ArrayDeque<Session>> idle = new HashMap<>();
  private boolean closed;
  private long sequence;

  ConnectionCache(Clock clock, SmtpClientSettings s) {
    this.clock = clock;
    this.timeLimitMillis = s.cacheTimeLimit().toMillis();
    this.reuseCountLimit = s.reuseCountLimit();
    this.reuseTimeLimitMillis = s.reuseTimeLimit().toMillis();
  }

  /**
   * Takes an idle connection for {@code key}, or null. With {@code needSmtputf8}, only one whose
   * server offers SMTPUTF8.
   */
  Session take(String key, boolean needSmtputf8) {
    List<Session> expired = new ArrayList<>();
    Session found = null;
    synchronized (this) {
      ArrayDeque<Session> q = idle.get(key);
      if (q != null) {
        long now = clock.millis();
        for (Iterator<Session> it = q.descendingIterator(); it.hasNext(); ) {
          Session s = it.next();
          if (!s.usable() || now - s.idleSince() >= timeLimitMillis) {
            it.remove();
            expired.add(s);
          } else if (!needSmtputf8 || s.capabilities().smtputf8()) {
            it.remove();
            found = s;
            break;
          }
        }
        if (q.isEmpty()) {
          idle.remove(key);
        }
      }
    }
    expired.forEach(Session::quit);
    if (found != null) {
      found.cacheKey(null);
    }
    return found;
  }

  /**
   * Keeps {@code s} for {@code key} if it may be reused; false when it may not (the caller ends
   * it).
   */
  boolean put(String key, Session s) {
    long now = clock.millis();
    if (!reusable(s)) {
      return false;
    }
    long seq;
    synchronized (this) {
      if (closed) {
        return false;
      }
      seq = ++sequence;
      s.idleSince(now);
      s.cacheKey(key);
      s.cacheSequence(seq);
      idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(s);
    }
    s.channel()
        .channel()
        .eventLoop()
        .schedule(() -> expire(key, s, seq), timeLimitMillis, TimeUnit.MILLISECONDS);
    return true;
  }

  /**
   * True when {@code s} may carry another transaction: open, reused fewer than {@code
   * smtp_connection_reuse_count_limit} times, younger than {@code
   * smtp_connection_reuse_time_limit}.
   */
  boolean reusable(Session s) {
    return s.usable()
        && (reuseCountLimit <= 0 || s.transactions() - 1 < reuseCountLimit)
        && clock.millis() - s.createdAt() < reuseTimeLimitMillis;
  }

  /** Forgets {@code s} (its connection closed). */
  void remove(Session s) {
    String key = s.cacheKey();
    if (key == null) {
      return;
    }
    synchronized (this) {
      ArrayDeque<Session> q = idle.get(key);
      if (q != null && q.remove(s) && q.isEmpty()) {
        idle.remove(key);
      }
    }
  }

  /** Closes the connection idle longest; false when none is idle. */
  boolean evictOldest() {
    Session oldest = null;
    synchronized (this) {
      for (ArrayDeque<Session> q : idle.values()) {
        Session s = q.peekFirst();
        if (s != null && (oldest == null || s.idleSince() < oldest.idleSince())) {
          oldest = s;
        }
      }
      if (oldest != null) {
        ArrayDeque<Session> q = idle.get(oldest.cacheKey());
        q.remove(oldest);
        if (q.isEmpty()) {
          idle.remove(oldest.cacheKey());
        }
      }
    }
    if (oldest == null) {
      return false;
    }
    oldest.quit();
    return true;
  }

  /** Idle connections now. */
  synchronized int size() {
    return idle.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  /** Ends every idle connection; nothing is cached afterwards. */
  void close() {
    List<Session> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(all::addAll);
      idle.clear();
    }
    all.forEach(Session::quit);
  }

  private void expire(String key, Session s, long seq) {
    boolean remove;
    synchronized (this) {
      ArrayDeque<Session> q = idle.get(key);
      remove = q != null && s.cacheSequence() == seq && q.remove(s);
      if (q != null && q.isEmpty()) {
        idle.remove(key);
      }
    }
    if (remove) {
      s.quit();
    }
  }
}
