package io.gannet.anvil;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * anvil(8): per-client connection and rate counters. Like Postfix's anvil it only counts; the
 * caller (smtpd) compares the counts with its limits and decides.
 *
 * <p>A client is named by a key such as {@code smtp:192.0.2.1} (service and address, as Postfix).
 * For each key it keeps the number of open connections, and the connections and messages within the
 * current rate window: a fixed window of {@code anvil_rate_time_unit} that starts at the client's
 * first event and restarts at the first event after it ends. Time comes from the injected {@link
 * Clock}.
 *
 * <p>Thread-safe: connections of one client may be on different event loops. Memory: an entry lives
 * while the client has a connection open or a window running; {@link #sweep} drops the rest and
 * should be called about once per time unit.
 *
 * <p>Parameters (read by the caller): {@code anvil_rate_time_unit} (60s).
 */
public final class Anvil {

  private final Clock clock;
  private final long unitMillis;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();

  /** The counts for one client after an event. */
  public record Counts(int connections, int connectionRate, int messageRate) {}

  private static final class Client {
    int connections;
    long windowStart;
    int connectionRate;
    int messageRate;

    /** Set by {@link #sweep} under the lock; a caller that sees it looks the key up again. */
    boolean removed;
  }

  /**
   * @param unitMillis the rate window, {@code anvil_rate_time_unit} in milliseconds
   */
  public Anvil(Clock clock, long unitMillis) {
    if (unitMillis <= 0) {
      throw new IllegalArgumentException("anvil_rate_time_unit must be positive");
    }
    this.clock = clock;
    this.unitMillis = unitMillis;
  }

  /** A client connected: counts it as open and in the connection rate. */
  public Counts connect(String key) {
    long now = clock.millis();
    while (true) {
      Client c = clients.computeIfAbsent(key, k -> new Client());
      synchronized (c) {
        if (c.removed) {
          continue;
        }
        window(c, now);
        c.connections++;
        c.connectionRate++;
        return new Counts(c.connections, c.connectionRate, c.messageRate);
      }
    }
  }

  /** A client's connection ended. */
  public void disconnect(String key) {
    Client c = clients.get(key);
    if (c == null) {
      return;
    }
    synchronized (c) {
      if (c.connections > 0) {
        c.connections--;
      }
    }
  }

  /** A client asked to send a message (MAIL FROM): counts it in the message rate. */
  public Counts message(String key) {
    long now = clock.millis();
    while (true) {
      Client c = clients.computeIfAbsent(key, k -> new Client());
      synchronized (c) {
        if (c.removed) {
          continue;
        }
        window(c, now);
        c.messageRate++;
        return new Counts(c.connections, c.connectionRate, c.messageRate);
      }
    }
  }

  /** Forgets clients with no open connection and no running window. Returns how many. */
  public int sweep() {
    long now = clock.millis();
    int dropped = 0;
    for (Iterator<Map.Entry<String, Client>> it = clients.entrySet().iterator(); it.hasNext(); ) {
      Client c = it.next().getValue();
      synchronized (c) {
        if (c.connections == 0 && now - c.windowStart >= unitMillis) {
          c.removed = true;
          it.remove();
          dropped++;
        }
      }
    }
    return dropped;
  }

  /** The rate window, {@code anvil_rate_time_unit}, in milliseconds. */
  public long unitMillis() {
    return unitMillis;
  }

  /** Clients remembered (for tests and status). */
  public int size() {
    return clients.size();
  }

  private void window(Client c, long now) {
    if (c.windowStart == 0 || now - c.windowStart >= unitMillis || now < c.windowStart) {
      c.windowStart = now == 0 ? 1 : now;
      c.connectionRate = 0;
      c.messageRate = 0;
    }
  }
}
