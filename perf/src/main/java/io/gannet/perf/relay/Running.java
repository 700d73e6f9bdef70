package io.gannet.perf.relay;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the benchmark has started and not yet stopped, so that an interrupted benchmark (SIGTERM
 * from {@code timeout}, Ctrl-C) still stops it, by pid, from a shutdown hook.
 */
final class Running {
  private static final Set<AutoCloseable> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Running::stopAll, "relay-bench-cleanup"));
  }

  private Running() {}

  static void add(AutoCloseable c) {
    RUNNING.add(c);
  }

  static void remove(AutoCloseable c) {
    RUNNING.remove(c);
  }

  private static void stopAll() {
    for (AutoCloseable c : RUNNING) {
      try {
        System.err.println("relay-bench: interrupted; stopping " + c);
        c.close();
      } catch (Exception e) {
        System.err.println("relay-bench: cannot stop " + c + ": " + e.getMessage());
      }
    }
  }
}
