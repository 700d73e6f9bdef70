package io.gannet.master;

import java.io.IOException;
import java.nio.file.Path;

/** Another process (or this one) holds the {@link QueueLock} of a queue directory. */
public final class QueueLockedException extends IOException {
  private final long pid;

  public QueueLockedException(Path queueDirectory, long pid) {
    super(
        "queue directory "
            + queueDirectory
            + " is locked by another gannet instance ("
            + (pid > 0 ? "pid " + pid : "pid unknown")
            + ")");
    this.pid = pid;
  }

  /** The process id of the holder, or -1 if its pid file could not be read. */
  public long pid() {
    return pid;
  }
}
