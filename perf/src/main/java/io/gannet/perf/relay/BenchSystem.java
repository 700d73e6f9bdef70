package io.gannet.perf.relay;

import java.nio.file.Path;

/** One column of the benchmark: a way of moving the case's messages from a client to a sink. */
interface BenchSystem {
  /** Short name in tables and files: ceiling, postfix, gannet-group, ... */
  String label();

  /** One sentence for the table's legend. */
  String description();

  /**
   * Runs one case once, in {@code dir} (fresh, empty), finishing by {@code deadlineNanos}
   * ({@link System#nanoTime()}); everything it starts is stopped before it returns.
   */
  RunResult run(Case c, int round, Path dir, long deadlineNanos) throws Exception;
}
