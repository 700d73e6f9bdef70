package io.gannet.master;

import io.gannet.global.Config;
import io.gannet.global.MasterCf;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a {@link DaemonBody} is given when it starts: the configuration as loaded at start, the
 * queue directory (absolute, locked by this process), the clock to read time from, and the registry
 * for the body's own admin commands.
 */
public final class DaemonContext {
  private final Path queueDirectory;
  private final DaemonConfig config;
  private final AdminCommands admin;
  private final Clock clock;
  private final Consumer<String> stopper;

  /**
   * @param stopper what {@link #requestStop} calls: the lifecycle's graceful stop
   */
  public DaemonContext(
      Path queueDirectory,
      DaemonConfig config,
      AdminCommands admin,
      Clock clock,
      Consumer<String> stopper) {
    this.queueDirectory = queueDirectory.toAbsolutePath();
    this.config = Objects.requireNonNull(config, "config");
    this.admin = Objects.requireNonNull(admin, "admin");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.stopper = Objects.requireNonNull(stopper, "stopper");
  }

  /** {@code queue_directory}, absolute; this process holds its {@link QueueLock}. */
  public Path queueDirectory() {
    return queueDirectory;
  }

  /** The configuration at start ({@link DaemonBody#reload} hands over later ones). */
  public DaemonConfig daemonConfig() {
    return config;
  }

  /** main.cf at start, after post-init. */
  public Config config() {
    return config.config();
  }

  /** master.cf at start. */
  public MasterCf master() {
    return config.master();
  }

  /** Where the body registers its admin commands ({@code flush}, {@code super}, ...). */
  public AdminCommands admin() {
    return admin;
  }

  /** The clock every component reads time from. */
  public Clock clock() {
    return clock;
  }

  /**
   * Asks the daemon to stop gracefully, as {@code gannet stop} does, for a failure after which it
   * must not go on (the journal writer failed: accept no more mail). Returns at once; {@link
   * DaemonBody#stop} follows on the lifecycle's thread.
   *
   * @param reason logged as {@code terminating: reason}
   */
  public void requestStop(String reason) {
    stopper.accept(reason);
  }
}
