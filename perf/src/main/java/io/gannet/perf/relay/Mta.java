package io.gannet.perf.relay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A mail system under test, set up as a relay on loopback: its smtpd listens on
 * 127.0.0.1:{@code smtpdPort} and it relays everything to {@code [127.0.0.1]:sinkPort}, with no
 * DNS. One instance is one fresh installation (its own configuration and queue under {@code
 * dir}), started once and stopped once, by pid.
 */
interface Mta extends AutoCloseable {
  /** Starts it; returns when its smtpd accepts connections. */
  void start(Path dir, int smtpdPort, int sinkPort) throws IOException, InterruptedException;

  /** The process id of its main process (valid after {@link #start}). */
  long pid();

  /** The peak resident set size of its main process so far, if known. */
  OptionalLong peakRssKiB();

  /** Stops it and waits until its main process is gone. Idempotent. */
  @Override
  void close() throws IOException, InterruptedException;
}
