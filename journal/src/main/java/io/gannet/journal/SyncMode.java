package io.gannet.journal;

import java.util.Locale;

/** The {@code journal_sync} parameter: when an append counts as done. */
public enum SyncMode {
  /** Durable: each batch of appends is synced to stable storage (msync) before any completes. */
  GROUP,
  /**
   * UNSAFE, for benchmarks only: appends complete once written to the memory-mapped file. They
   * survive a process crash but not a power loss or kernel crash.
   */
  NONE;

  public static SyncMode parse(String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "group":
        return GROUP;
      case "none":
        return NONE;
      default:
        throw new IllegalArgumentException(
            "bad value for parameter journal_sync: '" + value + "' (use group or none)");
    }
  }
}
