package io.gannet.cli;

import io.gannet.master.DaemonFiles;
import io.gannet.master.QueueLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What the lifecycle commands ({@code start}, {@code stop}, {@code status}, {@code reload}) share:
 * the queue directory of the configuration, whether an instance holds it, and the program name of
 * their messages ({@code gannet/master:}, as Postfix's {@code postfix/postfix-script:}).
 */
final class MailSystem {
  /** The start of every informational line of these commands. */
  static final String PROGRAM = "gannet/master: ";

  private MailSystem() {}

  /** queue_directory of the loaded configuration, absolute. */
  static Path queueDirectory(ConfigOption.Loaded loaded) {
    return DaemonFiles.queueDirectory(loaded.config());
  }

  /** The pid of the running instance (-1 if its pid file is unreadable), empty if none runs. */
  static OptionalLong running(Path queueDirectory) {
    try {
      return QueueLock.holder(queueDirectory);
    } catch (IOException e) {
      throw new UserException(
          1, "fatal: cannot check the queue lock of " + queueDirectory + ": " + e.getMessage());
    }
  }

  /** A pid for a message: the number, or {@code unknown}. */
  static String pid(long pid) {
    return pid > 0 ? Long.toString(pid) : "unknown";
  }
}
