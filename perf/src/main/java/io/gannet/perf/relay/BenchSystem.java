package io.gannet.perf.relay;

import java.nio.file.Path;

/** One column of the benchmark: a way of moving the case's messages from a client to a sink. */
interface BenchSystem {
  /** Short name in tables and files: ceiling, postfix, gannet-group, ... */
  String label();

  /** One sentence for the table's legend. */
  String description();

  /**
   * Starts what the system needs for all its runs, in {@code dir}, and warms it up; by {@code
   * deadlineNanos}. Nothing by default.
   */
  default void start(Path dir, long deadlineNanos) throws Exception {}

  /** Stops what {@link #start} started (by pid). Nothing by default. */
  default void stop() throws Exception {}

  /**
   * Runs one case once, finishing by {@code deadlineNanos} ({@link System#nanoTime()}); {@code
   * dir} is a fresh directory for what the run itself starts, stopped before it returns.
   */
  RunResult run(Case c, int round, Path dir, long deadlineNanos) throws Exception;
}
